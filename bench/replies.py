"""How many status replies one bot process answers per second, and how fast it answers one.

Run from the repository root::

    python -m bench.replies [--replies 500] [--officers 50]

It starts the local Bot API server (sandbox.botapi) in this process and prepares a SQLite
file: ``--officers`` officers, each a member of an agency of the real plan, and one reminder
planned for each. The real bot then runs as a child process (``python -m bot``, long
polling, as in production: a process of its own keeps the server's thread and the bot
from sharing one interpreter) and delivers the reminders. Then replies to those reminders,
"в работе" and "проблема" by turns, are injected through the server (statuses that leave
the item open, so that each is a report of its own whatever order the bot's concurrent
handlers take them in; a second "done" for the same item would be answered, not stored):

* closed loop: one reply at a time, the next once the previous one is answered; ``p50_ms``
  and ``p99_ms`` are the times from injecting a reply to the server recording the bot's
  answering sendMessage (both on this machine's monotonic clock);
* open burst: ``--replies`` replies at once, spread over the officers; ``rate`` is the
  replies divided by the seconds from the first injection to the last answer.

Every reply must be stored as a status report (checked in the database afterwards), so a
refusal cannot pass for an answer. The same two runs are then made against
``bench.echo_bot``, a bare python-telegram-bot process that sends the text back, on the
same server: the ``echo_*`` figures are the framework's ceiling and ``ratio`` is
``rate / echo_rate``. The last line printed holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.memory import PLAN_PATH, ROOT, BotProcess, bot_process, polling_started
from bench.synthetic import plan_reminders, reminders_for, working_all_day
from sandbox.botapi import BotApiServer
from scheduler.plan import load_plan
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.tables import StatusUpdateRow
from scheduler.storage.unit_of_work import Database

TOKEN = "700005:bench-replies"
FIRST_OFFICER = 8_000_001
TEXTS = ("в работе", "проблема")
WARM_UP = 20
ANSWER_TIMEOUT = 10.0


@dataclass(frozen=True)
class Run:
    """Latencies of one closed loop and the throughput of one burst."""

    closed_ms: list[float]
    burst_ms: list[float]
    burst_rate: float

    @property
    def p50(self) -> float:
        return statistics.median(self.closed_ms)

    @property
    def p99(self) -> float:
        return percentile(self.closed_ms, 99)


@dataclass(frozen=True)
class Figures:
    n: int
    bot: Run
    echo: Run

    def line(self) -> str:
        ratio = self.bot.burst_rate / self.echo.burst_rate if self.echo.burst_rate else 0.0
        return (
            f"replies: n={self.n} rate={self.bot.burst_rate:.1f}/s p50_ms={self.bot.p50:.1f} "
            f"p99_ms={self.bot.p99:.1f} echo_rate={self.echo.burst_rate:.1f}/s "
            f"echo_p50_ms={self.echo.p50:.1f} echo_p99_ms={self.echo.p99:.1f} ratio={ratio:.2f}"
        )


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * pct / 100) - 1)]


async def prepare(database_url: str, officers: list[int]) -> None:
    """Officers who are members of an agency, each with a reminder about one of its deadlines."""
    plan = load_plan(PLAN_PATH)
    now = dt.datetime.now(dt.UTC)
    reminders = reminders_for(plan, officers, now)
    db = Database(create_engine(database_url))
    try:
        await upgrade(db.engine)
        async with db.unit_of_work() as uow:
            for message in reminders:
                agency = str(message.payload["agencies"][0])
                await uow.members.add(message.chat_id, agency, "officer", now, None)
        await working_all_day(db, now)
        await plan_reminders(db, reminders, now)
    finally:
        await db.close()


async def stored_reports(database_url: str) -> int:
    db = Database(create_engine(database_url))
    try:
        async with db.unit_of_work() as uow:
            count = await uow.session.scalar(select(func.count()).select_from(StatusUpdateRow))
        return int(count or 0)
    finally:
        await db.close()


def answers_since(server: BotApiServer, mark: int, chats: set[int]) -> list[Any]:
    return [
        c for c in server.calls(method="sendMessage", since=mark) if c.ok and c.chat_id in chats
    ]


def closed_loop(
    server: BotApiServer, child: BotProcess, targets: list[tuple[int, dict[str, Any]]], n: int
) -> list[float]:
    """One reply at a time; each latency ends when the server records the answer."""
    latencies = []
    for i in range(n):
        user, reminder = targets[i % len(targets)]
        mark = server.mark()
        injected = time.monotonic()
        server.send_text(user, TEXTS[i % len(TEXTS)], reply_to=reminder)
        deadline = injected + ANSWER_TIMEOUT
        while not (found := answers_since(server, mark, {user})):
            if time.monotonic() > deadline:
                child.check_alive()
                raise TimeoutError(f"no answer to reply {i} within {ANSWER_TIMEOUT} s")
            time.sleep(0.001)
        latencies.append((found[0].time - injected) * 1000)
    return latencies


def burst(
    server: BotApiServer, child: BotProcess, targets: list[tuple[int, dict[str, Any]]], n: int
) -> tuple[list[float], float]:
    """``n`` replies at once; returns each one's latency and the replies answered per second."""
    chats = {user for user, _ in targets}
    mark = server.mark()
    injected: dict[int, list[float]] = {user: [] for user in chats}
    for i in range(n):
        user, reminder = targets[i % len(targets)]
        injected[user].append(time.monotonic())
        server.send_text(user, TEXTS[i % len(TEXTS)], reply_to=reminder)
    first = min(t for times in injected.values() for t in times)
    deadline = time.monotonic() + ANSWER_TIMEOUT + n / 20
    while len(answers := answers_since(server, mark, chats)) < n:
        if time.monotonic() > deadline:
            child.check_alive()
            raise TimeoutError(f"{len(answers)} of {n} replies answered")
        time.sleep(0.01)
    # Answers do not say which reply they answer; each chat's answers are paired with its
    # replies in order, which is exact when updates are handled one after another and close
    # when a few run at once. The rate does not depend on the pairing.
    answered: dict[int, list[float]] = {user: [] for user in chats}
    for call in answers:
        answered[call.chat_id].append(call.time)
    latencies = [
        (done - start) * 1000
        for user in chats
        for start, done in zip(injected[user], answered[user], strict=False)
    ]
    last = max(call.time for call in answers)
    return latencies, n / (last - first)


