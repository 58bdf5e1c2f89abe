"""The real 2015–2016 plan, reminded for its whole life with no agency ever reporting.

Every control point is chased on the policy's days and escalates once; the expected days
come from prefix sums of working days, not from the schedule's own arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.clock import FakeClock
from scheduler.plan import load_plan
from scheduler.plan_runtime import build_runtime
from scheduler.reminders.planner import tick
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Almaty")
WATCHER = 42  # a chat that follows every agency of the plan
START, END = dt.date(2015, 11, 1), dt.date(2016, 12, 31)


async def test_the_real_plan_is_chased_exactly_as_the_policy_says(db: Database) -> None:
    policy = ReminderPolicy()
    runtime = build_runtime(load_plan(ROOT / "data" / "plan.json"), policy=policy, tz=TZ)
    calendar = runtime.calendar

    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    prefix: dict[dt.date, int] = {}
    count = 0
    for day in days:
        count += calendar.is_working_day(day)
        prefix[day] = count

    expected: Counter[tuple[str, str, dt.date]] = Counter()
    for point in runtime.points:
        for day in days:
            if not calendar.is_working_day(day):
                continue
            before = prefix[point.effective] - prefix[day] if day <= point.effective else None
            if before is not None and before in policy.offsets:
                expected[(point.id, "0" if before == 0 else f"-{before}", day)] += 1
            if day > point.effective:
                late = prefix[day] - prefix[point.effective]
                nudge = late in (1, 3) or (late > 3 and (late - 3) % 5 == 0)
                if nudge and late <= policy.overdue_horizon:
                    expected[(point.id, f"+{late}", day)] += 1
                if late == policy.escalate_after:
                    expected[(point.id, "esc", day)] += 1

    clock = FakeClock(dt.datetime(2015, 11, 1, 8, 0, tzinfo=TZ))
    async with db.unit_of_work() as uow:
        for code in runtime.plan.agency_codes():
            await uow.subscriptions.subscribe(WATCHER, Follow.AGENCY, code, clock.now(), None)

    planned: Counter[tuple[str, str, dt.date]] = Counter()
    for day in days:
        clock.set(dt.datetime.combine(day, dt.time(9, 2), tzinfo=TZ))
        await tick(db, clock, runtime.schedule, [], runtime.control)
        async with db.unit_of_work() as uow:
            items = await uow.outbox.claim(
                clock.now(), "sim", limit=10_000, lease=dt.timedelta(minutes=5)
            )
            for item in items:
                assert item.kind is not MessageKind.MISSED_DIGEST
                planned[(item.control_point, item.slot, day)] += 1
                await uow.outbox.mark_sent(item.id, clock.now(), None, by="sim")

    # One message per point and slot: the watcher follows several agencies of many points.
    assert max(planned.values()) == 1
    assert planned == expected
    assert len(runtime.points) > 30
    # Every reminder of the plan's own period fell due on a working day.
    assert all(calendar.is_working_day(day) for _, _, day in planned)
