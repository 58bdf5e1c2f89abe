"""The peak memory of the real bot process with a large subscription table.

Run from the repository root::

    python -m bench.memory [--subs 100000] [--wave 300] [--ticks 2]

It starts the local Bot API server (sandbox.botapi) in this process, fills a SQLite file
with ``--subs`` subscribed chats on the real plan (``data/plan.json``) and ``--wave``
reminders already planned for the first chats, then starts ``python -m bot`` as a child
process against both. The bot migrates, sets its menus, starts polling, runs its tick at
once and again every 30 seconds, and its delivery worker renders and sends the planned
wave with the real rate limiter (about 30 messages a second). The real clock is used,
and the real plan ended in 2016, so the ticks find nothing new to plan: the wave stands
in for the one a tick would plan. Once the wave is delivered and ``--ticks`` ticks have
run, the child's peak resident memory (``VmHWM`` in ``/proc/PID/status``, and
``ru_maxrss`` of the reaped child, whichever is larger) is read and the child is
stopped with SIGTERM. The last line printed holds the figures.

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
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import (
    ALL_DAY,
    insert_subscriptions,
    plan_reminders,
    reminders_for,
    working_all_day,
)
from sandbox.botapi import BotApiServer
from scheduler.plan import load_plan
from scheduler.reminders.planner import LAST_TICK
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.tables import EngineStateRow
from scheduler.storage.unit_of_work import Database

ROOT = Path(__file__).resolve().parent.parent
PLAN_PATH = ROOT / "data" / "plan.json"
TOKEN = "700004:bench-memory"


@dataclass(frozen=True)
class Figures:
    subs: int
    peak_rss_mb: float
    wave: int
    sent: int
    ticks: int
    startup_s: float

    def line(self) -> str:
        return (
            f"memory: subs={self.subs} peak_rss_mb={self.peak_rss_mb:.1f} wave={self.wave} "
            f"sent={self.sent} ticks={self.ticks} startup_s={self.startup_s:.1f}"
        )


class BotProcess:
    """A ``python -m bot`` child and what can be read about it from outside."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log
        self.peak_kb = 0

    def sample(self) -> int:
        """Remember the child's peak resident memory so far (kB); 0 once it has gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_kb = max(self.peak_kb, int(line.split()[1]))
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
            time.sleep(0.05)

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
        **extra,
    )
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


async def prepare_database(database_url: str, subs: int, wave: int) -> list[int]:
    """Migrated, ``subs`` subscribed chats, and a wave planned for the first ``wave``."""
    plan = load_plan(PLAN_PATH)
    db = Database(create_engine(database_url))
    try:
        await upgrade(db.engine)
        now = dt.datetime.now(dt.UTC)
        tasks = [t.number for t in plan.tasks]
        chats = await insert_subscriptions(db, subs, plan.agency_codes(), tasks, now)
        await working_all_day(db, now)
        await plan_reminders(db, reminders_for(plan, chats[:wave], now), now)
        return chats[:wave]
    finally:
        await db.close()


async def ticks_run(database_url: str) -> dt.datetime | None:
    """When the bot last ticked, as it recorded it."""
    db = Database(create_engine(database_url))
    try:
        async with db.unit_of_work() as uow:
            row = await uow.session.get(EngineStateRow, LAST_TICK)
            return None if row is None else dt.datetime.fromisoformat(row.value)
    finally:
        await db.close()


def measure(subs: int, wave: int, ticks: int, *, progress: bool) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="eskertu-memory-") as name:
            folder = Path(name)
            url = f"sqlite+aiosqlite:///{folder / 'memory.sqlite3'}"
            if progress:
                print(f"memory: writing {subs} subscriptions and a wave of {wave} …", flush=True)
            wave_chats = asyncio.run(prepare_database(url, subs, wave))
            for chat in wave_chats:
                server.private_chat(chat)
            started = time.monotonic()
            with bot_process(server, url, folder) as bot:
                bot.wait_until(lambda: polling_started(server), 60, "the bot did not poll")
                startup = time.monotonic() - started

                def sent() -> int:
                    return sum(1 for c in server.calls(method="sendMessage") if c.ok)

                bot.wait_until(lambda: sent() >= wave, 60 + wave / 10, "the wave was not sent")
                seen: set[dt.datetime] = set()

                def ticked() -> bool:
                    last = asyncio.run(ticks_run(url))
                    if last is not None:
                        seen.add(last)
                    return len(seen) >= ticks

                if progress:
                    print(f"memory: wave sent; waiting for {ticks} tick(s) …", flush=True)
                if ticks:
                    bot.wait_until(ticked, 35 * ticks + 30, "the bot did not tick")
                bot.stop()
                waited_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                peak_kb = max(bot.peak_kb, waited_kb)
            return Figures(subs, peak_kb / 1024, wave, sent(), len(seen), startup)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--subs", type=int, default=100_000, help="subscribed chats")
    parser.add_argument("--wave", type=int, default=300, help="reminders planned before start")
    parser.add_argument(
        "--ticks", type=int, default=2, help="ticks to wait for, 30 s apart (0: none)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    figures = measure(args.subs, args.wave, args.ticks, progress=not args.quiet)
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