def exercise(
    server: BotApiServer, child: BotProcess, targets: list[tuple[int, dict[str, Any]]], n: int
) -> Run:
    child.wait_until(lambda: polling_started(server), 60, "the bot did not poll")
    closed_loop(server, child, targets, WARM_UP)
    closed = closed_loop(server, child, targets, n)
    burst_ms, rate = burst(server, child, targets, n)
    return Run(closed, burst_ms, rate)


def describe(name: str, run: Run) -> str:
    return (
        f"  {name}: closed loop p50 {run.p50:.1f} ms, p99 {run.p99:.1f} ms, "
        f"max {max(run.closed_ms):.1f} ms; burst {run.burst_rate:.1f}/s, "
        f"p50 {statistics.median(run.burst_ms):.1f} ms, p99 {percentile(run.burst_ms, 99):.1f} ms"
    )


def measure(n: int, officers: int, *, progress: bool) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="eskertu-replies-") as name:
            folder = Path(name)
            url = f"sqlite+aiosqlite:///{folder / 'replies.sqlite3'}"
            users = list(range(FIRST_OFFICER, FIRST_OFFICER + officers))
            for user in users:
                server.user(user, f"Қызметкер {user - FIRST_OFFICER + 1}")
                server.private_chat(user)
            asyncio.run(prepare(url, users))
            env = {"PYTHONPATH": str(ROOT)}
            with bot_process(server, url, folder, **env) as child:
                child.wait_until(
                    lambda: all(server.sent_messages(u) for u in users),
                    60 + officers / 10,
                    "the reminders were not delivered",
                )
                # The worker marks a reminder sent just after Telegram accepts it; a reply
                # must find it marked.
                time.sleep(1.0)
                targets = [(u, server.sent_messages(u)[0]) for u in users]
                if progress:
                    print(f"replies: {officers} reminders delivered; timing the bot …", flush=True)
                bot = exercise(server, child, targets, n)
            reports = asyncio.run(stored_reports(url))
            if reports != WARM_UP + 2 * n:
                raise RuntimeError(f"{reports} reports stored for {WARM_UP + 2 * n} replies")
            if progress:
                print(describe("bot", bot), flush=True)
                print("replies: timing the echo bot …", flush=True)
            with bot_process(server, url, folder, module="bench.echo_bot", **env) as child:
                echo = exercise(server, child, targets, n)
            if progress:
                print(describe("echo", echo), flush=True)
            return Figures(n, bot, echo)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--replies", type=int, default=500, help="replies per closed loop/burst")
    parser.add_argument("--officers", type=int, default=50, help="officers, one reminder each")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    figures = measure(args.replies, args.officers, progress=not args.quiet)
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
