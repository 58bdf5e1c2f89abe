"""The database engine and session factory, for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from scheduler.storage.sqlite_driver import one_trip_dbapi

SQLITE_BUSY_TIMEOUT_MS = 5000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the engine; a SQLite file's folder is created on first use.

    A PostgreSQL URL may end in ``?schema=NAME`` to keep the tables in that schema.

    SQLite gets WAL journaling, so readers do not block the writer, and a busy timeout,
    so a second writer waits instead of failing at once with "database is locked"; its
    statements go to aiosqlite's thread in one trip each (``sqlite_driver``).
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if parsed.get_driver_name() == "aiosqlite":
            kwargs["module"] = one_trip_dbapi()
    else:
        kwargs["pool_pre_ping"] = True
        schema = parsed.query.get("schema")
        if schema:
            # Keeps every table in one schema, so several deployments (or test runs)
            # can share a database; asyncpg takes it as a server setting, not a URL option.
            parsed = parsed.difference_update_query(["schema"])
            kwargs["connect_args"] = {"server_settings": {"search_path": str(schema)}}
    engine = create_async_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
