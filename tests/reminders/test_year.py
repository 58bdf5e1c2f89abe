"""A simulated year of reminders, driven by the injectable clock.

The expected reminders come from an oracle that counts working days one by one,
independently of the schedule's index, and are compared chat by chat with what the
engine planned and let through at send time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from scheduler.clock import FakeClock
from scheduler.plan.control_points import ControlPoint
from scheduler.progress import ControlPolicy
from scheduler.reminders.facts import reminder_facts
from scheduler.reminders.planner import MISSED_DIGEST_POINT, tick
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.status_repo import NewStatus
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow
from scheduler.workdays import WorkingCalendar

TZ = ZoneInfo("Asia/Almaty")
CAL = WorkingCalendar()
POLICY = ReminderPolicy()
# These stories are about the reminders: a done closes its point, as with acceptance off.
DONE_CLOSES = ControlPolicy(acceptance=False)
ADMIN = 900
CHAT_MSM, CHAT_ZHAO, CHAT_TASK2, CHAT_ISB = 101, 102, 103, 104


def _point(
    pid: str, task: int, kind: str, agencies: tuple[str, ...], nominal: dt.date
) -> ControlPoint:
    return ControlPoint(
        id=pid,
        task=task,
        kind=kind,  # type: ignore[arg-type]
        agencies=agencies,
        lead=agencies[0],
        consolidator=None,
        nominal=nominal,
        effective=CAL.effective(nominal),
        phrase="test",
    )


# 1 March 2024 is the day Kazakhstan moved from UTC+6 to UTC+5.
P1 = _point("T01-deadline-2024-03-01", 1, "deadline", ("МСМ", "ЖАО"), dt.date(2024, 3, 1))
# Sunday 10 March 2024; 8 March is a holiday, so it moves back to Thursday 7 March.
P2 = _point("T02-report-2024-03-10", 2, "report", ("БҒМ",), dt.date(2024, 3, 10))
# Monday 16 December 2024 is Independence Day.
P3 = _point("T03-deadline-2024-12-16", 3, "deadline", ("МСМ",), dt.date(2024, 12, 16))
CONTROLS = {1: ("ІСБ",), 2: ("ІСБ",), 3: ("МҚБ",)}


def _working_days_after(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end], counted one day at a time."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += CAL.is_working_day(day)
    return count


def _oracle(point: ControlPoint, closed_on: dt.date | None, until: dt.date) -> dict[dt.date, str]:
    """The reminder days of a point, and their slots, as the policy states them."""
    expected: dict[dt.date, str] = {}
    day = dt.date(2024, 1, 1)
    while day <= until:
        if CAL.is_working_day(day) and (closed_on is None or day <= closed_on):
            if day <= point.effective:
                before = _working_days_after(day, point.effective)
                if before in POLICY.offsets:
                    expected[day] = "0" if before == 0 else f"-{before}"
            else:
                late = _working_days_after(point.effective, day)
                if late in (1, 3) or (late > 3 and (late - 3) % 5 == 0):
                    expected[day] = f"+{late}"
        day += dt.timedelta(days=1)
    return expected


async def _deliver(
    db: Database,
    clock: FakeClock,
    schedule: ReminderSchedule,
    log: dict[int, list[tuple[str, str, dt.datetime]]],
) -> None:
    """Send what is due the way the delivery worker does, minus Telegram."""
    today = clock.now().astimezone(TZ).date()
    async with db.unit_of_work() as uow:
        items = await uow.outbox.claim(
            clock.now(), "sim", limit=1000, lease=dt.timedelta(minutes=5)
        )
        for item in items:
            if item.kind is MessageKind.MISSED_DIGEST:
                await uow.outbox.mark_sent(item.id, clock.now(), None, by="sim")
                log[item.chat_id].append((item.control_point, item.slot, clock.now()))
                continue
            facts = await reminder_facts(uow, item, schedule, today, DONE_CLOSES)
            if facts is None:
                await uow.outbox.mark_cancelled(item.id, "not needed", by="sim")
            else:
                await uow.outbox.mark_sent(item.id, clock.now(), None, by="sim")
                log[item.chat_id].append((item.control_point, item.slot, clock.now()))


async def _subscribe(db: Database, now: dt.datetime) -> None:
    async with db.unit_of_work() as uow:
        await uow.subscriptions.subscribe(CHAT_MSM, Follow.AGENCY, "МСМ", now, None)
        await uow.subscriptions.subscribe(CHAT_ZHAO, Follow.AGENCY, "ЖАО", now, None)
        await uow.subscriptions.subscribe(CHAT_TASK2, Follow.TASK, "2", now, None)
        await uow.subscriptions.subscribe(CHAT_ISB, Follow.AGENCY, "ІСБ", now, None)


async def _report_done(db: Database, point: ControlPoint, agency: str, at: dt.datetime) -> None:
    async with db.unit_of_work() as uow:
        await uow.statuses.add(
            NewStatus(point.id, point.task, agency, "done", "орындалды", "reply", 1, CHAT_MSM),
            at,
        )


async def test_a_year_of_reminders_matches_the_policy(db: Database) -> None:
    schedule = ReminderSchedule([P1, P2, P3], CAL, POLICY, TZ, CONTROLS)
    clock = FakeClock(dt.datetime(2024, 1, 1, tzinfo=TZ))
    await _subscribe(db, clock.now())
    log: dict[int, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    p1_done_at = dt.datetime(2024, 3, 4, 11, 30, tzinfo=TZ)  # after the +1 nudge went out
    p3_done_at = dt.datetime(2024, 12, 10, 11, 30, tzinfo=TZ)
    end = dt.date(2024, 12, 31)
    day = dt.date(2024, 1, 1)
    while day <= end:
        for hour, minute in ((9, 5), (11, 30)):
            moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
            clock.set(moment)
            if moment == p1_done_at:
                await _report_done(db, P1, "МСМ", clock.now())
            if moment == p3_done_at:
                await _report_done(db, P3, "МСМ", clock.now())
            await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
            await _deliver(db, clock, schedule, log)
        day += dt.timedelta(days=1)

    def days_of(chat: int, point: ControlPoint) -> dict[dt.date, str]:
        sent = [(slot, at) for pid, slot, at in log[chat] if pid == point.id and slot != "esc"]
        return {at.astimezone(TZ).date(): slot for slot, at in sent}

    p1_expected = _oracle(P1, dt.date(2024, 3, 4), end)
    assert days_of(CHAT_MSM, P1) == p1_expected
    # The co-executor is chased too, until the lead closes the point.
    assert days_of(CHAT_ZHAO, P1) == p1_expected
    assert days_of(CHAT_TASK2, P2) == _oracle(P2, None, end)
    # Reported done on 10 December after that morning's reminder: nothing more follows.
    assert days_of(CHAT_MSM, P3) == _oracle(P3, dt.date(2024, 12, 10), end)
    assert P3.effective == dt.date(2024, 12, 13)

    # Every reminder went out at the send time, local, on a working day, across the change
    # from UTC+6 to UTC+5.
    for chat in (CHAT_MSM, CHAT_ZHAO, CHAT_TASK2):
        for _, _, at in log[chat]:
            local = at.astimezone(TZ)
            assert local.time() == dt.time(9, 5)
            assert CAL.is_working_day(local.date())
    offsets = {at.astimezone(TZ).utcoffset() for _, _, at in log[CHAT_TASK2]}
    assert offsets == {dt.timedelta(hours=6), dt.timedelta(hours=5)}

    # P2 was never reported: it escalates once, five working days late, to its controlling
    # department and to the administrator; P1 was closed before that and never escalates.
    escalations = {
        chat: [(pid, at.astimezone(TZ).date()) for pid, slot, at in log[chat] if slot == "esc"]
        for chat in (CHAT_ISB, ADMIN)
    }
    esc_day = CAL.add_working_days(P2.effective, 5)
    assert escalations == {CHAT_ISB: [(P2.id, esc_day)], ADMIN: [(P2.id, esc_day)]}
    assert [pid for pid, _, _ in log[CHAT_ISB]] == [P2.id]


async def test_downtime_sends_within_grace_and_reports_the_rest(db: Database) -> None:
    schedule = ReminderSchedule([P2], CAL, POLICY, TZ, CONTROLS)
    clock = FakeClock(dt.datetime(2024, 2, 1, 8, 0, tzinfo=TZ))
    await _subscribe(db, clock.now())
    await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
    # Down from 1 February 08:00 until 7 March (the effective day) at 14:00.
    clock.set(dt.datetime(2024, 3, 7, 14, 0, tzinfo=TZ))
    result = await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
    log: dict[int, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    await _deliver(db, clock, schedule, log)
    assert [(pid, slot) for pid, slot, _ in log[CHAT_TASK2]] == [(P2.id, "0")]
    # -10, -5, -3 and -1 passed while the bot was down: recorded as missed, listed once.
    assert result.missed == 4
    assert [slot for pid, slot, _ in log[ADMIN] if pid == MISSED_DIGEST_POINT] != []
    assert len(log[ADMIN]) == 1
    async with db.unit_of_work() as uow:
        from sqlalchemy import select

        missed = (
            await uow.session.scalars(
                select(OutboxRow.slot).where(OutboxRow.state == OutboxState.MISSED)
            )
        ).all()
    assert sorted(missed) == ["-1", "-10", "-3", "-5"]

    # After working hours the same day's wave is missed too, never sent at night.
    clock.set(dt.datetime(2024, 3, 8, 20, 0, tzinfo=TZ))
    await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
    await _deliver(db, clock, schedule, log)
    assert [(pid, slot) for pid, slot, _ in log[CHAT_TASK2]] == [(P2.id, "0")]


async def test_repeated_and_concurrent_ticks_plan_once(db: Database) -> None:
    import asyncio

    schedule = ReminderSchedule([P1], CAL, POLICY, TZ, CONTROLS)
    clock = FakeClock(dt.datetime(2024, 3, 1, 8, 0, tzinfo=TZ))
    await _subscribe(db, clock.now())
    await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
    clock.set(dt.datetime(2024, 3, 1, 9, 1, tzinfo=TZ))
    results = await asyncio.gather(
        *(tick(db, clock, schedule, [ADMIN], DONE_CLOSES) for _ in range(4))
    )
    await tick(db, clock, schedule, [ADMIN], DONE_CLOSES)
    assert sum(r.planned for r in results) == 2  # МСМ's chat and ЖАО's chat, once each
    async with db.unit_of_work() as uow:
        assert await uow.outbox.depth() == 2
