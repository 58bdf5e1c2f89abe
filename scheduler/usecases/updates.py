"""Taking on incoming updates exactly once across the instances that share one database."""

from __future__ import annotations

import datetime as dt

from scheduler.clock import Clock
from scheduler.storage.processed_updates_repo import ProcessedUpdatesRepository
from scheduler.storage.unit_of_work import Database

# Telegram keeps an undelivered update for at most a day; a day and some is enough memory.
KEEP_PROCESSED = dt.timedelta(hours=26)


async def claim_update(db: Database, clock: Clock, update_id: int) -> bool:
    """True for the first claim of ``update_id``; False for every later one (a redelivery)."""
    async with db.unit_of_work() as uow:
        return await ProcessedUpdatesRepository(uow.session).claim(update_id, clock.now())


async def forget_old_updates(
    db: Database, clock: Clock, keep: dt.timedelta = KEEP_PROCESSED
) -> int:
    """Drop the update ids older than ``keep``; returns how many went."""
    async with db.unit_of_work() as uow:
        return await ProcessedUpdatesRepository(uow.session).forget_before(clock.now() - keep)
