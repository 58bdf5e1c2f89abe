"""How many status replies one bot process answers per second, and how fast it answers one.

Run from the repository root::

    python -m bench.replies [--replies 500] [--officers 50] [--runs 3] [--floor | --profile]

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
``rate / echo_rate``. The echo bot's rate swings from run to run, so ``--runs`` such runs
(each with a fresh database and server, the bot then the echo bot) are made and the figures
line gives the median of each figure over them, and the ratio of the median rates.

``--floor`` runs ``bench.floor_bot`` instead of the bot: the same bot, but each officer's
replies after the first are answered without the database (the answer to the first is
given again), so that its rate against the echo bot's is the ratio the bot would reach if a
reply's transaction cost nothing. Only the first reply of each officer is stored then.

``--profile`` makes one run with the bot under cProfile during the burst
(``bench.profiled_bot``) and prints, per reply, where the bot's event loop spends its
time: receiving the update, python-telegram-bot's dispatch, the use case's transaction
(the language read, the statements, the commit), the rendering and the HTTP answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import signal
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.memory import PLAN_PATH, ROOT, BotProcess, bot_process, polling_started
from bench.reply_profile import cpu_table, span_table
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
# Time for the child to take the signal that starts its profiler.
PROFILER_SETTLE = 0.3


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
    """The runs of the bot and of the echo bot, one pair per run; the line gives medians."""

    n: int
    bots: list[Run]
    echoes: list[Run]

    def line(self, *, floor: bool = False) -> str:
        rate = statistics.median(r.burst_rate for r in self.bots)
        echo_rate = statistics.median(r.burst_rate for r in self.echoes)
        ratio = rate / echo_rate if echo_rate else 0.0
        return (
            f"{'replies_floor' if floor else 'replies'}: n={self.n} runs={len(self.bots)} "
            f"rate={rate:.1f}/s "
            f"p50_ms={statistics.median(r.p50 for r in self.bots):.1f} "
            f"p99_ms={statistics.median(r.p99 for r in self.bots):.1f} "
            f"echo_rate={echo_rate:.1f}/s "
            f"echo_p50_ms={statistics.median(r.p50 for r in self.echoes):.1f} "
            f"echo_p99_ms={statistics.median(r.p99 for r in self.echoes):.1f} ratio={ratio:.2f}"
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
    server: BotApiServer,
    child: BotProcess,
    targets: list[tuple[int, dict[str, Any]]],
    n: int,
    injections: list[float] | None = None,
) -> list[float]:
    """One reply at a time; each latency ends when the server records the answer."""
    latencies = []
    for i in range(n):
        user, reminder = targets[i % len(targets)]
        mark = server.mark()
        injected = time.monotonic()
        if injections is not None:
            injections.append(injected)
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
    server: BotApiServer,
    child: BotProcess,
    targets: list[tuple[int, dict[str, Any]]],
    n: int,
    profile: Path | None = None,
) -> Run:
    """The closed loop, then the burst. With ``profile``, the child (``bench.profiled_bot``)
    times the parts of each reply of the closed loop and profiles the burst; what it wrote
    and the injection times are put beside ``profile``."""
    child.wait_until(lambda: polling_started(server), 60, "the bot did not poll")
    closed_loop(server, child, targets, WARM_UP)
    injections: list[float] = []
    with phase(child, profile, ".spans.json"):
        closed = closed_loop(server, child, targets, n, injections)
    with phase(child, profile, ".cpu"):
        burst_ms, rate = burst(server, child, targets, n)
    if profile is not None:
        Path(f"{profile}.injected.json").write_text(json.dumps([injections, closed]))
    return Run(closed, burst_ms, rate)


@contextlib.contextmanager
def phase(child: BotProcess, profile: Path | None, suffix: str) -> Iterator[None]:
    """A phase of the profiled child, from SIGUSR1 to SIGUSR2 and the file it then writes."""
    if profile is None:
        yield
        return
    child.process.send_signal(signal.SIGUSR1)
    time.sleep(PROFILER_SETTLE)
    yield
    child.process.send_signal(signal.SIGUSR2)
    written = Path(f"{profile}{suffix}")
    child.wait_until(written.exists, 30, f"the bot did not write {written.name}")


def describe(name: str, run: Run) -> str:
    return (
        f"  {name}: closed loop p50 {run.p50:.1f} ms, p99 {run.p99:.1f} ms, "
        f"max {max(run.closed_ms):.1f} ms; burst {run.burst_rate:.1f}/s, "
        f"p50 {statistics.median(run.burst_ms):.1f} ms, p99 {percentile(run.burst_ms, 99):.1f} ms"
    )


def measure_once(
    n: int, officers: int, *, progress: bool, profile: Path | None = None, floor: bool = False
) -> tuple[Run, Run | None]:
    """One run of the bot, then (unless profiling) of the echo bot, on a fresh server and
    database."""
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
            module = "bot"
            if profile is not None:
                module = "bench.profiled_bot"
                env["PROFILE_PATH"] = str(profile)
            elif floor:
                module = "bench.floor_bot"
            with bot_process(server, url, folder, module=module, **env) as child:
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
                bot = exercise(server, child, targets, n, profile)
            reports = asyncio.run(stored_reports(url))
            # The floor stores only each officer's first reply (the warm-up and the closed
            # loop between them reach every officer).
            expected = min(officers, WARM_UP + 2 * n) if floor else WARM_UP + 2 * n
            if reports != expected:
                raise RuntimeError(f"{reports} reports stored, {expected} expected")
            if progress:
                print(describe("bot", bot), flush=True)
            if profile is not None:
                return bot, None
            if progress:
                print("replies: timing the echo bot …", flush=True)
            with bot_process(server, url, folder, module="bench.echo_bot", **env) as child:
                echo = exercise(server, child, targets, n)
            if progress:
                print(describe("echo", echo), flush=True)
            return bot, echo
    finally:
        server.stop()


def measure(n: int, officers: int, runs: int, *, progress: bool, floor: bool = False) -> Figures:
    bots, echoes = [], []
    for i in range(runs):
        if progress:
            print(f"replies: run {i + 1} of {runs}", flush=True)
        bot, echo = measure_once(n, officers, progress=progress, floor=floor)
        assert echo is not None
        bots.append(bot)
        echoes.append(echo)
    return Figures(n, bots, echoes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--replies", type=int, default=500, help="replies per closed loop/burst")
    parser.add_argument("--officers", type=int, default=50, help="officers, one reminder each")
    parser.add_argument("--runs", type=int, default=3, help="runs; the figures are medians")
    parser.add_argument(
        "--profile", action="store_true", help="one run, the bot profiled during the burst"
    )
    parser.add_argument(
        "--floor", action="store_true", help="the bot with a reply's transaction taken out"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="eskertu-profile-") as name:
            path = Path(name) / "reply"
            bot, _ = measure_once(
                args.replies, args.officers, progress=not args.quiet, profile=path
            )
            spans = json.loads(Path(f"{path}.spans.json").read_text())
            injections, latencies = json.loads(Path(f"{path}.injected.json").read_text())
            print(span_table([tuple(s) for s in spans], injections, latencies), flush=True)
            print(flush=True)
            print(cpu_table(Path(f"{path}.cpu"), args.replies, bot.burst_rate), flush=True)
        return
    figures = measure(
        args.replies, args.officers, args.runs, progress=not args.quiet, floor=args.floor
    )
    print(figures.line(floor=args.floor), flush=True)


if __name__ == "__main__":
    main()
