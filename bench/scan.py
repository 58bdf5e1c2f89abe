"""What one tick of the reminder engine costs with a large plan and many subscriptions.

Run from the repository root::

    python -m bench.scan [--tasks 10000] [--subs 100000] [--engine sqlite|postgres]

It builds a synthetic plan (``bench.synthetic``: one deadline per task over two years,
50 agencies) whose measured day has exactly ``tasks / 100`` reminder occasions, writes
``--subs`` subscribed chats into a fresh database (a SQLite file in a temporary folder, or
a schema of its own in ``TEST_POSTGRES_URL``), and times ``scheduler.reminders.planner.tick``:

* ``idle_ms``: the median tick at 10:00 local, after the 09:00 wave was planned, when the
  window holds no send instant;
* ``due1pct_ms``: the median tick at 09:00:30 on the measured day, which plans that day's
  wave (``occasions`` occasions, ``planned`` outbox rows); the outbox and the planning mark
  are reset before each run, outside the timing;
* ``same_due_ms``: the same wave, the same subscriptions, but a plan of ``same_due_tasks``
  tasks (a tenth of the size), to show that a tick costs what is due, not the plan's size.

The tick plans a wave a page of chats per step: a reader works the step out, and a
transaction writes it. ``steps`` is how many writing transactions the measured wave took,
``step_max_ms`` and ``step_p99_ms`` the slowest and the 99th percentile of them (each from
its first statement to its commit), the time any other writer may have to wait for one;
``read_max_ms`` and ``read_p99_ms`` are the same of the readers, which keep nobody waiting.
The bot's tick rests between steps (as long as a step took); here the steps run back to
back, so ``due1pct_ms`` is the work of planning.

``rss_mb`` is this process's peak resident memory, data generation included. The last
line printed holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import math
import os
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.synthetic import build_plan, insert_subscriptions
from scheduler.clock import FakeClock
from scheduler.progress import DEFAULT_CONTROL
from scheduler.reminders.planner import PLANNED_UNTIL, tick
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.tables import OutboxRow
from scheduler.storage.turn import Turn
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.workdays import WorkingCalendar

ALMATY = ZoneInfo("Asia/Almaty")
ADMINS = (7_000_001,)
POSTGRES_ENV = "TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Figures:
    engine: str
    tasks: int
    subs: int
    idle_ms: float
    due_ms: float
    occasions: int
    planned: int
    same_due_tasks: int
    same_due_ms: float
    same_due_planned: int
    rss_mb: float
    steps: int = 0
    step_max_ms: float = 0.0
    step_p99_ms: float = 0.0
    read_max_ms: float = 0.0
    read_p99_ms: float = 0.0

    def line(self) -> str:
        return (
            f"scan: engine={self.engine} tasks={self.tasks} subs={self.subs} "
            f"idle_ms={self.idle_ms:.1f} due1pct_ms={self.due_ms:.1f} "
            f"occasions={self.occasions} planned={self.planned} "
            f"same_due_tasks={self.same_due_tasks} same_due_ms={self.same_due_ms:.1f} "
            f"same_due_planned={self.same_due_planned} steps={self.steps} "
            f"step_max_ms={self.step_max_ms:.1f} step_p99_ms={self.step_p99_ms:.1f} "
            f"read_max_ms={self.read_max_ms:.1f} read_p99_ms={self.read_p99_ms:.1f} "
            f"rss_mb={self.rss_mb:.0f}"
        )


class _TimedUnit(UnitOfWork):
    def __init__(
        self, db: TimedDatabase, *, reads_only: bool = False, background: bool = False
    ) -> None:
        turn = None if reads_only else db.turn
        super().__init__(db.sessions, turn, db.bell, reads_only=reads_only, background=background)
        self._times = db.reads_ms if reads_only else db.transactions_ms
        self._started = 0.0

    async def __aenter__(self) -> _TimedUnit:
        await super().__aenter__()
        self._started = time.perf_counter()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await super().__aexit__(*exc)  # type: ignore[arg-type]
        finally:
            self._times.append((time.perf_counter() - self._started) * 1000)


class TimedDatabase(Database):
    """A database that keeps how long each of its units of work held a transaction, the
    writing ones and the reading ones apart."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self.transactions_ms: list[float] = []
        self.reads_ms: list[float] = []

    @property
    def turn(self) -> Turn | None:
        return self._turn

    def unit_of_work(self, *, background: bool = False) -> UnitOfWork:
        return _TimedUnit(self, background=background)

    def reading(self) -> UnitOfWork:
        return _TimedUnit(self, reads_only=True)


@contextlib.asynccontextmanager
async def fresh_database(engine: str) -> AsyncIterator[TimedDatabase]:
    """An empty, migrated database, removed afterwards."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="eskertu-scan-") as folder:
            db = TimedDatabase(
                create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'scan.sqlite3'}")
            )
            try:
                await upgrade(db.engine)
                yield db
            finally:
                await db.close()
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        raise SystemExit(f"scan: --engine postgres needs {POSTGRES_ENV}")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    await run_sql(base, f'CREATE SCHEMA "{schema}"')
    try:
        url = str(make_url(base).update_query_dict({"schema": schema}))
        db = TimedDatabase(create_engine(url))
        try:
            await upgrade(db.engine)
            yield db
        finally:
            await db.close()
    finally:
        await run_sql(base, f'DROP SCHEMA "{schema}" CASCADE')


async def run_sql(url: str, statement: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=ALMATY)


async def reset_wave(db: Database, day: dt.date) -> None:
    """Forget the measured day's wave: an empty outbox, planned up to the night before."""
    async with db.unit_of_work() as uow:
        await uow.session.execute(delete(OutboxRow))
        mark = local(day, 0)
        await uow.engine_state.put_time(PLANNED_UNTIL, mark, mark)


