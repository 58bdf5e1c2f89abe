"""Status replies that come at once are recorded together, each as it would be alone.

Called directly on a real database (SQLite and PostgreSQL) with the real plan: the replies
are answered concurrently, as the bot's handlers answer them, and the test counts the
transactions that stored them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from scheduler.clock import FakeClock
from scheduler.participants import UserInfo
from scheduler.progress import ControlPolicy
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.tables import AuditRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.replies import answer_button, answer_reply
from scheduler.usecases.status_updates import Recorded, Reply, Report
from scheduler.vocabulary.control import ItemState, Source, Status
from scheduler.vocabulary.messages import MessageKind
from tests.reports.support import runtime
from tests.usecases.support import core_for, person

ALMATY = ZoneInfo("Asia/Almaty")
OFFICER, ZHAO, OUTSIDER = 501, 502, 503
GROUP = -9
START = dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY)
T06, T09 = "T06-deadline-2016-06-30", "T09-deadline-2016-06-30"


async def _reminder(db: Database, chat: int, point: str, agencies: list[str], message: int) -> int:
    now = dt.datetime(2016, 6, 1, 3, 0, tzinfo=dt.UTC)
    async with db.unit_of_work() as uow:
        new = NewMessage(chat, point, "-5", MessageKind.REMINDER, now, {"agencies": agencies})
        await uow.outbox.enqueue([new], now)
        (item,) = await uow.outbox.claim(now, "test", limit=1, lease=dt.timedelta(minutes=5))
        await uow.outbox.mark_sent(item.id, now, message, by="test")
    return item.id


@contextmanager
def commits(db: Database) -> Iterator[list[int]]:
    """Counts the transactions committed meanwhile."""
    counted: list[int] = []

    def count(_connection: Any) -> None:
        counted.append(1)

    event.listen(db.engine.sync_engine, "commit", count)
    try:
        yield counted
    finally:
        event.remove(db.engine.sync_engine, "commit", count)


async def test_replies_that_come_at_once_are_recorded_together_each_as_alone(
    db: Database,
) -> None:
    # Without acceptance a done closes the item, so that a second done is refused.
    core = core_for(db, FakeClock(START), runtime(ControlPolicy(acceptance=False)))
    now = START
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", now, None)
        await uow.members.add(ZHAO, "ЖАО", "coordinator", now, None)
        await uow.contacts.save_user(UserInfo(id=OFFICER, first_name="Бақыт"), now)
        await uow.contacts.set_user_language(OFFICER, "ru")
    await _reminder(db, OFFICER, T06, ["МСМ"], message=77)
    await _reminder(db, GROUP, T09, ["ЖАО"], message=88)
    await _reminder(db, OUTSIDER, T06, ["МСМ"], message=99)
    async with db.unit_of_work() as uow:
        await uow.contacts.save_chat(person(ZHAO, chat_id=GROUP).chat, now)  # type: ignore[arg-type]
        await uow.contacts.set_chat_language(GROUP, "en")

    replies = [
        (person(OFFICER), Reply("в работе", 77, 1001)),
        (person(ZHAO, chat_id=GROUP), Reply("проблема: жоба келісілмеді", 88, 1002)),
        (person(OFFICER), Reply("Орындалды ✅", 77, 1003)),
        (person(OFFICER), Reply("орындалды", 77, 1004)),
        (person(OUTSIDER), Reply("орындалды", 99, 1005)),
        # Not a reply to anything the bot sent: answered alone, after the others.
        (person(ZHAO), Reply("орындалды", 5, 1006)),
    ]
    with commits(db) as counted:
        answers = await asyncio.gather(*(answer_reply(core, c, r) for c, r in replies))
    # The first was written alone, the five that came meanwhile together, and the last
    # of them, which the gathered write does not serve, alone again.
    assert len(counted) == 3

    first, problem, done, again, outsider, unknown = (a.result for a in answers)
    assert isinstance(first, Recorded) and first.state is ItemState.IN_PROGRESS
    assert isinstance(problem, Recorded)
    assert (problem.point.id, problem.agency, problem.state) == (T09, "ЖАО", ItemState.PROBLEM)
    # The done saw the report written before it, and the next done saw this one.
    assert isinstance(done, Recorded) and done.state is ItemState.DONE and done.closes_point
    today = START.date()
    assert again == Refusal.of(Why.ALREADY_REPORTED, task=6, agency="МСМ", date=today)
    assert outsider == Refusal.of(Why.NOT_MEMBER, agencies=("МСМ",), task=6)
    assert unknown == Refusal.of(Why.UNKNOWN_REMINDER)
    # Each answer carries its own reader's languages: the user's, or the group's.
    assert answers[2].prefs.user == "ru"
    assert (answers[1].prefs.chat, answers[1].prefs.telegram) == ("en", None)

    async with db.unit_of_work() as uow:
        latest = await uow.statuses.latest([T06, T09])
        stored = await uow.statuses.by_ids([first.status_id, problem.status_id, done.status_id])
        audited = (
            await uow.session.execute(
                select(AuditRow.action, AuditRow.allowed, AuditRow.detail).order_by(AuditRow.id)
            )
        ).all()
    assert latest[T06]["МСМ"].id == done.status_id and latest[T09]["ЖАО"].status is Status.PROBLEM
    assert [e.text for e in stored] == ["в работе", "проблема: жоба келісілмеді", "Орындалды ✅"]
    assert [e.message_id for e in stored] == [1001, 1002, 1003]
    # The audit log keeps the order the replies came in; the refused ones are in it too.
    reports = [
        (ok, json.loads(detail)) for action, ok, detail in audited if action == "status.report"
    ]
    assert [(ok, d.get("status_id"), d.get("reason")) for ok, d in reports] == [
        (True, first.status_id, None),
        (True, problem.status_id, None),
        (True, done.status_id, None),
        (False, None, "not_member"),
        (False, None, "unknown_reminder"),
    ]
    assert reports[2][1]["before"] == "in_progress" and reports[2][1]["after"] == "done"


async def test_a_reply_to_an_interim_request_among_them_is_answered_as_alone(db: Database) -> None:
    core = core_for(db, FakeClock(START), runtime())
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", START, None)
    await _reminder(db, OFFICER, T06, ["МСМ"], message=77)
    interim_at = dt.datetime(2016, 6, 1, 3, 0, tzinfo=dt.UTC)
    async with db.unit_of_work() as uow:
        asked = NewMessage(OFFICER, T06, "interim:1", MessageKind.INTERIM_REQUEST, interim_at, {})
        await uow.outbox.enqueue([asked], interim_at)
        (item,) = await uow.outbox.claim(interim_at, "t", limit=1, lease=dt.timedelta(minutes=5))
        await uow.outbox.mark_sent(item.id, interim_at, 78, by="t")
    replies = [
        Reply("в работе", 77, 1001),
        Reply("в работе", 77, 1002),
        Reply("в работе", 78, 1003),
    ]
    answers = await asyncio.gather(*(answer_reply(core, person(OFFICER), r) for r in replies))
    results = [a.result for a in answers]
    assert all(isinstance(r, Recorded) for r in results[:2])
    # The reply to an interim request took that path, as it does alone: this request names
    # no request of the controller's, and was not taken for a report to a reminder.
    assert results[2] == Refusal.of(Why.NO_SUCH_REQUEST)


def _press(status: Status, reminder: int, *, asked_after: int | None = None) -> Report:
    return Report(
        status=status,
        text=str(status),
        source=Source.BUTTON,
        reminder_id=reminder,
        message_id=4000 + reminder,
        asked_after=asked_after,
    )


async def test_buttons_pressed_at_once_are_recorded_together_each_as_alone(db: Database) -> None:
    core = core_for(db, FakeClock(START), runtime())
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", START, None)
        await uow.members.add(ZHAO, "ЖАО", "coordinator", START, None)
    mine = await _reminder(db, OFFICER, T06, ["МСМ"], message=77)
    theirs = await _reminder(db, ZHAO, T09, ["ЖАО"], message=88)
    presses = [
        (person(OFFICER), _press(Status.IN_PROGRESS, mine)),
        (person(ZHAO), _press(Status.PROBLEM, theirs)),
        # A question asked before any report, answered after one: nothing new to record.
        (person(OFFICER), _press(Status.DONE, mine, asked_after=0)),
        (person(OFFICER), _press(Status.DONE, mine)),
        # A button under a message sent to someone else's chat.
        (person(ZHAO), _press(Status.DONE, mine)),
        # A button under nothing the bot planned: answered alone.
        (person(ZHAO), _press(Status.DONE, 9999)),
    ]
    with commits(db) as counted:
        answers = await asyncio.gather(*(answer_button(core, c, r) for c, r in presses))
    assert len(counted) == 3
    first, problem, stale, done, foreign, unknown = (a.result for a in answers)
    assert isinstance(first, Recorded) and first.state is ItemState.IN_PROGRESS
    assert isinstance(problem, Recorded) and problem.state is ItemState.PROBLEM
    assert stale == Refusal.of(Why.ALREADY_RECORDED, task=6, status=Status.IN_PROGRESS)
    # With acceptance, the lead's done waits for its controller.
    assert isinstance(done, Recorded) and done.state is ItemState.AWAITING_ACCEPTANCE
    assert foreign == Refusal.of(Why.UNKNOWN_REMINDER)
    assert unknown == Refusal.of(Why.UNKNOWN_REMINDER)
    async with db.reading() as uow:
        latest = await uow.statuses.latest([T06, T09])
    assert latest[T06]["МСМ"].id == done.status_id and latest[T06]["МСМ"].message_id == 4000 + mine
    assert latest[T09]["ЖАО"].id == problem.status_id
