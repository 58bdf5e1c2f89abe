"""Repository of calendar events: each event's last signature, its sequence and when it changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import CalendarEventRow


@dataclass(frozen=True, slots=True)
class EventRevision:
    """How often an event changed (``sequence``, from 0) and when it last did."""

    sequence: int
    modified_at: dt.datetime


class CalendarEventsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def revise(
        self, signatures: Mapping[str, str], now: dt.datetime
    ) -> dict[str, EventRevision]:
        """Record what each event says now; one whose signature changed gets the next sequence.

        Two instances exporting at once raise a changed event's sequence once: the update only
        touches a row whose signature still differs.
        """
        keys = sorted(signatures)
        known: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            rows = await self._session.execute(
                select(CalendarEventRow.key, CalendarEventRow.signature).where(
                    CalendarEventRow.key.in_(keys[start : start + 500])
                )
            )
            known.update({key: signature for key, signature in rows})
        fresh = [key for key in keys if key not in known]
        if fresh:
            dialect = self._session.bind.dialect.name if self._session.bind else "sqlite"
            module = postgresql if dialect == "postgresql" else sqlite
            insert = module.insert(CalendarEventRow).values(
                [
                    {"key": key, "sequence": 0, "signature": signatures[key], "modified_at": now}
                    for key in fresh
                ]
            )
            await self._session.execute(insert.on_conflict_do_nothing(index_elements=["key"]))
        for key in keys:
            if key in known and known[key] != signatures[key]:
                await self._session.execute(
                    update(CalendarEventRow)
                    .where(
                        CalendarEventRow.key == key,
                        CalendarEventRow.signature != signatures[key],
                    )
                    .values(
                        sequence=CalendarEventRow.sequence + 1,
                        signature=signatures[key],
                        modified_at=now,
                    )
                )
        found: dict[str, EventRevision] = {}
        for start in range(0, len(keys), 500):
            revised = await self._session.execute(
                select(
                    CalendarEventRow.key, CalendarEventRow.sequence, CalendarEventRow.modified_at
                ).where(CalendarEventRow.key.in_(keys[start : start + 500]))
            )
            for key, sequence, modified_at in revised:
                found[key] = EventRevision(sequence, modified_at)
        return found
