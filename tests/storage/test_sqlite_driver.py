"""SQLite's one-trip cursor: the same results as SQLAlchemy's own, in one trip per statement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from scheduler.storage.engine import create_engine


@pytest.fixture(params=["one trip", "sqlalchemy's own"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}"
    made = create_engine(url) if request.param == "one trip" else create_async_engine(url)
    async with made.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield made
    await made.dispose()


async def test_rows_counts_and_ids_are_as_sqlalchemy_gives_them(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        inserted = await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.rowcount == 1
        assert inserted.lastrowid == 1
        many = await conn.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        assert many.rowcount == 2
        returned = await conn.execute(text("INSERT INTO t (name) VALUES ('d') RETURNING id"))
        assert returned.scalar_one() == 4
        changed = await conn.execute(text("UPDATE t SET name = name || '!' WHERE id > 2"))
        assert changed.rowcount == 2
        rows = await conn.execute(text("SELECT id, name FROM t ORDER BY id"))
        assert list(rows.keys()) == ["id", "name"]
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c!"), (4, "d!")]
        empty = await conn.execute(text("SELECT id FROM t WHERE id > 10"))
        assert empty.first() is None


async def test_a_rollback_undoes_and_an_error_is_sqlalchemys(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        await conn.commit()
        await conn.execute(text("INSERT INTO t (name) VALUES ('dropped')"))
        await conn.rollback()
        with pytest.raises(exc.IntegrityError):
            await conn.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        await conn.rollback()
        names = (await conn.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["kept"]


class Trips:
    """The calls the engine's connections hand to aiosqlite's thread, by function name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        original = aiosqlite.Connection._execute

        async def counted(conn: aiosqlite.Connection, fn: Any, *args: object) -> object:
            self.names.append(getattr(fn, "__name__", "?"))
            return await original(conn, fn, *args)

        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)


async def test_a_statement_is_one_trip_and_an_unopened_transaction_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.sqlite3'}")
    sessions = async_sessionmaker(engine)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        trips = Trips(monkeypatch)
        # Reads open no transaction: their commit and the pool's rollback cost nothing.
        async with sessions() as session:
            for _ in range(5):
                await session.execute(text("SELECT 1"))
            await session.commit()
        assert len(trips.names) == 5
        # A write: one trip for it, one for the commit, none for the pool's rollback.
        trips.names.clear()
        async with sessions() as session:
            await session.execute(text("INSERT INTO t DEFAULT VALUES"))
            await session.commit()
        assert trips.names == ["_run", "commit"]
        # A write rolled back is rolled back.
        trips.names.clear()
        async with sessions() as session:
            await session.execute(text("INSERT INTO t DEFAULT VALUES"))
            await session.rollback()
            count = (await session.execute(text("SELECT count(*) FROM t"))).scalar_one()
        assert trips.names == ["_run", "rollback", "_run"]
        assert count == 1
    finally:
        await engine.dispose()
