"""Updates per second through the webhook, for one instance and for three, and the takeover time.

Run from the repository root, with PostgreSQL for the shared database::

    TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test python -m bench.webhook

Each instance is a real ``python -m bot`` process in webhook mode on a port of 127.0.0.1,
talking to the local Bot API server (sandbox.botapi) that runs in this process; all share one
fresh schema of the PostgreSQL database. The bench plays Telegram and the load balancer:

- ``one`` and ``three``: ``--updates`` "/help" commands from as many users are posted
  (``--concurrency`` at a time, round-robin over the instances) and the figure is the
  commands answered per second, from the first post to the last answer (a sendMessage the
  server accepted).
- ``takeover_s``: 150 messages are planned for 150 chats while three instances run with a
  lease of ``--lease`` seconds; as soon as one instance holds claimed rows it is killed
  (SIGKILL, no goodbye), and the figure is the time from the kill to the first of its rows
  sent by another instance. It is about the rest of the lease plus the others' poll interval
  (1 s) and whatever batch they are busy with.

The machine's cores are shared by the bench, the Bot API server, PostgreSQL and every
instance, so ``three`` shows how far one host goes, not what three hosts would do.
The last line printed holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox.botapi import BotApiServer
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.outbox_repo import NewMessage, OutboxState
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind

ROOT = Path(__file__).resolve().parent.parent
PLAN_PATH = ROOT / "data" / "plan.json"
TOKEN = "7000000002:AAbenchmark-token-for-the-webhook"
SECRET = "bench_webhook_secret_0123456789"
PUBLIC_URL = "https://eskertu.invalid/tg/webhook"
PATH = "/tg/webhook"
FIRST_USER = 200_000_001
FIRST_CHAT = 300_000_001
WAVE = 150
# What every copy of the measured wave says.
TEXT = "Ескерту: мерзім жақын"


@dataclass(frozen=True)
class Figures:
    one: float
    three: float | None
    takeover: float | None

    def line(self) -> str:
        three = "n/a" if self.three is None else f"{self.three:.1f}/s"
        takeover = "n/a" if self.takeover is None else f"{self.takeover:.2f}"
        return f"webhook: one={self.one:.1f}/s three={three} takeover_s={takeover}"


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    port: int

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def postgres_schema(base: str) -> AsyncIterator[str]:
    """A migrated schema of its own in the PostgreSQL database, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    await _sql(base, f'CREATE SCHEMA "{schema}"')
    try:
        url = str(make_url(base).update_query_dict({"schema": schema}))
        await _migrate(url)
        yield url
    finally:
        await _sql(base, f'DROP SCHEMA "{schema}" CASCADE')


async def _sql(url: str, statement: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def instances(
    server: BotApiServer, database_url: str, count: int, logs: Path, **env: str
) -> AsyncIterator[list[Process]]:
    started: list[Process] = []
    try:
        for number in range(count):
            started.append(_launch(server, database_url, logs / f"instance-{number}.log", env))
            # One at a time: each migrates the schema before it serves.
            await _until_listening(started[-1])
        yield started
    finally:
        for process in started:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()


def _launch(
    server: BotApiServer, database_url: str, log_path: Path, env: dict[str, str]
) -> Process:
    port = _free_port()
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "DATABASE_URL": database_url,
        "PLAN_PATH": str(PLAN_PATH),
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    with log_path.open("ab") as log:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=log_path.parent,
            env=environment,
            stdout=log,
            stderr=log,
        )
    return Process(popen, port)


