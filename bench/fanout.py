"""How fast one reminder wave reaches many chats, and whether any sending limit is broken.

Run from the repository root::

    python -m bench.fanout [--chats 5000]

It starts the local Bot API server (sandbox.botapi, no added latency), creates a SQLite
database in a temporary folder with one subscribed private chat per ``--chats``, plans one
reminder for each, and runs the real delivery worker with the real rate limiter and the PTB
sender until the outbox is empty. The last line printed holds the figures; ``rate`` is the
messages sent divided by the seconds from the worker's start to the last accepted send, and
``violations`` counts breaches of the limits as the server's checker sees them. The limiter
lets the first 30 messages go at once, so a short wave reads a little above 30/s (the last
second's window is not over when its last message leaves); from a few thousand chats on the
figure is the sustained rate.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot

from bot.delivery.answers import AnswerKeepingRequest
from bot.delivery.telegram_sender import TelegramSender
from sandbox.botapi import BotApiServer
from scheduler.clock import SystemClock
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.delivery.worker import DeliveryWorker
from scheduler.presentation import Button, Rendered
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.outbox_repo import NewMessage, OutboxItem
from scheduler.storage.unit_of_work import Database

FIRST_CHAT = 100_000_001
TOKEN = "700001:bench-fanout"


@dataclass(frozen=True)
class Figures:
    chats: int
    sent: int
    seconds: float
    violations: int

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"fanout: chats={self.chats} sent={self.sent} seconds={self.seconds:.1f} "
            f"rate={self.rate:.2f}/s violations={self.violations}"
        )


async def render(item: OutboxItem) -> Rendered:
    return Rendered(
        f"<b>Ескерту</b>: {item.control_point} бойынша мерзімге 10 күн қалды",
        ((Button("Орындалды", f"done:{item.id}"),),),
    )


async def plan_wave(db: Database, chats: list[int]) -> None:
    now = SystemClock().now()
    async with db.unit_of_work() as uow:
        for chat in chats:
            await uow.subscriptions.subscribe(chat, "agency", "MF", now, None)
        await uow.outbox.enqueue(
            [NewMessage(chat, "12/3", "-10", "reminder", now) for chat in chats], now
        )


async def deliver(db: Database, bot: Bot, *, progress: bool) -> float:
    """Run the worker until the outbox is empty; returns when it started (monotonic)."""
    worker = DeliveryWorker(
        db, SystemClock(), TelegramSender(bot), render, RateLimiter(), worker_id="bench"
    )
    stop = asyncio.Event()
    started = time.monotonic()
    running = asyncio.create_task(worker.run(stop))
    last_report = started
    try:
        while not running.done():
            async with db.unit_of_work() as uow:
                depth = await uow.outbox.depth()
            if depth == 0:
                break
            if progress and time.monotonic() - last_report >= 15:
                last_report = time.monotonic()
                print(f"  {depth} messages waiting after {last_report - started:.0f} s", flush=True)
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        await running
    return started


async def fanout(chats: int, *, progress: bool = True) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        chat_ids = list(range(FIRST_CHAT, FIRST_CHAT + chats))
        for chat in chat_ids:
            server.private_chat(chat)
        with tempfile.TemporaryDirectory(prefix="eskertu-bench-") as folder:
            db = Database(create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"))
            try:
                await upgrade(db.engine)
                await plan_wave(db, chat_ids)
                request = AnswerKeepingRequest(in_flight=8)
                async with Bot(TOKEN, base_url=server.base_url, request=request) as bot:
                    started = await deliver(db, bot, progress=progress)
            finally:
                await db.close()
        sends = [c for c in server.calls(method="sendMessage") if c.ok]
        finished = max((c.time for c in sends), default=started)
        return Figures(chats, len(sends), finished - started, server.violations().count)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chats", type=int, default=5000, help="private chats in the wave")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args(argv)
    # PTB 22 warns on every flood-control error unless it may hand out timedeltas.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.quiet:
        print(f"fanout: delivering one reminder to {args.chats} chats …", flush=True)
    figures = asyncio.run(fanout(args.chats, progress=not args.quiet))
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
