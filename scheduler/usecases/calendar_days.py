"""Correcting the working calendar: a worked weekend, an extra day off, or undoing either.

The holidays package knows Kazakhstan's public holidays and the transfers decreed so far;
the Government moves days off every year, so administrators add what it lacks. A change
moves every control point it touches at once, and is recorded as a new plan version so
that every instance sharing the database follows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.serialize import dump_plan
from scheduler.refusals import Refusal
from scheduler.usecases.core import Answer, Core


@dataclass(frozen=True)
class CalendarChanged:
    day: dt.date
    before: bool | None
    after: bool | None
    moved_points: int


async def set_calendar_day(
    core: Core, caller: Caller, *, day: dt.date, working: bool | None, note: str = ""
) -> Answer[CalendarChanged | Refusal]:
    """Mark ``day`` worked (True), off (False), or back to the official calendar (None)."""
    holder = core.plans
    async with core.visit(caller) as visit:
        detail = {"day": day.isoformat(), "working": working}
        if refused := await visit.refuse_unless_admin("calendar.change", detail):
            return visit.answer(refused)
        uow, now = visit.uow, visit.now
        before = await uow.calendar.get(day)
        if working is None:
            await uow.calendar.clear(day)
        else:
            await uow.calendar.put(day, working, note)
        version = await uow.plan_versions.add(
            document=dump_plan(holder.current.plan),
            source="calendar",
            now=now,
            by=caller.user_id,
            summary=f"{day.isoformat()}: {before} -> {working}",
        )
        working_days, days_off = await uow.calendar.overrides()
        await visit.record(
            "calendar.change",
            {"day": day.isoformat(), "before": before, "after": working, "note": note},
        )
    # Only a committed change is followed, and the points are expanded outside the transaction.
    old = holder.current
    new = core.factory.build(old.plan, working_days, days_off)
    before_dates = {p.id: p.effective for p in old.points}
    moved = sum(1 for p in new.points if before_dates.get(p.id, p.effective) != p.effective)
    holder.replace(new, version)
    return visit.answer(CalendarChanged(day, before, working, moved))
