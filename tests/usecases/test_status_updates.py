"""The central rules of status reports, called directly: who may report what, and undo.

The stories in tests/e2e go through Telegram; these call the use cases on a real database
(SQLite and PostgreSQL) with the real plan, so each rule is pinned down on its own.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scheduler.clock import FakeClock
from scheduler.progress import ControlPolicy
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.tables import AuditRow, UserRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core
from scheduler.usecases.replies import answer_reply
from scheduler.usecases.status_updates import (
    Clarify,
    Recorded,
    Reply,
    Report,
    UndoResult,
    report_status,
    undo_status,
)
from scheduler.vocabulary.control import ItemState, Source, Status
from scheduler.vocabulary.messages import MessageKind
from tests.reports.support import runtime
from tests.usecases.support import core_for, person

ALMATY = ZoneInfo("Asia/Almaty")
OFFICER, ZHAO, OUTSIDER = 501, 502, 503
START = dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY)


async def _core(db: Database) -> tuple[Core, FakeClock]:
    clock = FakeClock(START)
    core = core_for(db, clock, runtime())
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", clock.now(), None)
        await uow.members.add(ZHAO, "ЖАО", "coordinator", clock.now(), None)
    return core, clock


async def _reminder(db: Database, chat: int, point: str, agencies: list[str], message: int) -> int:
    """A reminder planned for ``chat`` and delivered as ``message``; its outbox id."""
    now = dt.datetime(2016, 6, 1, 3, 0, tzinfo=dt.UTC)
    async with db.unit_of_work() as uow:
        await uow.outbox.enqueue(
            [
                NewMessage(
                    chat_id=chat,
                    control_point=point,
                    slot="-5",
                    kind=MessageKind.REMINDER,
                    due_at=now,
                    payload={"agencies": agencies},
                )
            ],
            now,
        )
        (item,) = await uow.outbox.claim(now, "test", limit=1, lease=dt.timedelta(minutes=5))
        await uow.outbox.mark_sent(item.id, now, message, by="test")
    return item.id


def _done(task: int, text: str = "орындалды") -> Report:
    return Report(status=Status.DONE, text=text, source=Source.COMMAND, task=task)


async def test_a_member_reports_the_current_point_of_a_task(db: Database) -> None:
    core, _ = await _core(db)
    answer = await report_status(core, person(OFFICER, "Бақыт"), _done(6, "Орындалды ✅"))
    recorded = answer.result
    assert isinstance(recorded, Recorded)
    assert (recorded.point.id, recorded.agency, recorded.status) == (
        "T06-deadline-2016-06-30",
        "МСМ",
        Status.DONE,
    )
    # The lead's done waits for its controller: it closes nothing yet.
    assert recorded.state is ItemState.AWAITING_ACCEPTANCE and not recorded.closes_point
    assert recorded.co_executors == ()
    async with db.unit_of_work() as uow:
        entry = await uow.statuses.get(recorded.status_id)
        user = await uow.session.get(UserRow, OFFICER)
    assert entry is not None and entry.text == "Орындалды ✅" and entry.user_id == OFFICER
    # The same transaction recorded who wrote.
    assert user is not None and user.first_name == "Бақыт"


async def test_once_done_the_next_point_of_the_task_is_the_current_one(db: Database) -> None:
    core, _ = await _core(db)
    first = (await report_status(core, person(OFFICER), _done(7))).result
    second = (await report_status(core, person(OFFICER), _done(7))).result
    assert isinstance(first, Recorded) and isinstance(second, Recorded)
    assert first.point.id != second.point.id
    assert first.point.effective <= second.point.effective


async def test_the_lead_is_shown_its_co_executors_and_a_co_executor_does_not_close(
    db: Database,
) -> None:
    core, _ = await _core(db)
    zhao = (await report_status(core, person(ZHAO), _done(9))).result
    assert isinstance(zhao, Recorded) and zhao.agency == "ЖАО"
    assert not zhao.closes_point and zhao.co_executors == ()
    assert zhao.state is ItemState.DONE
    lead = (await report_status(core, person(OFFICER), _done(9))).result
    assert isinstance(lead, Recorded) and lead.state is ItemState.AWAITING_ACCEPTANCE
    assert not lead.closes_point
    assert {(c.agency, c.status) for c in lead.co_executors} == {
        ("БҒМ", None),
        ("ЖАО", Status.DONE),
    }


async def test_without_acceptance_the_leads_done_closes_the_point_at_once(db: Database) -> None:
    clock = FakeClock(START)
    core = core_for(db, clock, runtime(ControlPolicy(acceptance=False)))
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", clock.now(), None)
    lead = (await report_status(core, person(OFFICER), _done(9))).result
    assert isinstance(lead, Recorded) and lead.state is ItemState.DONE and lead.closes_point
    async with db.unit_of_work() as uow:
        assert await uow.outbox.depth() == 0


async def test_refusals_name_their_reason_and_are_recorded(db: Database) -> None:
    core, _ = await _core(db)
    outsider = (await report_status(core, person(OUTSIDER), _done(6))).result
    assert outsider == Refusal.of(Why.NOT_MEMBER, agencies=("МСМ",), task=6)
    unknown = (await report_status(core, person(OFFICER), _done(99))).result
    assert unknown == Refusal.of(Why.UNKNOWN_TASK, task=99, last=18)
    # Task 14 is БҒМ's and ЖАО's; ЖАО's coordinator reports every one of its points.
    reported = 0
    while isinstance(
        nothing := (await report_status(core, person(ZHAO), _done(14))).result, Recorded
    ):
        reported += 1
    assert reported == len(core.runtime.points_of(14))
    assert nothing == Refusal.of(Why.NOTHING_OPEN, agencies=("ЖАО",), task=14)
    async with db.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(AuditRow).order_by(AuditRow.id))).all()
    refused = [(r.user_id, r.action) for r in rows if not r.allowed]
    assert refused == [
        (OUTSIDER, "status.report"),
        (OFFICER, "status.report"),
        (ZHAO, "status.report"),
    ]
    assert '"reason": "not_member"' in rows[0].detail
    # Each report recorded is audited too, in its own transaction, with the state it changed.
    allowed = [r for r in rows if r.allowed]
    assert len(allowed) == reported and {(r.user_id, r.action) for r in allowed} == {
        (ZHAO, "status.report")
    }
    assert '"after": "done", "agency": "ЖАО", "before": "not_started"' in allowed[0].detail


async def test_a_reply_to_a_reminder_is_recorded_for_the_agency_it_asked(db: Database) -> None:
    core, _ = await _core(db)
    await _reminder(db, OFFICER, "T09-deadline-2016-06-30", ["МСМ"], message=77)
    reply = Reply(text="Орындалды, хаттама жіберілді", replied_to=77, message_id=78)
    recorded = (await answer_reply(core, person(OFFICER), reply)).result
    assert isinstance(recorded, Recorded)
    assert (recorded.point.id, recorded.agency) == ("T09-deadline-2016-06-30", "МСМ")
    # The same message in another chat is not a reminder there.
    elsewhere = (await answer_reply(core, person(OFFICER, chat_id=-9), reply)).result
    assert elsewhere == Refusal.of(Why.UNKNOWN_REMINDER)


async def test_an_unclear_reply_is_answered_with_a_question_not_a_guess(db: Database) -> None:
    core, _ = await _core(db)
    reminder = await _reminder(db, OFFICER, "T06-deadline-2016-06-30", ["МСМ"], message=90)
    ok = (await answer_reply(core, person(OFFICER), Reply("ок", 90, 91))).result
    assert ok == Clarify(
        reminder, (Status.DONE, Status.IN_PROGRESS), (Status.DONE, Status.IN_PROGRESS)
    )
    nothing = (await answer_reply(core, person(OFFICER), Reply("сәлем", 90, 92))).result
    assert nothing == Clarify(reminder, (), (Status.DONE, Status.IN_PROGRESS, Status.PROBLEM))
    async with db.unit_of_work() as uow:
        assert await uow.statuses.latest(["T06-deadline-2016-06-30"]) == {}
    not_reminder = (await answer_reply(core, person(OFFICER), Reply("ок", 5, 93))).result
    assert not_reminder == Refusal.of(Why.NOT_A_REMINDER)


async def test_undo_withdraws_only_ones_own_report_within_the_window(db: Database) -> None:
    core, clock = await _core(db)
    recorded = (await report_status(core, person(OFFICER), _done(6))).result
    assert isinstance(recorded, Recorded)
    point = recorded.point.id

    other = await undo_status(core, person(ZHAO), status_id=recorded.status_id)
    assert other.result is UndoResult.NOT_YOURS
    clock.advance(dt.timedelta(minutes=4, seconds=59))
    mine = await undo_status(core, person(OFFICER), status_id=recorded.status_id)
    assert mine.result is UndoResult.UNDONE
    again = await undo_status(core, person(OFFICER), status_id=recorded.status_id)
    assert again.result is UndoResult.UNKNOWN
    async with db.unit_of_work() as uow:
        assert await uow.statuses.latest([point]) == {}
        audited = (
            await uow.session.execute(
                select(AuditRow.action, AuditRow.allowed, AuditRow.detail).order_by(AuditRow.id)
            )
        ).all()
    assert [(a, ok) for a, ok, _ in audited] == [
        ("status.report", True),
        ("status.undo", False),
        ("status.undo", True),
    ]
    assert '"after": null' in audited[2][2] and '"before": "done"' in audited[2][2]

    late = (await report_status(core, person(OFFICER), _done(6))).result
    assert isinstance(late, Recorded)
    clock.advance(dt.timedelta(minutes=5, seconds=1))
    expired = await undo_status(core, person(OFFICER), status_id=late.status_id)
    assert expired.result is UndoResult.EXPIRED
    missing = await undo_status(core, person(OFFICER), status_id=10_000)
    assert missing.result is UndoResult.UNKNOWN