@dataclass(frozen=True)
class Wave:
    """The median milliseconds of the tick that plans a wave, the rows it planned, and its
    transactions (steps) over every run."""

    ms: float
    planned: int
    steps_ms: list[float]
    reads_ms: list[float]


async def time_wave(db: TimedDatabase, schedule: ReminderSchedule, day: dt.date, runs: int) -> Wave:
    timings, planned, steps, reads = [], 0, [], []
    for _ in range(runs):
        await reset_wave(db, day)
        clock = FakeClock(local(day, 9, 0, 30))
        db.transactions_ms.clear()
        db.reads_ms.clear()
        started = time.perf_counter()
        # The steps back to back: the work of planning, without the rests the bot takes.
        result = await tick(db, clock, schedule, ADMINS, DEFAULT_CONTROL, rest_per_step=0.0)
        timings.append((time.perf_counter() - started) * 1000)
        if result.skipped or result.waves != (day,):
            raise RuntimeError(f"the tick did not plan the wave of {day}: {result}")
        planned = result.planned
        steps.extend(db.transactions_ms)
        reads.extend(db.reads_ms)
    return Wave(statistics.median(timings), planned, steps, reads)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)] if ordered else 0.0


async def time_idle(db: Database, schedule: ReminderSchedule, day: dt.date, runs: int) -> float:
    """The median milliseconds of ticks at 10:00 and after, with the 09:00 wave planned."""
    clock = FakeClock(local(day, 10))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await tick(db, clock, schedule, ADMINS, DEFAULT_CONTROL)
        timings.append((time.perf_counter() - started) * 1000)
        if result.waves or result.planned:
            raise RuntimeError(f"an idle tick planned something: {result}")
        clock.advance(dt.timedelta(seconds=30))
    return statistics.median(timings)


def schedule_of(tasks: int, due: int, agencies: int) -> tuple[ReminderSchedule, int, dt.date]:
    calendar, policy = WorkingCalendar(), ReminderPolicy()
    plan = build_plan(tasks, due, agencies=agencies, calendar=calendar, policy=policy)
    schedule = ReminderSchedule(plan.points, calendar, policy, ALMATY, plan.controls)
    occasions = len(schedule.occasions_on(plan.day))
    if occasions != due:
        raise RuntimeError(f"the synthetic plan has {occasions} occasions, not {due}")
    return schedule, occasions, plan.day


async def scan(
    tasks: int, subs: int, *, engine: str, agencies: int, runs: int, idle_runs: int, progress: bool
) -> Figures:
    due = max(1, tasks // 100)
    small_tasks = max(due, tasks // 10)
    big_schedule, occasions, day = schedule_of(tasks, due, agencies)
    small_schedule, _, _ = schedule_of(small_tasks, due, agencies)
    async with fresh_database(engine) as db:
        if progress:
            print(f"scan: writing {subs} subscriptions …", flush=True)
        codes = sorted({a for p in big_schedule.points.values() for a in p.agencies})
        await insert_subscriptions(
            db, subs, codes, list(range(1, tasks + 1)), local(day, 0).astimezone(dt.UTC)
        )
        # As the bot does once started: what is loaded by now is not walked by the collector.
        gc.freeze()
        if progress:
            print(f"scan: timing the wave of {day} ({occasions} occasions) …", flush=True)
        wave = await time_wave(db, big_schedule, day, runs)
        idle_ms = await time_idle(db, big_schedule, day, idle_runs)
        small = await time_wave(db, small_schedule, day, runs)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(
        engine=engine,
        tasks=tasks,
        subs=subs,
        idle_ms=idle_ms,
        due_ms=wave.ms,
        occasions=occasions,
        planned=wave.planned,
        same_due_tasks=small_tasks,
        same_due_ms=small.ms,
        same_due_planned=small.planned,
        rss_mb=rss_mb,
        steps=len(wave.steps_ms) // runs,
        step_max_ms=max(wave.steps_ms),
        step_p99_ms=percentile(wave.steps_ms, 99),
        read_max_ms=max(wave.reads_ms),
        read_p99_ms=percentile(wave.reads_ms, 99),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks in the synthetic plan")
    parser.add_argument("--subs", type=int, default=100_000, help="subscribed chats")
    parser.add_argument("--agencies", type=int, default=50, help="agencies in the plan")
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each wave")
    parser.add_argument("--idle-runs", type=int, default=20, help="timed idle ticks")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    figures = asyncio.run(
        scan(
            args.tasks,
            args.subs,
            engine=args.engine,
            agencies=args.agencies,
            runs=args.runs,
            idle_runs=args.idle_runs,
            progress=not args.quiet,
        )
    )
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
