"""When the next reminder goes out: the first send instant at which the tick would remind a chat.

The sandbox's "next reminder" moves its clock there. A day counts when the schedule has an
occasion on it whose point is still open and whose reminder has a recipient: a chat following
one of the agencies still chased or the task, or, for an escalation, a chat following the
controlling department or an administrator. These are the planner's own rules, so the jump
lands on a wave that really sends something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scheduler.plan_runtime import PlanRuntime
from scheduler.reminders.planner import open_agencies
from scheduler.reminders.schedule import Occasion, ReminderSchedule
from scheduler.storage.subscriptions_repo import AGENCY, TASK
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
            found = await _first_day_reminding(uow, schedule, days, admins)
            if found is not None:
                return schedule.send_instant(found)
    return None


async def _first_day_reminding(
    uow: UnitOfWork, schedule: ReminderSchedule, days: Sequence[dt.date], admins: Sequence[int]
) -> dt.date | None:
    occasions = [(day, occasion) for day in days for occasion in schedule.occasions_on(day)]
    if not occasions:
        return None
    latest = await uow.statuses.latest({occasion.point.id for _, occasion in occasions})
    chased = [
        (day, occasion, codes)
        for day, occasion in occasions
        if (codes := open_agencies(occasion.point, latest.get(occasion.point.id, {})))
    ]
    if not chased:
        return None
    targets: set[str] = set()
    for _, occasion, open_codes in chased:
        targets.update(open_codes)
        targets.update(schedule.controls.get(occasion.point.task, ()))
    followers = await uow.subscriptions.followers(
        agencies=targets, tasks={occasion.point.task for _, occasion, _ in chased}
    )
    followed = {(sub.kind, sub.target) for sub in followers}
    for day, occasion, open_codes in chased:
        if _has_recipient(occasion, open_codes, followed, schedule, admins):
            return day
    return None


def _has_recipient(
    occasion: Occasion,
    open_codes: Sequence[str],
    followed: set[tuple[str, str]],
    schedule: ReminderSchedule,
    admins: Sequence[int],
) -> bool:
    task = occasion.point.task
    if occasion.is_escalation:
        departments = schedule.controls.get(task, ())
        return bool(admins) or any((AGENCY, code) in followed for code in departments)
    return (TASK, str(task)) in followed or any((AGENCY, code) in followed for code in open_codes)
