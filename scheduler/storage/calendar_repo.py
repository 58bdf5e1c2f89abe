"""Repository of the administrators' calendar corrections: worked weekends and extra days off."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import CalendarOverrideRow
from scheduler.storage.writes import changed_rows, upsert


class CalendarRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def overrides(self) -> tuple[list[dt.date], list[dt.date]]:
        """The extra working days and the extra days off, each in date order."""
        rows = (await self._session.scalars(select(CalendarOverrideRow))).all()
        return sorted(r.day for r in rows if r.working), sorted(
            r.day for r in rows if not r.working
        )

    async def get(self, day: dt.date) -> bool | None:
        row = await self._session.get(CalendarOverrideRow, day)
        return None if row is None else row.working

    async def put(self, day: dt.date, working: bool, note: str) -> None:
        await upsert(
            self._session,
            CalendarOverrideRow,
            {"day": day, "working": working, "note": note},
            key=["day"],
        )

    async def clear(self, day: dt.date) -> bool:
        changed = await changed_rows(
            self._session,
            delete(CalendarOverrideRow).where(CalendarOverrideRow.day == day),
        )
        return bool(changed)
