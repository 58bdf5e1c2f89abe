"""The peak memory of the real bot process on a day its own tick plans and sends a large wave.

Run from the repository root::

    python -m bench.memory [--tasks 1000] [--due 100] [--subs 100000] [--send-seconds 60]

It starts the local Bot API server (sandbox.botapi) in this process, writes a synthetic plan
(``bench.synthetic``: ``--tasks`` tasks, ``--due`` of them with a reminder occasion on the
day the benchmark runs) as a plan document, fills a SQLite file with ``--subs`` subscribed chats,
and records the planning mark just before today's send instant. Then it starts
``python -m bot`` as a child process on that plan and database. The bot migrates, sets its
menus, starts polling and ticks at once: the tick plans today's wave (some 382,000 outbox
rows at the default sizes, the size of ``bench.scan``'s wave) a step of rows per
transaction, and the delivery worker starts sending as the first steps commit, at about
30 messages a second with the real rate limiter. The plan's size is not what is measured
(``bench.scan`` shows that a wave costs what is due): 1,000 tasks, a tenth of them due.

This process samples the child's ``VmRSS`` and ``VmHWM`` (``/proc/PID/status``) every 50 ms:

* ``planning_peak_mb``: the peak (``VmHWM``) from the start until the wave is planned (the
  mark has moved past today's send instant and no wave is in progress); start-up included;
  ``planning_s`` runs from the start of the tick that planned it (its ``LAST_TICK``);
* ``sending_peak_mb``: the highest ``VmRSS`` sampled over the ``--send-seconds`` that follow,
  while the worker sends (``sent`` messages in that window: the whole wave would take hours);
* ``peak_rss_mb``: the peak over the whole run (``VmHWM``, and ``ru_maxrss`` of the reaped
  child, whichever is larger).

The child is then stopped with SIGTERM. The last line printed holds the figures.

:func:`bot_process` starts the real bot for the other benchmarks too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.synthetic import (
    ALL_DAY,
    build_plan,
    insert_subscriptions,
    plan_document,
    working_all_day,
)
from sandbox.botapi import BotApiServer
from scheduler.reminders.planner import LAST_TICK, PLANNED_UNTIL, PLANNING
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.workdays import WorkingCalendar

ROOT = Path(__file__).resolve().parent.parent
PLAN_PATH = ROOT / "data" / "plan.json"
TOKEN = "700004:bench-memory"
# The bot's default time zone, which the child keeps.
TZ = ZoneInfo("Asia/Almaty")
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Figures:
    tasks: int
    due: int
    subs: int
    planned: int
    planning_s: float
    planning_peak_mb: float
    sending_peak_mb: float
    send_window_s: float
    sent: int
    peak_rss_mb: float
    startup_s: float

    def line(self) -> str:
        return (
            f"memory: tasks={self.tasks} due={self.due} subs={self.subs} planned={self.planned} "
            f"planning_s={self.planning_s:.1f} planning_peak_mb={self.planning_peak_mb:.1f} "
            f"sending_peak_mb={self.sending_peak_mb:.1f} send_window_s={self.send_window_s:.0f} "
            f"sent={self.sent} peak_rss_mb={self.peak_rss_mb:.1f} startup_s={self.startup_s:.1f}"
        )


class BotProcess:
    """A ``python -m bot`` child and what can be read about it from outside."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log
        self.peak_kb = 0
        self.rss_kb = 0

    def sample(self) -> int:
        """Remember the child's peak resident memory so far (kB), and its resident memory
        now (``rss_kb``); 0 once it has gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            elif line.startswith("VmRSS:"):
                self.rss_kb = int(line.split()[1])
        return self.peak_kb

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            self.check_alive()
            self.sample()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} within {timeout} s; the bot said:\n{self.tail()}")
            time.sleep(SAMPLE_SECONDS)

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; a kill only if it hangs."""
        self.sample()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def child_environment(server: BotApiServer, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=server.token,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=database_url,
        PLAN_PATH=str(PLAN_PATH),
        LOG_LEVEL="WARNING",
        PTB_TIMEDELTA="true",
        PYTHONUNBUFFERED="1",
        **ALL_DAY,
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def bot_process(
    server: BotApiServer, database_url: str, folder: Path, module: str = "bot", **env: str
) -> Iterator[BotProcess]:
    """``python -m <module>`` against the server, stopped with SIGTERM when the block ends."""
    log = folder / f"{module.replace('.', '-')}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=folder,
            env=child_environment(server, database_url, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    child = BotProcess(process, log)
    try:
        yield child
    finally:
        child.stop()


def polling_started(server: BotApiServer) -> bool:
    return bool(server.calls(method="getUpdates"))


def wave_day(now: dt.datetime) -> tuple[dt.date, WorkingCalendar]:
    """Today in the bot's zone, and the calendar the bot will have: the days around ``now``
    are made working days (``working_all_day``), so that today always has a wave."""
    extra = [now.date() + dt.timedelta(days=offset) for offset in range(-1, 3)]
    return now.astimezone(TZ).date(), WorkingCalendar(extra_working_days=extra)


async def prepare_database(
    database_url: str, plan_path: Path, tasks: int, due: int, subs: int, now: dt.datetime
) -> list[int]:
    """Today's synthetic plan written to ``plan_path``; the database migrated, with ``subs``
    subscribed chats and planned up to just before today's send instant (the child's
    ``REMINDER_TIME``, midnight). Returns the chat ids."""
    day, calendar = wave_day(now)
    plan = build_plan(tasks, due, calendar=calendar, policy=ReminderPolicy(), day=day)
    if plan.day != day:
        raise RuntimeError(f"today ({day}) is not a working day of the synthetic plan")
    plan_document(plan, plan_path, str(TZ))
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=TZ).astimezone(dt.UTC)
    db = Database(create_engine(database_url))
    try:
        await upgrade(db.engine)
        chats = await insert_subscriptions(
            db, subs, plan.agencies, [p.task for p in plan.points], now
        )
        await working_all_day(db, now)
        async with db.unit_of_work() as uow:
            await uow.engine_state.put_time(PLANNED_UNTIL, midnight - dt.timedelta(seconds=1), now)
        return chats
    finally:
        await db.close()


def wave_planned(path: Path, before: dt.datetime) -> tuple[int, dt.datetime] | None:
    """Once the bot's tick has planned the wave past ``before``: the rows planned and when
    that tick began (its ``LAST_TICK``); else None."""
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
        state = dict(conn.execute("SELECT key, value FROM engine_state").fetchall())
        mark = state.get(PLANNED_UNTIL)
        if PLANNING in state or mark is None or dt.datetime.fromisoformat(mark) <= before:
            return None
        rows = int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
        return rows, dt.datetime.fromisoformat(state[LAST_TICK])


def measure(tasks: int, due: int, subs: int, send_seconds: float, *, progress: bool) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="eskertu-memory-") as name:
            folder = Path(name)
            path = folder / "memory.sqlite3"
            url = f"sqlite+aiosqlite:///{path}"
            plan_path = folder / "plan.json"
            if progress:
                print(f"memory: writing a plan of {tasks} tasks and {subs} chats …", flush=True)
            now = dt.datetime.now(dt.UTC)
            chats = asyncio.run(prepare_database(url, plan_path, tasks, due, subs, now))
            for chat in chats:
                server.private_chat(chat)
            started = time.monotonic()
            with bot_process(server, url, folder, PLAN_PATH=str(plan_path)) as bot:
                bot.wait_until(lambda: polling_started(server), 120, "the bot did not poll")
                startup = time.monotonic() - started
                if progress:
                    print("memory: the bot polls; waiting for its tick to plan the wave …")
                planned: list[int] = []

                def wave_is_planned() -> bool:
                    found = wave_planned(path, now)
                    if found is not None:
                        planned.append(found[0])
                        ticked.append(found[1])
                    return found is not None

                ticked: list[dt.datetime] = []
                bot.wait_until(wave_is_planned, 900 + subs / 100, "the wave was not planned")
                planning_s = (dt.datetime.now(dt.UTC) - ticked[0]).total_seconds()
                planning_peak = bot.peak_kb
                if progress:
                    print(
                        f"memory: {planned[0]} rows planned in {planning_s:.0f} s; "
                        f"sampling {send_seconds:.0f} s of sending …",
                        flush=True,
                    )
                mark = server.mark()
                sending_peak = 0
                window_end = time.monotonic() + send_seconds
                while time.monotonic() < window_end:
                    bot.check_alive()
                    bot.sample()
                    sending_peak = max(sending_peak, bot.rss_kb)
                    time.sleep(SAMPLE_SECONDS)
                sent = sum(1 for c in server.calls(method="sendMessage", since=mark) if c.ok)
                bot.stop()
                waited_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                peak_kb = max(bot.peak_kb, waited_kb)
            return Figures(
                tasks=tasks,
                due=due,
                subs=subs,
                planned=planned[0],
                planning_s=planning_s,
                planning_peak_mb=planning_peak / 1024,
                sending_peak_mb=sending_peak / 1024,
                send_window_s=send_seconds,
                sent=sent,
                peak_rss_mb=peak_kb / 1024,
                startup_s=startup,
            )
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=1000, help="tasks in the synthetic plan")
    parser.add_argument("--due", type=int, default=100, help="tasks with an occasion today")
    parser.add_argument("--subs", type=int, default=100_000, help="subscribed chats")
    parser.add_argument("--send-seconds", type=float, default=60, help="seconds of sending sampled")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    figures = measure(args.tasks, args.due, args.subs, args.send_seconds, progress=not args.quiet)
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
