"""A wave planned a page of chats per transaction: every reminder exactly once, through a
crash between steps and with two instances ticking at once, and the progress on record."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import replace
from types import TracebackType
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.clock import FakeClock
from scheduler.plan.control_points import ControlPoint
from scheduler.progress import ControlPolicy
from scheduler.reminders.planner import (
    MISSED_DIGEST_POINT,
    PLANNED_UNTIL,
    TickResult,
    tick,
    wave_in_progress,
)
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.engine import create_engine
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.vocabulary.subscriptions import Follow
from scheduler.workdays import WorkingCalendar

TZ = ZoneInfo("Asia/Almaty")
CAL = WorkingCalendar()
DONE_CLOSES = ControlPolicy(acceptance=False)
ADMIN = 900
DUE = dt.date(2024, 3, 1)
POINT = ControlPoint(
    id="T01-deadline-2024-03-01",
    task=1,
    kind="deadline",
    agencies=("МСМ", "ЖАО"),
    lead="МСМ",
    consolidator=None,
    nominal=DUE,
    effective=DUE,
    phrase="test",
)
SCHEDULE = ReminderSchedule([POINT], CAL, ReminderPolicy(), TZ, {1: ("ІСБ",)})
STEP = 4
# A group (a negative id) and private chats; some follow both agencies, some the task too,
# and one follows only an agency nobody reminds today.
AGENCY_CHATS = {"МСМ": [-100_500, *range(1000, 1013)], "ЖАО": list(range(1008, 1020))}
TASK_CHATS = [1005, 1019, 1020, 1021]
BYSTANDER = 2000
REMINDED = sorted({c for chats in AGENCY_CHATS.values() for c in chats} | set(TASK_CHATS))


async def _subscribe(db: Database, now: dt.datetime) -> None:
    async with db.unit_of_work() as uow:
        for agency, chats in AGENCY_CHATS.items():
            for chat in chats:
                await uow.subscriptions.subscribe(chat, Follow.AGENCY, agency, now, None)
        for chat in TASK_CHATS:
            await uow.subscriptions.subscribe(chat, Follow.TASK, "1", now, None)
        await uow.subscriptions.subscribe(BYSTANDER, Follow.AGENCY, "БҒМ", now, None)


async def _ready(db: Database) -> FakeClock:
    """Subscribed, planned up to the morning of the due day; the clock at the wave."""
    clock = FakeClock(dt.datetime(2024, 3, 1, 8, 0, tzinfo=TZ))
    await _subscribe(db, clock.now())
    assert (await tick(db, clock, SCHEDULE, [ADMIN], DONE_CLOSES)).planned == 0
    clock.set(dt.datetime(2024, 3, 1, 9, 1, tzinfo=TZ))
    return clock


async def _rows(db: Database) -> list[OutboxRow]:
    async with db.unit_of_work() as uow:
        return list((await uow.session.scalars(select(OutboxRow))).all())


def _reminded_once(rows: list[OutboxRow]) -> None:
    reminders = [r for r in rows if r.control_point == POINT.id]
    assert sorted(r.chat_id for r in reminders) == REMINDED
    assert {(r.slot, r.state) for r in reminders} == {("0", OutboxState.PENDING)}


async def _planned_until(db: Database) -> dt.datetime | None:
    async with db.unit_of_work() as uow:
        return await uow.engine_state.get_time(PLANNED_UNTIL)


class _CountingUnit(UnitOfWork):
    """A unit of work that, once its database has let ``survive`` commit, fails at commit
    as a process dying there would: nothing it wrote remains."""

    def __init__(self, db: CrashingDatabase, *, background: bool) -> None:
        super().__init__(db.sessions, db._turn, db.bell, background=background)
        self._db = db

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None and self._db.committed >= self._db.survive:
            crash = RuntimeError("the process died mid-step")
            await super().__aexit__(RuntimeError, crash, None)
            raise crash
        await super().__aexit__(exc_type, exc, tb)
        if exc_type is None:
            self._db.committed += 1


class CrashingDatabase(Database):
    def __init__(self, engine: AsyncEngine, survive: int) -> None:
        super().__init__(engine)
        self.survive = survive
        self.committed = 0

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        return _CountingUnit(self, background=background)


async def test_a_wave_of_many_steps_is_planned_once(db: Database) -> None:
    clock = await _ready(db)
    counting = CrashingDatabase(db.engine, survive=10**6)
    result = await tick(counting, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)
    assert result == TickResult(waves=(DUE,), planned=len(REMINDED))
    # One transaction per page of the occasion's chats, and the last page runs to the end.
    assert counting.committed == len(REMINDED) // STEP + 1
    _reminded_once(await _rows(db))
    assert await _planned_until(db) == clock.now()
    async with db.unit_of_work() as uow:
        assert await wave_in_progress(uow) is None
    assert (await tick(db, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)).planned == 0


@pytest.mark.parametrize("survive", [1, 3])
async def test_a_crash_between_steps_leaves_the_rest_to_the_next_tick(
    db: Database, survive: int
) -> None:
    clock = await _ready(db)
    before = await _planned_until(db)
    crashing = CrashingDatabase(db.engine, survive=survive)
    with pytest.raises(RuntimeError, match="died mid-step"):
        await tick(crashing, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)

    # The steps that committed are on record: the wave, how far it got, what it planned.
    rows = await _rows(db)
    async with db.unit_of_work() as uow:
        wave = await wave_in_progress(uow)
    assert wave is not None
    assert (wave.until, wave.days, wave.planned) == (clock.now(), (DUE,), survive * STEP)
    assert len(rows) == survive * STEP
    assert wave.occasion is not None and wave.occasion[1:3] == (POINT.id, "0")
    assert wave.chat == max(r.chat_id for r in rows)
    assert await _planned_until(db) == before

    # A later tick, of this instance or another, continues from there.
    clock.advance(dt.timedelta(seconds=30))
    result = await tick(db, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)
    assert result.planned == len(REMINDED) - survive * STEP
    _reminded_once(await _rows(db))
    # The wave it finished ended where the first tick began it; the mark then caught up.
    assert await _planned_until(db) == clock.now()
    async with db.unit_of_work() as uow:
        assert await wave_in_progress(uow) is None


async def test_two_instances_ticking_at_once_plan_each_reminder_once(
    db: Database, database_url: str
) -> None:
    clock = await _ready(db)
    others = [Database(create_engine(database_url)) for _ in range(2)]
    try:
        results = await asyncio.gather(
            *(
                tick(other, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)
                for other in others
            )
        )
    finally:
        for other in others:
            await other.close()
    assert sum(r.planned for r in results) == len(REMINDED)
    _reminded_once(await _rows(db))
    assert await _planned_until(db) == clock.now()


class _ReaderThenOther(UnitOfWork):
    """A reading unit after which, the first time, another instance plans the whole wave:
    the step just worked out is then out of date before it is written."""

    def __init__(self, db: OvertakenDatabase) -> None:
        super().__init__(db.sessions, None, None, reads_only=True)
        self._db = db

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await super().__aexit__(exc_type, exc, tb)
        if not self._db.overtaken:
            self._db.overtaken = True
            other = Database(self._db.engine)
            self._db.other_planned = (
                await tick(other, self._db.clock, SCHEDULE, [ADMIN], DONE_CLOSES)
            ).planned


class OvertakenDatabase(Database):
    def __init__(self, engine: AsyncEngine, clock: FakeClock) -> None:
        super().__init__(engine)
        self.clock = clock
        self.overtaken = False
        self.other_planned = 0

    def reading(self) -> UnitOfWork:
        return _ReaderThenOther(self)


async def test_a_step_worked_out_from_a_record_since_moved_on_is_not_written(
    db: Database,
) -> None:
    clock = await _ready(db)
    slow = OvertakenDatabase(db.engine, clock)
    result = await tick(slow, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)
    assert slow.other_planned == len(REMINDED)
    assert result == TickResult(waves=(), planned=0)
    _reminded_once(await _rows(db))
    assert await _planned_until(db) == clock.now()


async def test_a_missed_wave_in_steps_is_listed_once_in_full(db: Database) -> None:
    clock = await _ready(db)
    # Down until after working hours: the whole wave is missed, and listed once.
    clock.set(dt.datetime(2024, 3, 1, 19, 0, tzinfo=TZ))
    with pytest.raises(RuntimeError):
        await tick(
            CrashingDatabase(db.engine, survive=2),
            clock,
            SCHEDULE,
            [ADMIN],
            DONE_CLOSES,
            rows_per_step=STEP,
        )
    result = await tick(db, clock, SCHEDULE, [ADMIN], DONE_CLOSES, rows_per_step=STEP)
    rows = await _rows(db)
    missed = [r for r in rows if r.control_point == POINT.id]
    assert sorted(r.chat_id for r in missed) == REMINDED
    assert {r.state for r in missed} == {OutboxState.MISSED}
    assert result.missed == len(REMINDED) - 2 * STEP
    digests = [r for r in rows if r.control_point == MISSED_DIGEST_POINT]
    assert [r.chat_id for r in digests] == [ADMIN]
    payload = json.loads(digests[0].payload)
    assert payload == {
        "total": len(REMINDED),
        "items": [{"point": POINT.id, "slot": "0", "day": DUE.isoformat(), "chats": len(REMINDED)}],
    }


async def test_a_wave_of_several_occasions_goes_occasion_by_occasion(db: Database) -> None:
    other = replace(POINT, id="T02-deadline-2024-03-01", task=2, agencies=("ЖАО",), lead="ЖАО")
    schedule = ReminderSchedule([POINT, other], CAL, ReminderPolicy(), TZ, {1: ("ІСБ",)})
    clock = await _ready(db)
    counting = CrashingDatabase(db.engine, survive=10**6)
    result = await tick(counting, clock, schedule, [ADMIN], DONE_CLOSES, rows_per_step=5)
    expected = [(POINT.id, chat) for chat in REMINDED]
    expected += [(other.id, chat) for chat in AGENCY_CHATS["ЖАО"]]
    assert result.planned == len(expected)
    rows = [r for r in await _rows(db) if r.control_point != MISSED_DIGEST_POINT]
    assert sorted((r.control_point, r.chat_id) for r in rows) == sorted(expected)
    # In the outbox's order, one occasion's chats, then the next's: each batch the delivery
    # worker takes reaches many chats.
    in_order = [r.control_point for r in sorted(rows, key=lambda r: r.id)]
    assert in_order == sorted(in_order)
    # Five rows a step; a page that ends exactly at an occasion's last chat leaves an empty
    # one to find that out.
    assert -(-len(expected) // 5) <= counting.committed <= -(-len(expected) // 5) + 1