async def _until_listening(process: Process, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise RuntimeError(f"an instance exited with {process.popen.returncode}")
            try:
                await client.get(f"http://127.0.0.1:{process.port}/healthz")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise TimeoutError("an instance did not start listening")


async def updates_per_second(
    server: BotApiServer, targets: list[Process], updates: int, concurrency: int
) -> float:
    users = [FIRST_USER + i for i in range(updates)]
    bodies = [server.send_text(user, "/help") for user in users]
    mark = server.mark()
    gate = asyncio.Semaphore(concurrency)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def post(index: int) -> None:
            async with gate:
                target = targets[index % len(targets)].webhook
                response = await client.post(target, json=bodies[index], headers=headers)
                response.raise_for_status()

        started = time.monotonic()
        await asyncio.gather(*(post(i) for i in range(updates)))
        while True:
            answered = [c for c in server.calls(method="sendMessage", since=mark) if c.ok]
            if len({c.chat_id for c in answered}) >= updates:
                break
            if time.monotonic() - started > 300:
                raise TimeoutError(f"only {len(answered)} of {updates} answered")
            await asyncio.sleep(0.01)
    finished = max(c.time for c in answered)
    return updates / (finished - started)


async def plan_messages(database_url: str, chats: list[int]) -> None:
    db = Database(create_engine(database_url))
    try:
        now = dt.datetime.now(dt.UTC)
        async with db.unit_of_work() as uow:
            await uow.outbox.enqueue(
                [
                    NewMessage(chat, "bench", "1", MessageKind.DIGEST, now, {"text": TEXT})
                    for chat in chats
                ],
                now,
            )
    finally:
        await db.close()


async def takeover_seconds(
    server: BotApiServer, database_url: str, logs: Path, lease: int
) -> float:
    chats = [FIRST_CHAT + i for i in range(WAVE)]
    for chat in chats:
        server.private_chat(chat)
    db = Database(create_engine(database_url))
    try:
        async with instances(
            server, database_url, 3, logs, OUTBOX_LEASE_SECONDS=str(lease)
        ) as running:
            victim = running[2]
            # The worker id carries the process id: "host:pid:random".
            marker = f":{victim.popen.pid}:"
            await plan_messages(database_url, chats)
            deadline = time.monotonic() + 30
            held: list[tuple[int, int]] = []
            while not held:
                if time.monotonic() > deadline:
                    raise TimeoutError("the victim claimed nothing")
                held = await _claimed(db, marker)
                if not held:
                    await asyncio.sleep(0.005)
            victim.popen.kill()
            killed = time.monotonic()
            victim.popen.wait()
            # What it still held once dead (it may have finished a few in the meantime).
            held = await _claimed(db, marker)
            rows = {row_id for row_id, _ in held}
            while True:
                async with db.unit_of_work() as uow:
                    states = (
                        await uow.session.execute(
                            select(OutboxRow.id, OutboxRow.state).where(OutboxRow.id.in_(rows))
                        )
                    ).all()
                if any(state == OutboxState.SENT for _, state in states):
                    break
                if time.monotonic() - killed > lease + 60:
                    raise TimeoutError("nobody took over")
                await asyncio.sleep(0.005)
            held_chats = {chat for _, chat in held}
            first = min(
                c.time
                for c in server.calls(method="sendMessage")
                if c.ok and c.chat_id in held_chats and c.time >= killed
            )
            return first - killed
    finally:
        await db.close()


async def _claimed(db: Database, marker: str) -> list[tuple[int, int]]:
    async with db.unit_of_work() as uow:
        found = await uow.session.execute(
            select(OutboxRow.id, OutboxRow.chat_id).where(
                OutboxRow.state == OutboxState.SENDING, OutboxRow.claimed_by.contains(marker)
            )
        )
        return [(row_id, chat) for row_id, chat in found]


async def run(args: argparse.Namespace, logs: Path) -> Figures:
    server = BotApiServer(token=TOKEN)
    server.start()
    try:
        base = os.environ.get("TEST_POSTGRES_URL")
        if not base:
            url = f"sqlite+aiosqlite:///{logs / 'one.sqlite3'}"
            await _migrate(url)
            async with instances(server, url, 1, logs) as one:
                rate_one = await updates_per_second(server, one, args.updates, args.concurrency)
            print("webhook: TEST_POSTGRES_URL is not set; three instances skipped", flush=True)
            return Figures(rate_one, None, None)
        async with postgres_schema(base) as url, instances(server, url, 1, logs) as one:
            rate_one = await updates_per_second(server, one, args.updates, args.concurrency)
        print(f"  one instance: {rate_one:.1f} updates/s", flush=True)
        server.clear_calls()
        async with postgres_schema(base) as url, instances(server, url, 3, logs) as three:
            rate_three = await updates_per_second(server, three, args.updates, args.concurrency)
        print(f"  three instances: {rate_three:.1f} updates/s", flush=True)
        server.clear_calls()
        async with postgres_schema(base) as url:
            takeover = await takeover_seconds(server, url, logs, args.lease)
        print(f"  takeover after a kill (lease {args.lease} s): {takeover:.2f} s", flush=True)
        return Figures(rate_one, rate_three, takeover)
    finally:
        server.stop()


async def _migrate(url: str) -> None:
    db = Database(create_engine(url))
    try:
        await upgrade(db.engine)
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=600, help="/help commands per run")
    parser.add_argument("--concurrency", type=int, default=32, help="posts in flight at once")
    parser.add_argument("--lease", type=int, default=5, help="OUTBOX_LEASE_SECONDS for takeover")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    with tempfile.TemporaryDirectory(prefix="eskertu-bench-") as folder:
        figures = asyncio.run(run(args, Path(folder)))
    print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
