"""The next send instant with a reminder for someone (scheduler.usecases.upcoming)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from scheduler.reminders.schedule import Occasion
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.upcoming import next_reminder
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow
from tests.reports.support import ALMATY, add, runtime

pytestmark = pytest.mark.storage

CHAT = 5501
AFTER = dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY)


async def _follow(db: Database, kind: str, target: str) -> None:
    async with db.unit_of_work() as uow:
        await uow.subscriptions.subscribe(CHAT, kind, target, AFTER, None)


def _first_day(after: dt.datetime, wanted: Callable[[Occasion], bool]) -> dt.datetime:
    """Brute force over every day: the first send instant after ``after`` with a wanted occasion."""
    schedule = runtime().schedule
    day = after.astimezone(ALMATY).date()
    while True:
        instant = schedule.send_instant(day)
        working = schedule.calendar.is_working_day(day) and instant > after
        if working and any(wanted(o) for o in schedule.occasions_on(day)):
            return instant
        day += dt.timedelta(days=1)


async def test_a_follower_of_an_agency_is_next_reminded_on_its_first_occasion(
    db: Database,
) -> None:
    await _follow(db, Follow.AGENCY, "БҒМ")
    found = await next_reminder(db, runtime(), AFTER, admins=())
    expected = _first_day(AFTER, lambda o: not _escalates(o) and "БҒМ" in o.point.agencies)
    assert found == expected
    assert found is not None and found.astimezone(ALMATY).time() == dt.time(9, 0)
    assert found > AFTER


async def test_points_already_done_are_passed_over(db: Database) -> None:
    await _follow(db, Follow.TASK, "6")
    first = await next_reminder(db, runtime(), AFTER, admins=())
    assert first == _first_day(AFTER, lambda o: o.point.task == 6 and not _escalates(o))
    assert first is not None
    # The lead reports every point of task 6 done: its reminders stop, and so does the answer.
    for point in runtime().points_of(6):
        await add(db, point.id, point.lead, "done", AFTER)
    assert await next_reminder(db, runtime(), AFTER, admins=()) is None


async def test_escalations_count_for_the_administrators(db: Database) -> None:
    found = await next_reminder(db, runtime(), AFTER, admins=(777,))
    assert found == _first_day(AFTER, lambda o: _escalates(o))


async def test_escalations_count_for_the_followers_of_the_controlling_department(
    db: Database,
) -> None:
    await _follow(db, Follow.AGENCY, "МБАҰЖБ")
    found = await next_reminder(db, runtime(), AFTER, admins=())
    # МБАҰЖБ controls task 13 and is responsible for none: only its escalations reach it.
    assert found == _first_day(AFTER, lambda o: _escalates(o) and o.point.task == 13)


async def test_nobody_following_means_no_next_reminder(db: Database) -> None:
    assert await next_reminder(db, runtime(), AFTER, admins=()) is None


async def test_the_answer_is_strictly_later_than_the_moment_asked_about(db: Database) -> None:
    await _follow(db, Follow.AGENCY, "МСМ")
    first = await next_reminder(db, runtime(), AFTER, admins=())
    assert first is not None
    second = await next_reminder(db, runtime(), first, admins=())
    assert second is not None and second > first
    assert second == _first_day(first, lambda o: not _escalates(o) and "МСМ" in o.point.agencies)


def _escalates(occasion: Occasion) -> bool:
    return occasion.kind is MessageKind.ESCALATION
