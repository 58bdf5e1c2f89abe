"""Fixtures shared by the suite: databases on every configured engine, the local Bot API."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox.botapi import BotApiServer
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "TEST_POSTGRES_URL"


def _engines() -> list[object]:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=_engines())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a schema of its own on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'eskertu.sqlite3'}"
        return
    with _postgres_schema() as url:
        yield url


@contextlib.contextmanager
def _postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    _run_sql(base, f'CREATE SCHEMA "{schema}"')
    try:
        yield str(make_url(base).update_query_dict({"schema": schema}))
    finally:
        _run_sql(base, f'DROP SCHEMA "{schema}" CASCADE')


def _run_sql(url: str, statement: str) -> None:
    import asyncio

    async def go() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(go())


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database on each configured engine."""
    database = Database(create_engine(database_url))
    await upgrade(database.engine)
    try:
        yield database
    finally:
        await database.close()


# PTB warns on every 429 unless durations are timedeltas; the bot opts in the same way.
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A schema of its own on PostgreSQL, for tests that are about sharing one database."""
    with _postgres_schema() as url:
        yield url


@pytest.fixture
def botapi() -> Iterator[BotApiServer]:
    """A running local Bot API server on an ephemeral port, stopped after the test."""
    server = BotApiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
