"""A reminder wave through the real worker, limiter and PTB sender to the local Bot API.

The server misbehaves the way Telegram does (flood control, 5xx, a timeout, blocked chats, a
group that became a supergroup); afterwards every reachable chat has each message exactly
once, unreachable chats are failed and unsubscribed, and no sending limit was broken.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from bot.delivery.telegram_sender import TelegramSender
from scheduler.clock import SystemClock
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.delivery.retry import RetryPolicy
from scheduler.delivery.worker import DeliveryWorker
from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import NewMessage, OutboxItem, OutboxState
from scheduler.storage.unit_of_work import Database
from tests.delivery.botapi_support import bot_on_server
from tests.delivery.rows import active_subscribers, outbox_rows

PRIVATE = list(range(10_001, 10_201))
GROUPS = [-701, -702, -703, -704]
BLOCKED = [10_010, 10_050, 10_090, 10_130, 10_170]
KICKED = -704
MIGRATING = -703
POINTS = {"T1/1": "Мерзімге 10 күн қалды", "T2/1": "Бүгін — мерзім"}


async def render(item: OutboxItem) -> Rendered:
    return Rendered(f"<b>{POINTS[item.control_point]}</b> · {item.control_point}")


async def plan_wave(db: Database) -> None:
    now = SystemClock().now()
    messages = [NewMessage(chat, "T1/1", "0", "reminder", now) for chat in PRIVATE]
    messages += [
        NewMessage(group, point, "0", "reminder", now) for group in GROUPS for point in POINTS
    ]
    async with db.unit_of_work() as uow:
        for chat in [*PRIVATE, *GROUPS]:
            await uow.subscriptions.subscribe(chat, "agency", "MF", now, None)
        assert await uow.outbox.enqueue(messages, now) == len(messages)


async def run_until_empty(worker: DeliveryWorker, db: Database, limit: float) -> None:
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            async with db.unit_of_work() as uow:
                if await uow.outbox.depth() == 0:
                    break
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(running, 5)


@pytest.mark.slow
async def test_a_wave_with_faults_reaches_everyone_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with bot_on_server(read_timeout=0.5) as (server, bot):
        for chat in PRIVATE:
            server.private_chat(chat)
        for group in GROUPS:
            server.group(group, f"Агенттік {group}")
        new_id = server.migrate_group(MIGRATING, announce=False).id
        for chat in BLOCKED:
            server.fail_blocked(chat)
        server.fail_kicked(KICKED)
        server.fail_retry_after(1, method="sendMessage", times=3)
        server.fail_retry_after(1, method="sendMessage", chat_id=10_150)
        server.fail_server_error(502, method="sendMessage", chat_id=10_020, times=2)
        server.fail_server_error(500, method="sendMessage", chat_id=10_120)
        server.fail_server_error(502, method="sendMessage", chat_id=-702)
        server.fail_timeout(1.5, takes_effect=False, method="sendMessage", chat_id=10_060)
        await plan_wave(db)

        worker = DeliveryWorker(
            db,
            SystemClock(),
            TelegramSender(bot),
            render,
            RateLimiter(),
            worker_id="e2e",
            retry=RetryPolicy(base=0.2, cap=1.0, max_attempts=5),
            poll_interval=0.05,
        )
        started = time.monotonic()
        await run_until_empty(worker, db, limit=30)
        elapsed = time.monotonic() - started

        reachable = [c for c in PRIVATE if c not in BLOCKED]
        for chat in reachable:
            texts = [m["text"] for m in server.sent_messages(chat)]
            assert texts == [f"{POINTS['T1/1']} · T1/1"], chat
        for group in (-701, -702, new_id):
            copies = Counter(m["text"] for m in server.sent_messages(group))
            assert copies == Counter(f"{text} · {point}" for point, text in POINTS.items())
        for chat in [*BLOCKED, KICKED, MIGRATING]:
            assert server.sent_messages(chat) == []

        rows = await outbox_rows(db)
        assert {r.chat_id for r in rows if r.state == OutboxState.FAILED} == {*BLOCKED, KICKED}
        assert {r.state for r in rows} == {OutboxState.SENT, OutboxState.FAILED, "cancelled"}
        assert [r.chat_id for r in rows if r.state == "cancelled"] == [KICKED]
        assert sorted(r.control_point for r in rows if r.chat_id == new_id) == sorted(POINTS)
        assert await active_subscribers(db) == {*reachable, -701, -702, new_id}

        violations = server.violations()
        assert violations.count == 0, violations
        assert violations.sends == len(reachable) + 6
        # Flood control really paused the bot, and the wave still kept close to the limit.
        assert len(server.calls(method="sendMessage")) > violations.sends + 10
        assert elapsed < 15
