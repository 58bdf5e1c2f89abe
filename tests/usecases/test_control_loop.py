"""The controller's loop in the core: the rules of acceptance, extensions, interim requests and
snoozes that the stories through the Bot API do not reach, checked on the use cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scheduler.clock import FakeClock
from scheduler.refusals import Refusal, Why
from scheduler.reminders.planner import tick
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core
from scheduler.usecases.extensions import ExtensionAsked, request_extension
from scheduler.usecases.interim import ask_interim
from scheduler.usecases.reminders import prepare
from scheduler.usecases.replies import answer_button
from scheduler.usecases.reviews import Decided, accept_report
from scheduler.usecases.snoozes import Snoozed, snooze
from scheduler.usecases.status_updates import Recorded, Report, report_status, undo_status
from scheduler.vocabulary.control import ItemState, Source, Status
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow
from tests.reports.support import runtime
from tests.usecases.support import core_for, person

ALMATY = ZoneInfo("Asia/Almaty")
OFFICER, ZHAO, CONTROLLER, OTHER = 601, 602, 603, 604
START = dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY)


async def _core(db: Database) -> tuple[Core, FakeClock]:
    """МСМ's officer, ЖАО's coordinator, an ІСБ controller and an МҚБ controller."""
    clock = FakeClock(START)
    core = core_for(db, clock, runtime())
    async with db.unit_of_work() as uow:
        await uow.members.add(OFFICER, "МСМ", "officer", clock.now(), None)
        await uow.members.add(ZHAO, "ЖАО", "coordinator", clock.now(), None)
        await uow.members.add(CONTROLLER, "ІСБ", "controller", clock.now(), None)
        await uow.members.add(OTHER, "МҚБ", "controller", clock.now(), None)
        await uow.subscriptions.subscribe(OFFICER, Follow.AGENCY, "МСМ", clock.now(), None)
    return core, clock


def _done(task: int) -> Report:
    return Report(status=Status.DONE, text="орындалды", source=Source.COMMAND, task=task)


async def _rows(db: Database, kind: MessageKind, chat: int | None = None) -> list[OutboxRow]:
    async with db.unit_of_work() as uow:
        query = select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
        if chat is not None:
            query = query.where(OutboxRow.chat_id == chat)
        return list(await uow.session.scalars(query))


async def _sent(db: Database, now: dt.datetime) -> list[OutboxItem]:
    """Deliver everything due, as the worker would, numbering the messages by their ids."""
    async with db.unit_of_work() as uow:
        items = await uow.outbox.claim(now, "test", limit=1000, lease=dt.timedelta(minutes=5))
        for item in items:
            await uow.outbox.mark_sent(item.id, now, 10_000 + item.id, by="test")
    return items


async def _tick_on(core: Core, clock: FakeClock, day: dt.date) -> list[OutboxItem]:
    clock.set(dt.datetime.combine(day, dt.time(9, 0, 30), ALMATY))
    await tick(core.db, clock, core.runtime.schedule, [], core.runtime.control)
    return await _sent(core.db, clock.now())


async def test_a_report_waiting_too_long_reminds_its_controllers_each_working_day(
    db: Database,
) -> None:
    core, clock = await _core(db)
    clock.set(dt.datetime(2016, 6, 27, 11, 0, tzinfo=ALMATY))  # a Monday
    recorded = (await report_status(core, person(OFFICER), _done(6))).result
    assert isinstance(recorded, Recorded) and recorded.controllers == 1
    await _sent(db, clock.now())
    reminded: list[dt.date] = []
    day = dt.date(2016, 6, 28)
    while day <= dt.date(2016, 7, 5):
        for item in await _tick_on(core, clock, day):
            if item.kind is MessageKind.REVIEW_REMINDER:
                assert item.chat_id == CONTROLLER and item.payload["status"] == recorded.status_id
                reminded.append(day)
        day += dt.timedelta(days=1)
    # Three working days may pass (28, 29, 30 June); from the fourth, once a working day.
    assert reminded == [dt.date(2016, 7, 1), dt.date(2016, 7, 4), dt.date(2016, 7, 5)]

    decided = (await accept_report(core, person(CONTROLLER), status_id=recorded.status_id)).result
    assert isinstance(decided, Decided)
    later = await _tick_on(core, clock, dt.date(2016, 7, 7))
    assert [i for i in later if i.kind is MessageKind.REVIEW_REMINDER] == []


async def test_a_decision_is_taken_only_from_the_chat_the_report_was_sent_to(
    db: Database,
) -> None:
    core, clock = await _core(db)
    recorded = (await report_status(core, person(OFFICER), _done(6))).result
    assert isinstance(recorded, Recorded)
    await _sent(db, clock.now())
    status = recorded.status_id
    # The controller, from a group the report never reached.
    group = person(CONTROLLER, chat_id=-77)
    assert (await accept_report(core, group, status_id=status)).result == Refusal.of(
        Why.NOT_SENT_HERE
    )
    # A controller of another department, and someone of the reporting agency.
    other = (await accept_report(core, person(OTHER), status_id=status)).result
    assert isinstance(other, Refusal) and other.why is Why.NOT_CONTROLLER
    own = (await accept_report(core, person(OFFICER), status_id=status)).result
    assert isinstance(own, Refusal) and own.why is Why.NOT_CONTROLLER
    missing = (await accept_report(core, person(CONTROLLER), status_id=99_999)).result
    assert missing == Refusal.of(Why.STALE_REVIEW)
    async with db.unit_of_work() as uow:
        entry = await uow.statuses.get(status)
    assert entry is not None and entry.review is None


async def test_a_withdrawn_or_replaced_report_is_not_decided(db: Database) -> None:
    core, clock = await _core(db)
    first = (await report_status(core, person(OFFICER), _done(6))).result
    assert isinstance(first, Recorded)
    assert (await undo_status(core, person(OFFICER), status_id=first.status_id)).result
    # Its request to accept, not sent yet, is no longer needed once the report is withdrawn.
    (request,) = await _sent(db, clock.now())
    assert request.kind is MessageKind.REVIEW and not (await prepare(core, request)).needed
    stale = (await accept_report(core, person(CONTROLLER), status_id=first.status_id)).result
    assert stale == Refusal.of(Why.STALE_REVIEW)

    # Two dones for the same item, as two replies to its reminder would be.
    item = Report(
        Status.DONE, "орындалды", Source.BUTTON, point_id="T06-deadline-2016-06-30", agency="МСМ"
    )
    again = (await report_status(core, person(OFFICER), item)).result
    later = (await report_status(core, person(OFFICER), item)).result
    assert isinstance(again, Recorded) and isinstance(later, Recorded)
    # A second done while the first waits is a report of its own; it replaces the first.
    assert again.point.id == later.point.id and later.state is ItemState.AWAITING_ACCEPTANCE
    await _sent(db, clock.now())
    replaced = (await accept_report(core, person(CONTROLLER), status_id=again.status_id)).result
    assert replaced == Refusal.of(Why.STALE_REVIEW)
    accepted = (await accept_report(core, person(CONTROLLER), status_id=later.status_id)).result
    assert isinstance(accepted, Decided) and accepted.told == 1
    # Once accepted, another done for the same item changes nothing.
    closed = (await report_status(core, person(OFFICER), item)).result
    assert isinstance(closed, Refusal) and closed.why is Why.ALREADY_REPORTED


async def test_an_extension_waits_alone_and_a_late_one_is_marked(db: Database) -> None:
    core, clock = await _core(db)
    clock.set(dt.datetime(2016, 6, 28, 10, 0, tzinfo=ALMATY))
    text = "15.07.2016 the draft is with the ministries"
    late = (await request_extension(core, person(OFFICER), task=6, text=text)).result
    # Two working days before 30 June is in time; one (29 June and after) is late.
    assert isinstance(late, ExtensionAsked) and not late.late
    twice = (await request_extension(core, person(OFFICER), task=6, text=text)).result
    assert twice == Refusal.of(Why.PENDING_REQUEST, task=6, agency="МСМ")
    clock.set(dt.datetime(2016, 6, 29, 10, 0, tzinfo=ALMATY))
    nine = (await request_extension(core, person(OFFICER), task=9, text=text)).result
    assert isinstance(nine, ExtensionAsked) and nine.late
    earlier = (await request_extension(core, person(OFFICER), task=17, text="20.06.2016 x")).result
    assert isinstance(earlier, Refusal) and earlier.why is Why.BAD_EXTENSION_DATE
    stranger = (await request_extension(core, person(OTHER), task=6, text=text)).result
    assert isinstance(stranger, Refusal) and stranger.why is Why.NOT_MEMBER


async def test_a_snooze_never_holds_back_an_escalation(db: Database) -> None:
    core, clock = await _core(db)
    async with db.unit_of_work() as uow:
        await uow.subscriptions.subscribe(CONTROLLER, Follow.AGENCY, "ІСБ", clock.now(), None)
    # 30 June passes unreported; the overdue nudges follow.
    nudged = await _tick_on(core, clock, dt.date(2016, 7, 1))
    (nudge,) = [
        i for i in nudged if i.chat_id == OFFICER and i.control_point == "T06-deadline-2016-06-30"
    ]
    put_off = (await snooze(core, person(OFFICER), reminder_id=nudge.id, working_days=3)).result
    # Three working days from Friday 1 July: 4, 5 and (6 July is a holiday) 7 July.
    assert isinstance(put_off, Snoozed) and put_off.until == dt.date(2016, 7, 7)
    heard: dict[dt.date, set[tuple[int, MessageKind]]] = {}
    for day in (dt.date(2016, 7, 4), dt.date(2016, 7, 5), dt.date(2016, 7, 7), dt.date(2016, 7, 8)):
        heard[day] = {
            (i.chat_id, i.kind)
            for i in await _tick_on(core, clock, day)
            if i.control_point == "T06-deadline-2016-06-30"
        }
    # Put off in the officer's chat until 7 July, when it comes back; the escalation after
    # five working days overdue (8 July) reaches the controllers whatever the chat put off.
    assert heard[dt.date(2016, 7, 4)] == heard[dt.date(2016, 7, 5)] == set()
    assert (OFFICER, MessageKind.REMINDER) in heard[dt.date(2016, 7, 7)]
    assert (CONTROLLER, MessageKind.ESCALATION) in heard[dt.date(2016, 7, 8)]


async def test_interim_requests_come_from_controllers_and_answers_from_members(
    db: Database,
) -> None:
    core, clock = await _core(db)
    refused = (await ask_interim(core, person(OTHER), task=6, agency=None, text="?")).result
    assert isinstance(refused, Refusal) and refused.why is Why.NOT_CONTROLLER
    unknown = (await ask_interim(core, person(CONTROLLER), task=6, agency="ЖАО", text="?")).result
    assert isinstance(unknown, Refusal) and unknown.why is Why.UNKNOWN_AGENCY
    asked = (await ask_interim(core, person(CONTROLLER), task=9, agency=None, text="?")).result
    assert not isinstance(asked, Refusal) and asked.agencies == ("МСМ", "БҒМ", "ЖАО")
    (request,) = await _sent(db, clock.now())
    report = Report(Status.IN_PROGRESS, "⏳", Source.BUTTON, reminder_id=request.id)
    # Someone outside the agencies asked cannot answer for them, in their chat or not.
    outsider = (await answer_button(core, person(OTHER, chat_id=OFFICER), report)).result
    assert isinstance(outsider, Refusal)
    answered = (await answer_button(core, person(OFFICER), report)).result
    assert isinstance(answered, Recorded) and answered.interim_request is not None
    (back,) = await _rows(db, MessageKind.INTERIM_ANSWER)
    assert back.chat_id == CONTROLLER
