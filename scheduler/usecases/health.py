"""What a health probe needs to know: the database answers, when the tick last ran, the backlog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.reminders.planner import LAST_TICK
from scheduler.storage.ping import ping
from scheduler.storage.unit_of_work import Database


@dataclass(frozen=True)
class HealthFacts:
    last_tick: dt.datetime | None
    outbox_depth: int


async def health_facts(db: Database) -> HealthFacts:
    """Ask the database; raises when it does not answer."""
    async with db.unit_of_work() as uow:
        await ping(uow.session)
        last_tick = await uow.engine_state.get_time(LAST_TICK)
        depth = await uow.outbox.depth()
    return HealthFacts(last_tick=last_tick, outbox_depth=depth)


async def outbox_depth(db: Database) -> int:
    """How many messages wait to be sent, for the metrics."""
    async with db.unit_of_work() as uow:
        return await uow.outbox.depth()
