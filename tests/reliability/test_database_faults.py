"""SQLite refusing writes while the bot ticks and sends: locked, read-only, full.

Each fault strikes while sends are in flight (the server answers slowly), lasts longer than
the bot's patience for one write, and is then lifted. While it lasts the tick fails with the
database's own error and writes nothing; the worker logs why it cannot go on and tries again
later. Once the database takes writes again every reminder is planned and every message
reaches its chat exactly once, counted on the server, and ``PRAGMA integrity_check`` is ok.

Read-only is simulated with SQLite's ``PRAGMA query_only`` on the engine's connections (set
on checkout by an event hook), since these tests may run as root and chmod does not stop
root from writing. A full disk is simulated with ``PRAGMA max_page_count`` pinned to the
file's current size, so that growing it raises SQLITE_FULL "database or disk is full".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.jobs import run_tick
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.storage import engine as storage_engine
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import reminder_kinds
from tests.e2e.harness import running_bot
from tests.reliability.support import (
    broadcast_to_all,
    copies,
    drained,
    outbox,
    per_chat,
    real_time,
    save_chats,
    sends_reach,
    subscribe,
)

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN = 90_001
CHATS = list(range(90_001, 90_013))
BUSY_MS = 200
# Longer than the worker's tries at one write (3 × the busy timeout, plus pauses).
FAULT_SECONDS = 2.0
# Short, so that a row left "sending" by a lost outcome would come back (and go out twice)
# within the test.
LEASE_SECONDS = 2

Fault = Callable[[Database, Path], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def exclusive_lock(db: Database, path: Path) -> AsyncIterator[None]:
    """Another process's writer holding the database longer than the busy timeout."""
    other = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    try:
        await asyncio.to_thread(other.execute, "BEGIN EXCLUSIVE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _on_checkout(db: Database, pragma: Callable[[Any], object]) -> Callable[[], None]:
    """Run ``pragma`` on each connection the engine hands out; returns how to stop."""

    def hook(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        pragma(dbapi_connection)

    event.listen(db.engine.sync_engine, "checkout", hook)
    return lambda: event.remove(db.engine.sync_engine, "checkout", hook)


def _execute(dbapi_connection: Any, *statements: str) -> list[Any]:
    cursor = dbapi_connection.cursor()
    try:
        found = []
        for statement in statements:
            cursor.execute(statement)
            found.append(cursor.fetchone())
        return found
    finally:
        cursor.close()


@asynccontextmanager
async def read_only(db: Database, path: Path) -> AsyncIterator[None]:
    """Every connection the bot takes refuses to write."""
    stop = _on_checkout(db, lambda c: _execute(c, "PRAGMA query_only=ON"))
    try:
        yield
    finally:
        stop()
        _on_checkout(db, lambda c: _execute(c, "PRAGMA query_only=OFF"))


@asynccontextmanager
async def full_disk(db: Database, path: Path) -> AsyncIterator[None]:
    """The file may not grow by a single page."""

    def pin(connection: Any) -> None:
        ((pages,),) = _execute(connection, "PRAGMA page_count")
        _execute(connection, f"PRAGMA max_page_count={pages}")

    stop = _on_checkout(db, pin)
    try:
        yield
    finally:
        stop()
        _on_checkout(db, lambda c: _execute(c, "PRAGMA max_page_count=1073741823"))


async def _reminder_rows(db: Database) -> int:
    return sum(1 for row in await outbox(db) if row.kind in reminder_kinds())


async def _ride_out(
    fault: Fault,
    error: str,
    botapi: BotApiServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    *,
    worker_stalls: bool = True,
) -> None:
    """Plan a broadcast, strike with ``fault`` mid-way, lift it, and check the aftermath.

    ``worker_stalls``: whether the fault stops the worker's own writes too (it updates rows
    in place, so a full disk, which only stops growth, lets it go on).
    """
    path = tmp_path / "bot.sqlite3"
    for chat in CHATS:
        botapi.private_chat(chat)
    # Slow answers keep sends in flight when the fault strikes.
    slow = botapi.add_latency(0.15, method="sendMessage")
    clock = FakeClock(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
    limiter = RateLimiter(Limits(total=1000, chat_interval=0.0, group=10_000))
    async with running_bot(
        botapi,
        f"sqlite+aiosqlite:///{path}",
        clock=clock,
        limiter=limiter,
        admin_ids=(ADMIN,),
        outbox_lease_seconds=LEASE_SECONDS,
    ) as bot:
        svc = bot.svc
        await save_chats(svc.db, CHATS)
        await subscribe(svc.db, CHATS, "МСМ", clock.now())
        async with real_time(clock):
            await broadcast_to_all(svc.core, ADMIN, "Дерекқор сынағы")
            svc.delivery.wake()
            await sends_reach(botapi, 4, within=10)
            caplog.clear()
            async with fault(svc.db, path):
                await asyncio.sleep(0.1)
                with pytest.raises(OperationalError, match=error):
                    await run_tick(svc)
                assert await _reminder_rows(svc.db) == 0  # the failed tick left nothing
                await asyncio.sleep(FAULT_SECONDS)
            refused = [
                record
                for record in caplog.records
                if record.name.startswith("scheduler.delivery")
                and record.exc_info is not None
                and error in str(record.exc_info[1])
            ]
            assert bool(refused) == worker_stalls, [r.getMessage() for r in refused]
            botapi.faults.remove(slow)
            result = await run_tick(svc)
            assert result.planned > 0
            svc.delivery.wake()
            await drained(svc.db, within=20)
            # Two more leases: a row whose outcome was lost would have gone out again by now.
            await asyncio.sleep(LEASE_SECONDS * 2)
        rows = await outbox(svc.db)

    assert {row.state for row in rows} == {OutboxState.SENT}
    assert len([r for r in rows if r.kind in reminder_kinds()]) == result.planned
    found = copies(botapi, CHATS)
    assert per_chat(found, "broadcast") == {chat: 1 for chat in CHATS}
    assert set(found.values()) == {1}, [key for key, n in found.items() if n > 1]
    assert sum(found.values()) == len(rows)
    assert _sent_ids(rows) == {
        (chat, m["message_id"]) for chat in CHATS for m in botapi.sent_messages(chat)
    }
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _sent_ids(rows: list[OutboxRow]) -> set[tuple[int, int | None]]:
    return {(row.chat_id, row.message_id) for row in rows}


@pytest.fixture(autouse=True)
def _short_busy_timeout(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The real 5 s would only slow the test down; what matters is that the fault outlasts it.
    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", BUSY_MS)
    caplog.set_level(logging.INFO)


@pytest.mark.slow
async def test_a_database_locked_by_another_writer(
    botapi: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await _ride_out(exclusive_lock, "database is locked", botapi, tmp_path, caplog)


@pytest.mark.slow
async def test_a_read_only_database(
    botapi: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await _ride_out(read_only, "attempt to write a readonly database", botapi, tmp_path, caplog)


@pytest.mark.slow
async def test_a_full_disk(
    botapi: BotApiServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await _ride_out(
        full_disk, "database or disk is full", botapi, tmp_path, caplog, worker_stalls=False
    )
