"""Durable facts of the reminder engine, and the lock that lets one instance plan at a time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import EngineStateRow
from scheduler.storage.writes import upsert

# Any fixed 64-bit number, distinct from the migration lock's.
_TICK_LOCK_KEY = 0x45534B4552545502


class EngineStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: str) -> str | None:
        row = await self._session.get(EngineStateRow, key)
        return None if row is None else row.value

    async def put(self, key: str, value: str, now: dt.datetime) -> None:
        await upsert(
            self._session,
            EngineStateRow,
            {"key": key, "value": value, "updated_at": now},
            key=["key"],
        )

    async def forget(self, key: str) -> None:
        await self._session.execute(delete(EngineStateRow).where(EngineStateRow.key == key))

    async def get_time(self, key: str) -> dt.datetime | None:
        value = await self.get(key)
        return None if value is None else dt.datetime.fromisoformat(value)

    async def put_time(self, key: str, moment: dt.datetime, now: dt.datetime) -> None:
        await self.put(key, moment.astimezone(dt.UTC).isoformat(), now)

    async def try_lock_planning(self) -> bool:
        """Take the planning lock until the transaction ends; False if another holds it.

        A wave is planned in several transactions, and each takes the lock anew: between
        them another instance may take a step of the same wave, from the recorded progress.
        On PostgreSQL this is a transaction-level advisory lock, so instances sharing
        the database plan one at a time. SQLite allows one writer at a time anyway.
        """
        bind = self._session.bind
        if bind is None or bind.dialect.name != "postgresql":
            return True
        got = await self._session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _TICK_LOCK_KEY}
        )
        return bool(got)
