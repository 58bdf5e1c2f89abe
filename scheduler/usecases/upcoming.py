"""When the next reminder goes out: the first send instant at which the tick would remind a chat.

The sandbox's "next reminder" moves its clock there. A day counts when the schedule has an
occasion on it whose point is still open and whose reminder has a recipient: a chat following
one of the agencies still chased or the task, or, for an escalation, a chat following the
controlling department or an administrator. The planner's own ``reminders_due`` decides,
so the jump lands on a wave that really sends something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scheduler.plan_runtime import PlanRuntime
from scheduler.reminders.planner import reminders_due
from scheduler.storage.unit_of_work import Database, UnitOfWork

# Days looked at per database round trip, and how far ahead to look at most: the plan's
# two years and the year of overdue nudges after them.
WINDOW_DAYS = 31
HORIZON_DAYS = 3 * 366


async def next_reminder(
    db: Database, runtime: PlanRuntime, after: dt.datetime, admins: Sequence[int]
) -> dt.datetime | None:
    """The first send instant later than ``after`` with a reminder for someone; None if none."""
    schedule = runtime.schedule
    first = after.astimezone(schedule.tz).date()
    async with db.unit_of_work() as uow:
        for offset in range(0, HORIZON_DAYS, WINDOW_DAYS):
            start = first + dt.timedelta(days=offset)
            days = [
                day
                for day in (start + dt.timedelta(days=n) for n in range(WINDOW_DAYS))
                if schedule.calendar.is_working_day(day) and schedule.send_instant(day) > after
            ]
            found = await _first_day_reminding(uow, runtime, days, admins)
            if found is not None:
                return schedule.send_instant(found)
    return None


async def _first_day_reminding(
    uow: UnitOfWork, runtime: PlanRuntime, days: Sequence[dt.date], admins: Sequence[int]
) -> dt.date | None:
    due = await reminders_due(uow, days, runtime.schedule, admins, runtime.control)
    return min((item.day for item, _ in due), default=None)
