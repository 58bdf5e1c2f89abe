"""Two bot instances on one PostgreSQL deliver every reminder exactly once between them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from sqlalchemy import select
from telegram.ext import Application

from bot.__main__ import build_application
from bot.jobs import run_tick
from bot.services import services_of
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.plan import load_plan
from scheduler.storage.tables import OutboxRow
from scheduler.vocabulary.subscriptions import Follow
from tests.e2e.harness import make_settings

ALMATY = ZoneInfo("Asia/Almaty")
CHATS = range(9001, 9041)


@contextlib.asynccontextmanager
async def _instance(server: BotApiServer, url: str, clock: FakeClock) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """An instance that runs the tick and the delivery worker, without polling for updates."""
    settings = make_settings(server, url)
    limiter = RateLimiter(Limits(total=1000, chat_interval=0.0, group=10_000))
    app = build_application(
        settings, plan=load_plan(settings.plan_path), clock=clock, limiter=limiter
    )
    async with app:
        assert app.post_init is not None and app.post_stop is not None
        await app.post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
            await app.post_stop(app)
    assert app.post_shutdown is not None
    await app.post_shutdown(app)


async def test_two_instances_send_each_reminder_once(
    botapi: BotApiServer, postgres_url: str
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    for chat in CHATS:
        botapi.user(chat, f"Officer {chat}")
        botapi.private_chat(chat)
    async with (
        _instance(botapi, postgres_url, clock) as one,
        _instance(botapi, postgres_url, clock) as two,
    ):
        first, second = services_of(one), services_of(two)
        async with first.db.unit_of_work() as uow:
            for chat in CHATS:
                await uow.subscriptions.subscribe(chat, Follow.AGENCY, "МСМ", clock.now(), None)
        clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
        results = await asyncio.gather(run_tick(first), run_tick(second))
        planned = sum(r.planned for r in results)
        assert planned > len(CHATS)  # several МСМ points fall due on 30 June 2016

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while True:
            async with first.db.unit_of_work() as uow:
                if await uow.outbox.depth() == 0:
                    break
            assert loop.time() < deadline, "the outbox did not drain"
            await asyncio.sleep(0.05)

        async with first.db.unit_of_work() as uow:
            rows = (await uow.session.scalars(select(OutboxRow))).all()
        assert len(rows) == planned
        assert {r.state for r in rows} == {"sent"}
        workers = Counter(r.claimed_by for r in rows)
        assert workers == Counter({None: planned})  # finished rows keep no claim

    sent = Counter(
        (call.params["chat_id"], call.result["message_id"])
        for call in botapi.calls("sendMessage")
        if call.ok and int(call.params["chat_id"]) in CHATS
    )
    assert sum(sent.values()) == planned
    per_chat = Counter(int(chat) for chat, _ in sent)
    assert set(per_chat) == set(CHATS)
    assert len(set(per_chat.values())) == 1  # every chat got the same wave, once
    assert {(r.chat_id, r.message_id) for r in rows} == {(int(c), m) for c, m in sent}
