"""A broadcast to 1,000 chats while the local Bot API misbehaves, for the test and the bench.

The audience: 960 private chats (one in 48 has blocked the bot), 15 chats Telegram does not
know, and 25 groups, one of which became a supergroup and one of which removed the bot. The
faults: two bursts of 429 with retry_after, 5xx answers for some chats, a request held past
PTB's read timeout, a dropped connection, and the server down for ``outage`` seconds once
half the copies are out. The caller chooses the database and the limiter.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass

from bot.jobs import run_tick
from sandbox.botapi import BotApiServer, FaultRule
from scheduler.clock import SystemClock
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.storage.outbox_repo import OutboxState
from scheduler.storage.tables import OutboxRow
from scheduler.vocabulary.messages import MessageKind
from tests.e2e.harness import running_bot
from tests.reliability.support import (
    LostAnswers,
    broadcast_to_all,
    copies,
    drained,
    outbox,
    per_chat,
    save_chats,
    sends_reach,
    take_down,
)

ADMIN = 70_001
PRIVATE = list(range(70_001, 70_961))
BLOCKED = PRIVATE[7::48]
MISSING = list(range(79_001, 79_016))
GROUPS = list(range(-80_025, -80_000))
MIGRATING, KICKED = -80_003, -80_007


@dataclass
class BroadcastOutcome:
    found: Counter[tuple[int, str]]
    rows: list[OutboxRow]
    lost: LostAnswers
    bursts: list[FaultRule]
    new_group: int
    broadcast_id: int
    recipients: int
    seconds: float

    @property
    def reachable(self) -> list[int]:
        chats = [c for c in PRIVATE if c not in BLOCKED]
        return chats + [g for g in GROUPS if g not in (MIGRATING, KICKED)] + [self.new_group]

    @property
    def unreachable(self) -> list[int]:
        return [*BLOCKED, KICKED, *MISSING]

    @property
    def broadcast_copies(self) -> Counter[int]:
        return per_chat(self.found, "broadcast")

    @property
    def failed_reasons(self) -> dict[int, str]:
        return {
            r.chat_id: r.last_error or ""
            for r in self.rows
            if r.kind == MessageKind.BROADCAST and r.state == OutboxState.FAILED
        }

    @property
    def report(self) -> dict[str, int] | None:
        rows = [r for r in self.rows if r.kind == MessageKind.BROADCAST_REPORT]
        return json.loads(rows[0].payload) if rows else None


def _set_up(server: BotApiServer) -> int:
    for chat in PRIVATE:
        server.private_chat(chat)
    for group in GROUPS:
        server.group(group, f"Агенттік {group}")
    new_group = server.migrate_group(MIGRATING, announce=False).id
    for chat in BLOCKED:
        server.fail_blocked(chat, method="sendMessage")
    server.fail_kicked(KICKED, method="sendMessage")
    for chat in PRIVATE[100:110]:
        server.fail_server_error(502, method="sendMessage", chat_id=chat, times=2)
    for chat in PRIVATE[200:205]:
        server.fail_server_error(500, method="sendMessage", chat_id=chat)
    server.fail_server_error(503, method="sendMessage", chat_id=-80_010)
    # Held past PTB's 5 s read timeout, then dropped unsent: the bot sees TimedOut.
    server.fail_timeout(6.0, takes_effect=False, method="sendMessage", chat_id=PRIVATE[300])
    server.fail_timeout(0.3, drop=True, takes_effect=False, method="sendMessage", chat_id=-80_020)
    return new_group


async def broadcast_through_faults(
    server: BotApiServer,
    database_url: str,
    limiter: RateLimiter,
    *,
    outage: float,
    within: float,
) -> BroadcastOutcome:
    """Run the scenario to the end (every copy has an outcome, the report is delivered)."""
    new_group = _set_up(server)
    bursts = [server.fail_retry_after(1, method="sendMessage", times=4)]
    clock = SystemClock()
    async with running_bot(
        server, database_url, clock=clock, limiter=limiter, admin_ids=(ADMIN,)
    ) as bot:
        svc = bot.svc
        await save_chats(svc.db, [*PRIVATE, *MISSING], GROUPS)
        started = time.monotonic()
        draft, planned = await broadcast_to_all(svc.core, ADMIN, "Ертең сағат 10:00-де кеңес өтеді")
        svc.delivery.wake()
        await sends_reach(server, 300, within=within)
        bursts.append(server.fail_retry_after(2, method="sendMessage", times=3))
        await sends_reach(server, 500, within=within)
        lost = take_down(server, outage)
        await drained(svc.db, within=within)
        seconds = time.monotonic() - started
        await run_tick(svc)  # notices the finished broadcast and plans its report
        await drained(svc.db, within=10)
        rows = await outbox(svc.db)
    found = copies(server, [*PRIVATE, *MISSING, *GROUPS, new_group])
    assert draft.recipients == planned
    return BroadcastOutcome(found, rows, lost, bursts, new_group, draft.id, planned, seconds)
