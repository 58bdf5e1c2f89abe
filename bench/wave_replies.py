"""How fast the real bot answers status replies while its tick plans a large wave.

Run from the repository root::

    python -m bench.wave_replies [--tasks 10000] [--subs 100000] [--engine sqlite|postgres]

It starts the local Bot API server (sandbox.botapi) in this process and prepares a database
(a SQLite file, or with ``--engine postgres`` a schema of its own in ``TEST_POSTGRES_URL``):
today's synthetic plan as in ``bench.memory`` (``--tasks`` tasks, one in a hundred due
today, 382,100 outbox rows at the default sizes for ``--subs`` chats), and ``--officers``
officers, each a member of one of its agencies with one reminder planned, as in
``bench.replies``. The planning mark starts ahead of now, so the bot (``python -m bot``, a
child process) only delivers the officers' reminders. Then:

* ``idle_*``: a closed loop of ``--idle`` replies (one at a time, the next once the previous
  is answered, "в работе" and "проблема" by turns) with no wave being planned;
* the mark is put back to just before today's send instant, so the bot's next tick plans
  today's wave, a page of chats per transaction, while its delivery worker starts sending
  it; the closed loop runs again until the wave is planned. ``n``, ``p50_ms``, ``p99_ms``
  and ``max_ms`` are of the replies injected while the wave was being planned (from the
  tick's first step to its last, as the database records them), each from the injection to
  the server recording the bot's answer;
* ``lost``: replies not answered within 10 s, or answered but not stored as a status
  report; ``locked``: the "database is locked" errors in the bot's log.

The last line printed holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.memory import ROOT, TZ, BotProcess, bot_process, polling_started, wave_day
from bench.replies import TEXTS, answers_since, percentile, stored_reports
from bench.scan import POSTGRES_ENV, run_sql
from bench.synthetic import (
    build_plan,
    insert_subscriptions,
    plan_document,
    plan_reminders,
    reminders_for,
    working_all_day,
)
from sandbox.botapi import BotApiServer
from scheduler.plan import load_plan
from scheduler.reminders.planner import LAST_TICK, PLANNED_UNTIL, PLANNING
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database

TOKEN = "700006:bench-wave-replies"
FIRST_OFFICER = 8_500_001
ANSWER_TIMEOUT = 10.0
LOCKED = "database is locked"


@dataclass(frozen=True)
class Figures:
    engine: str
    planned: int
    planning_s: float
    idle_ms: list[float]
    wave_ms: list[float]
    lost: int
    locked: int

    def line(self) -> str:
        wave = self.wave_ms or [0.0]
        idle = self.idle_ms or [0.0]
        return (
            f"wave_replies: engine={self.engine} planned={self.planned} "
            f"planning_s={self.planning_s:.1f} n={len(self.wave_ms)} "
            f"p50_ms={statistics.median(wave):.1f} p99_ms={percentile(wave, 99):.1f} "
            f"max_ms={max(wave):.1f} idle_p50_ms={statistics.median(idle):.1f} "
            f"idle_p99_ms={percentile(idle, 99):.1f} lost={self.lost} locked={self.locked}"
        )


@dataclass
class Planning:
    """What the database says of the wave, polled from a thread of its own."""

    started: float | None = None
    done: float | None = None
    began: dt.datetime | None = None
    ended: dt.datetime | None = None
    planned: int = 0


async def prepare(
    url: str, plan_path: Path, tasks: int, subs: int, officers: list[int], now: dt.datetime
) -> list[int]:
    """Today's plan, the subscribed chats, the officers and their reminders; the mark ahead."""
    day, calendar = wave_day(now)
    plan = build_plan(
        tasks, max(1, tasks // 100), calendar=calendar, policy=ReminderPolicy(), day=day
    )
    if plan.day != day:
        raise RuntimeError(f"today ({day}) is not a working day of the synthetic plan")
    plan_document(plan, plan_path, str(TZ))
    reminders = reminders_for(load_plan(plan_path), officers, now)
    db = Database(create_engine(url))
    try:
        await upgrade(db.engine)
        chats = await insert_subscriptions(
            db, subs, plan.agencies, [p.task for p in plan.points], now
        )
        async with db.unit_of_work() as uow:
            for message in reminders:
                agency = str(message.payload["agencies"][0])
                await uow.members.add(message.chat_id, agency, "officer", now, None)
            await uow.engine_state.put_time(PLANNED_UNTIL, now + dt.timedelta(days=1), now)
        await working_all_day(db, now)
        await plan_reminders(db, reminders, now)
        return chats
    finally:
        await db.close()


async def rewind(url: str, now: dt.datetime) -> dt.datetime:
    """Put the mark back to just before today's send instant (midnight): the wave is due."""
    day, _ = wave_day(now)
    mark = dt.datetime.combine(day, dt.time(0), tzinfo=TZ) - dt.timedelta(seconds=1)
    db = Database(create_engine(url))
    try:
        async with db.unit_of_work() as uow:
            await uow.engine_state.put_time(PLANNED_UNTIL, mark, now)
        return mark.astimezone(dt.UTC)
    finally:
        await db.close()


@contextlib.contextmanager
def watching(url: str, mark: dt.datetime) -> Iterator[Planning]:
    """Poll the planning record every 0.1 s until the wave past ``mark`` is planned."""
    planning = Planning()
    stop = threading.Event()

    async def poll() -> None:
        db = Database(create_engine(url))
        rows = select(func.count()).select_from(OutboxRow)
        try:
            async with db.unit_of_work() as uow:
                before = int(await uow.session.scalar(rows) or 0)
            while not stop.is_set():
                async with db.unit_of_work() as uow:
                    wave = await uow.engine_state.get(PLANNING)
                    until = await uow.engine_state.get_time(PLANNED_UNTIL)
                    ticked = await uow.engine_state.get_time(LAST_TICK)
                    if wave is not None and planning.started is None:
                        planning.started = time.monotonic()
                        planning.began = ticked
                    if wave is None and until is not None and until > mark:
                        planning.done = time.monotonic()
                        planning.ended = dt.datetime.now(dt.UTC)
                        planning.began = planning.began or ticked
                        planning.planned = int(await uow.session.scalar(rows) or 0) - before
                        return
                await asyncio.sleep(0.1)
        finally:
            await db.close()

    thread = threading.Thread(target=lambda: asyncio.run(poll()), daemon=True)
    thread.start()
    try:
        yield planning
    finally:
        stop.set()
        thread.join(timeout=30)


def reply_once(
    server: BotApiServer, child: BotProcess, user: int, reminder: dict[str, Any], text: str
) -> tuple[float, float | None]:
    """Inject one reply; its injection time and latency (ms), None when it was not answered."""
    mark = server.mark()
    injected = time.monotonic()
    server.send_text(user, text, reply_to=reminder)
    deadline = injected + ANSWER_TIMEOUT
    while not (found := answers_since(server, mark, {user})):
        if time.monotonic() > deadline:
            child.check_alive()
            return injected, None
        time.sleep(0.001)
    return injected, (found[0].time - injected) * 1000


def measure(
    tasks: int, subs: int, officers: int, idle: int, *, engine: str, progress: bool
) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="eskertu-wave-replies-") as name,
            _database(engine) as url,
        ):
            folder = Path(name)
            plan_path = folder / "plan.json"
            url = url or f"sqlite+aiosqlite:///{folder / 'wave.sqlite3'}"
            users = list(range(FIRST_OFFICER, FIRST_OFFICER + officers))
            for user in users:
                server.user(user, f"Қызметкер {user - FIRST_OFFICER + 1}")
                server.private_chat(user)
            if progress:
                print(f"wave_replies: writing {tasks} tasks and {subs} chats …", flush=True)
            now = dt.datetime.now(dt.UTC)
            chats = asyncio.run(prepare(url, plan_path, tasks, subs, users, now))
            for chat in chats:
                server.private_chat(chat)
            env = {"PYTHONPATH": str(ROOT), "PLAN_PATH": str(plan_path)}
            with bot_process(server, url, folder, **env) as child:
                child.wait_until(lambda: polling_started(server), 120, "the bot did not poll")
                child.wait_until(
                    lambda: all(server.sent_messages(u) for u in users),
                    60 + officers / 10,
                    "the reminders were not delivered",
                )
                # The worker marks a reminder sent just after Telegram accepts it.
                time.sleep(1.0)
                targets = [(u, server.sent_messages(u)[0]) for u in users]
                sent_replies = 0
                idle_ms: list[float] = []
                lost = 0
                for i in range(idle):
                    user, reminder = targets[i % len(targets)]
                    _, latency = reply_once(server, child, user, reminder, TEXTS[i % 2])
                    sent_replies += 1
                    if latency is None:
                        lost += 1
                    elif i >= min(20, idle // 2):
                        idle_ms.append(latency)
                if progress:
                    print("wave_replies: the wave is due; replying while it is planned …")
                mark = asyncio.run(rewind(url, now))
                timed: list[tuple[float, float]] = []
                with watching(url, mark) as planning:
                    deadline = time.monotonic() + 900 + subs / 100
                    i = 0
                    while planning.done is None:
                        if time.monotonic() > deadline:
                            raise TimeoutError("the wave was not planned")
                        user, reminder = targets[i % len(targets)]
                        injected, latency = reply_once(server, child, user, reminder, TEXTS[i % 2])
                        sent_replies += 1
                        i += 1
                        if latency is None:
                            lost += 1
                        else:
                            timed.append((injected, latency))
                started = planning.started or planning.done
                wave_ms = [ms for at, ms in timed if started <= at <= planning.done]
                if planning.began is None or planning.ended is None:
                    raise RuntimeError("the wave's start and end were not seen")
                planning_s = (planning.ended - planning.began).total_seconds()
            log = child.log.read_text(errors="replace")
            stored = asyncio.run(stored_reports(url))
            # A reply answered but not stored was refused: it is lost as a report.
            lost = max(lost, sent_replies - stored)
            return Figures(
                engine=engine,
                planned=planning.planned,
                planning_s=planning_s,
                idle_ms=idle_ms,
                wave_ms=wave_ms,
                lost=lost,
                locked=log.count(LOCKED),
            )
    finally:
        server.stop()


@contextlib.contextmanager
def _database(engine: str) -> Iterator[str | None]:
    """For ``postgres``, the URL of a schema of its own in ``TEST_POSTGRES_URL``, dropped
    afterwards; None for SQLite (a file in the run's folder)."""
    if engine == "sqlite":
        yield None
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        raise SystemExit(f"wave_replies: --engine postgres needs {POSTGRES_ENV}")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(run_sql(base, f'CREATE SCHEMA "{schema}"'))
    try:
        yield str(make_url(base).update_query_dict({"schema": schema}))
    finally:
        asyncio.run(run_sql(base, f'DROP SCHEMA "{schema}" CASCADE'))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks in the synthetic plan")
    parser.add_argument("--subs", type=int, default=100_000, help="subscribed chats")
    parser.add_argument("--officers", type=int, default=50, help="officers, one reminder each")
    parser.add_argument("--idle", type=int, default=120, help="replies before the wave")
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    figures = measure(
        args.tasks,
        args.subs,
        args.officers,
        args.idle,
        engine=args.engine,
        progress=not args.quiet,
    )
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
