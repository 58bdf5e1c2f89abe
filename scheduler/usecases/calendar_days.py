"""Correcting the working calendar: a worked weekend, an extra day off, or undoing either.

The holidays package knows Kazakhstan's public holidays and the transfers decreed so far;
the Government moves days off every year, so administrators add what it lacks. A change
moves every control point it touches at once, and is recorded as a new plan version so
that every instance sharing the database follows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.plan.serialize import dump_plan
from scheduler.plan_runtime import PlanHolder, RuntimeFactory
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.administration import NotAdmin, check_admin


@dataclass(frozen=True)
class CalendarChanged:
    day: dt.date
    before: bool | None
    after: bool | None
    moved_points: int


async def set_calendar_day(
    db: Database,
    clock: Clock,
    holder: PlanHolder,
    factory: RuntimeFactory,
    *,
    actor: int,
    configured: tuple[int, ...],
    day: dt.date,
    working: bool | None,
    note: str = "",
) -> CalendarChanged | NotAdmin:
    """Mark ``day`` worked (True), off (False), or back to the official calendar (None)."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="calendar.change",
            now=now,
            detail={"day": day.isoformat(), "working": working},
        ):
            return NotAdmin("calendar.change")
        before = await uow.calendar.get(day)
        if working is None:
            await uow.calendar.clear(day)
        else:
            await uow.calendar.put(day, working, note)
        version = await uow.plan_versions.add(
            document=dump_plan(holder.current.plan),
            source="calendar",
            now=now,
            by=actor,
            summary=f"{day.isoformat()}: {before} -> {working}",
        )
        working_days, days_off = await uow.calendar.overrides()
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=None,
            action="calendar.change",
            allowed=True,
            detail={"day": day.isoformat(), "before": before, "after": working, "note": note},
        )
    old = holder.current
    new = factory.build(old.plan, working_days, days_off)
    before_dates = {p.id: p.effective for p in old.points}
    moved = sum(1 for p in new.points if before_dates.get(p.id, p.effective) != p.effective)
    holder.replace(new, version)
    return CalendarChanged(day, before, working, moved)
