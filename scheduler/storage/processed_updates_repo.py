"""The update ids already taken on, so that Telegram's redelivery of one is handled once.

Several instances behind one webhook address share this table: whichever inserts an
update id first handles the update, the others (and a later redelivery) find it taken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import ProcessedUpdateRow
from scheduler.storage.writes import changed_rows


class ProcessedUpdatesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, update_id: int, now: dt.datetime) -> bool:
        """Record ``update_id`` as taken; False when it was taken already.

        One INSERT … ON CONFLICT DO NOTHING: two instances claiming the same id at once
        are settled by the primary key, not by a read before the write.
        """
        dialect = self._session.bind.dialect.name if self._session.bind is not None else "sqlite"
        module: Any = postgresql if dialect == "postgresql" else sqlite
        stmt = (
            module.insert(ProcessedUpdateRow)
            .values(update_id=update_id, at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(ProcessedUpdateRow.update_id)
        )
        return (await self._session.execute(stmt)).first() is not None

    async def forget_before(self, moment: dt.datetime) -> int:
        """Drop the ids taken before ``moment``; returns how many went."""
        changed = await changed_rows(
            self._session,
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.at < moment),
        )
        return changed
