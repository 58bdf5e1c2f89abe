"""Reminders and nudges keep to working hours; escalations and broadcasts do not wait.

A backlog (a long flood-control pause, an outage) would otherwise go out whenever it could,
at night included. Working hours run from REMINDER_TIME to WORKING_HOURS_END on working
days; outside them a reminder or a nudge waits for the next working morning at
REMINDER_TIME. All of it is read on the injected clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.clock import FakeClock
from scheduler.plan import load_plan
from scheduler.plan_runtime import build_runtime
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.reminders import held_until
from scheduler.vocabulary.messages import MESSAGE_KINDS, MessageKind
from tests.reports.support import ALMATY, PLAN_PATH, runtime
from tests.usecases.support import core_for


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("now", "held"),
    [
        # Thursday 30 June 2016, a working day.
        (local(2016, 6, 30, 9, 0), None),
        (local(2016, 6, 30, 17, 59), None),
        (local(2016, 6, 30, 18, 0), local(2016, 7, 1, 9, 0)),
        (local(2016, 6, 30, 23, 30), local(2016, 7, 1, 9, 0)),
        (local(2016, 6, 30, 3, 0), local(2016, 6, 30, 9, 0)),
        (local(2016, 6, 30, 8, 59), local(2016, 6, 30, 9, 0)),
        # Friday evening and the weekend wait for Monday.
        (local(2016, 7, 1, 19, 0), local(2016, 7, 4, 9, 0)),
        (local(2016, 7, 2, 11, 0), local(2016, 7, 4, 9, 0)),
        (local(2016, 7, 3, 2, 0), local(2016, 7, 4, 9, 0)),
        # Capital Day, Wednesday 6 July 2016, is a holiday.
        (local(2016, 7, 5, 18, 30), local(2016, 7, 7, 9, 0)),
        (local(2016, 7, 6, 12, 0), local(2016, 7, 7, 9, 0)),
        # Saturday 5 March 2016 was worked, for Monday 7 March off, and 8 March is a holiday.
        (local(2016, 3, 5, 12, 0), None),
        (local(2016, 3, 5, 18, 0), local(2016, 3, 9, 9, 0)),
    ],
)
def test_outside_working_hours_a_reminder_waits_for_the_next_working_morning(
    now: dt.datetime, held: dt.datetime | None
) -> None:
    found = runtime().schedule.held_until(now.astimezone(dt.UTC))
    assert found == (None if held is None else held.astimezone(dt.UTC))


def test_the_hours_follow_the_policy_and_the_administrators_calendar() -> None:
    policy = ReminderPolicy(send_time=dt.time(10, 30), working_hours_end=dt.time(16, 0))
    schedule = build_runtime(
        load_plan(PLAN_PATH),
        policy=policy,
        tz=ALMATY,
        extra_working_days=[dt.date(2016, 7, 2)],
        extra_days_off=[dt.date(2016, 7, 4)],
    ).schedule
    assert schedule.held_until(local(2016, 7, 1, 16, 0)) == local(2016, 7, 2, 10, 30)
    assert schedule.held_until(local(2016, 7, 2, 12, 0)) is None
    assert schedule.held_until(local(2016, 7, 2, 17, 0)) == local(2016, 7, 5, 10, 30)


def test_only_reminders_and_nudges_keep_to_working_hours() -> None:
    held = {kind for kind, spec in MESSAGE_KINDS.items() if spec.working_hours}
    assert held == {MessageKind.REMINDER, MessageKind.OVERDUE}


def _item(kind: MessageKind) -> OutboxItem:
    return OutboxItem(
        chat_id=5601,
        control_point="T06-deadline-2016-06-30",
        slot="+1",
        kind=kind,
        due_at=local(2016, 7, 1, 9, 0),
        id=1,
        attempts=0,
    )


@pytest.mark.parametrize("kind", list(MessageKind))
async def test_a_row_due_at_night_is_held_by_its_kind(db: Database, kind: MessageKind) -> None:
    clock = FakeClock(local(2016, 7, 1, 22, 0))
    core = core_for(db, clock, runtime())
    expected = local(2016, 7, 4, 9, 0) if MESSAGE_KINDS[kind].working_hours else None
    assert held_until(core, _item(kind)) == expected
    clock.set(local(2016, 7, 4, 9, 0))
    assert held_until(core, _item(kind)) is None
