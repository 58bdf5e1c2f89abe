"""A broadcast sent by ``python -m bot`` processes that are killed and started again.

The database is prepared in this process (chats, a drafted and confirmed broadcast to all of
them, so its copies wait in the outbox), then the real bot runs as a child process against
the local Bot API server and its worker sends them. The child is killed with SIGKILL once the
server has carried out a chosen number of sends, and started again, several times over; a
last run drains the outbox and is stopped with SIGTERM.

What a kill can duplicate: the worker runs at most ``concurrency`` sends at a time, and a row
counts as in flight from the moment its send starts until its outcome is committed. A kill
loses the outcome of exactly those rows; their leases run out and the next run sends them
again. So each kill duplicates at most ``concurrency`` messages, and loses none.

Each duplicate is traced to its kill: a copy that its chat received again later is one whose
outcome was lost, and it belongs to the run during which the server carried it out.

Used by ``tests/reliability/test_crashes.py`` (a few hundred chats) and ``bench/crash.py``.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.botapi import BotApiServer
from scheduler.clock import SystemClock
from scheduler.delivery.worker import DeliveryWorker
from scheduler.plan import load_plan
from scheduler.plan_runtime import build_runtime
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from tests.e2e.harness import PLAN_PATH, ROOT, make_settings
from tests.reliability.support import broadcast_to_all, copies, per_chat, save_chats
from tests.usecases.support import core_for

# ``build_application`` leaves the worker's concurrency at its default.
CONCURRENCY: int = inspect.signature(DeliveryWorker).parameters["concurrency"].default
LEASE_SECONDS = 2
ADMIN = 50_000_001
START_TIMEOUT = 30.0


@dataclass
class CrashRun:
    """One scenario: the server, the database file, and what happened to each process."""

    server: BotApiServer
    folder: Path
    chats: list[int]
    kills: int = 0
    sends_at_kills: list[int] = field(default_factory=list)
    terms: int = 0
    # The server's call marks at the start and at the kill of each killed run.
    kill_windows: list[tuple[int, int]] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.folder / "bot.sqlite3"

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database}"

    # -- preparing -------------------------------------------------------------------------

    def prepare(self) -> int:
        """Create the chats and a confirmed broadcast to all of them; returns its copies."""
        for chat in self.chats:
            self.server.private_chat(chat)
        return asyncio.run(self._prepare())

    async def _prepare(self) -> int:
        settings = make_settings(self.server, self.url, admin_ids=(ADMIN,))
        runtime = build_runtime(
            load_plan(PLAN_PATH),
            policy=settings.reminder_policy(),
            tz=settings.tz,
            rule=settings.working_day_rule,
        )
        db = Database(create_engine(self.url))
        try:
            await upgrade(db.engine)
            await save_chats(db, self.chats)
            core = core_for(db, SystemClock(), runtime)
            # The administrator writes from one of the chats, which all get the broadcast.
            _, planned = await broadcast_to_all(
                core, ADMIN, "Жоспар бойынша кеңес ертең өтеді", chat=self.chats[0]
            )
            return planned
        finally:
            await db.close()

    # -- running ---------------------------------------------------------------------------

    def start(self) -> subprocess.Popen[bytes]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "BOT_TOKEN": self.server.token,
            "TELEGRAM_API_URL": self.server.base_url,
            "DATABASE_URL": self.url,
            "PLAN_PATH": str(PLAN_PATH),
            "ADMIN_IDS": str(ADMIN),
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONPATH": str(ROOT),
        }
        log = (self.folder / "bot.log").open("ab")
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.folder,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()

    def _wait_for_sends(self, count: int, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while self._successful_calls() < count:
            if process.poll() is not None:
                raise RuntimeError(f"the bot exited early with {process.returncode}: {self.log}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} sends within {START_TIMEOUT:g} s")
            time.sleep(0.002)

    def _successful_calls(self) -> int:
        return sum(1 for call in self.server.calls("sendMessage") if call.ok)

    def kill_after(self, more: int) -> None:
        """Start the bot, SIGKILL it once ``more`` further sends went through."""
        started = self.server.mark()
        process = self.start()
        try:
            self._wait_for_sends(self._successful_calls() + more, process)
        finally:
            process.kill()
            process.wait(30)
        self.kills += 1
        self.sends_at_kills.append(self._successful_calls())
        self.kill_windows.append((started, self.server.mark()))

    def terminate_after(self, more: int) -> int:
        """Start the bot, SIGTERM it once ``more`` further sends went through; its exit code."""
        process = self.start()
        try:
            self._wait_for_sends(self._successful_calls() + more, process)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(60)
        self.terms += 1
        return code

    def drain(self, within: float) -> int:
        """Start the bot, wait until the outbox is empty, stop it with SIGTERM; its exit code."""
        process = self.start()
        try:
            deadline = time.monotonic() + within
            while self.waiting() > 0:
                if process.poll() is not None:
                    raise RuntimeError(f"the bot exited early: {self.log}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.waiting()} rows still wait after {within:g} s")
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(60)
        self.terms += 1
        return code

    # -- reading back ----------------------------------------------------------------------

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.database, timeout=10) as connection:
            return connection.execute(sql).fetchall()

    def waiting(self) -> int:
        ((count,),) = self.query("SELECT count(*) FROM outbox WHERE state IN ('pending','sending')")
        return int(str(count))

    def states(self) -> Counter[str]:
        return Counter({str(s): int(str(n)) for s, n in self.query(_STATES)})

    def copies(self) -> Counter[int]:
        return per_chat(copies(self.server, self.chats), "broadcast")

    def duplicates(self) -> int:
        return sum(n - 1 for n in self.copies().values() if n > 1)

    def duplicates_per_kill(self) -> tuple[list[int], int]:
        """The duplicates each kill caused, and those no kill explains (which must be none).

        A successful send to a chat that later received another is a copy whose outcome was
        lost; it is counted against the killed run that carried it out.
        """
        per_kill = [0] * len(self.kill_windows)
        unexplained = 0
        chats = set(self.chats)
        by_chat: dict[int, list[int]] = {}
        for call in self.server.calls("sendMessage"):
            if call.ok and call.chat_id in chats:
                by_chat.setdefault(call.chat_id, []).append(call.seq)
        for seqs in by_chat.values():
            for seq in sorted(seqs)[:-1]:
                found = [i for i, (lo, hi) in enumerate(self.kill_windows) if lo <= seq < hi]
                if found:
                    per_kill[found[0]] += 1
                else:
                    unexplained += 1
        return per_kill, unexplained

    def recorded_copies_exist(self) -> bool:
        """Every sent row names a message its chat really holds."""
        held = {
            (chat, message["message_id"])
            for chat in self.chats
            for message in self.server.sent_messages(chat)
        }
        rows = self.query("SELECT chat_id, message_id FROM outbox WHERE state = 'sent'")
        return all((chat, message_id) in held for chat, message_id in rows)

    def integrity(self) -> str:
        ((result,),) = self.query("PRAGMA integrity_check")
        return str(result)

    @property
    def log(self) -> str:
        path = self.folder / "bot.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""


_STATES = "SELECT state, count(*) FROM outbox WHERE kind = 'broadcast' GROUP BY state"


def kill_points(rng: random.Random, kills: int, chats: int) -> list[int]:
    """How many sends to let through before each kill: spread over the first 80 %."""
    share = max(CONCURRENCY + 1, int(chats * 0.8) // kills)
    return [rng.randint(max(1, share // 3), share) for _ in range(kills)]
