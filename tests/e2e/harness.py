"""Starting the real bot, through the composition root, against the local Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.__main__ import build_application
from bot.services import Services, services_of
from bot.settings import Settings
from sandbox.botapi.server import BotApiServer
from scheduler.clock import Clock, FakeClock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.plan import load_plan

ROOT = Path(__file__).resolve().parents[2]
PLAN_PATH = ROOT / "data" / "plan.json"


@dataclass
class RunningBot:
    app: Application  # type: ignore[type-arg]
    server: BotApiServer
    clock: Clock

    @property
    def svc(self) -> Services:
        return services_of(self.app)


def make_settings(server: BotApiServer, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": server.token,
        "telegram_api_url": server.base_url,
        "database_url": database_url,
        "plan_path": PLAN_PATH,
        **overrides,
    }
    return Settings.model_validate(values)


@contextlib.asynccontextmanager
async def running_bot(
    server: BotApiServer,
    database_url: str,
    *,
    clock: Clock | None = None,
    limiter: RateLimiter | None = None,
    **settings: Any,
) -> AsyncIterator[RunningBot]:
    """The bot as ``python -m bot`` builds it, polling the local server, stopped cleanly."""
    config = make_settings(server, database_url, **settings)
    clock = clock or FakeClock(dt.datetime(2016, 6, 1, 4, 0, tzinfo=dt.UTC))
    # Telegram's per-chat pacing would only slow the stories down; the limits have tests of
    # their own.
    limiter = limiter or RateLimiter(Limits(chat_interval=0.0, group=10_000))
    app = build_application(config, plan=load_plan(config.plan_path), clock=clock, limiter=limiter)
    try:
        async with app:
            assert app.post_init is not None
            await app.post_init(app)
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            try:
                yield RunningBot(app, server, clock)
            finally:
                await app.updater.stop()
                await app.stop()
                assert app.post_stop is not None
                await app.post_stop(app)
    finally:
        # A failed story still closes its database, so the next test starts clean.
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def delivered(bot: RunningBot, within: float = 10.0) -> None:
    """Wait until the outbox has nothing left to send that is due by the bot's clock."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        async with bot.svc.db.unit_of_work() as uow:
            if await uow.outbox.depth(due_by=bot.clock.now()) == 0:
                return
        if loop.time() > deadline:
            raise TimeoutError("the outbox did not drain")
        await asyncio.sleep(0.02)


def buttons_of(message: dict[str, Any]) -> list[str]:
    """The callback data of a message's inline buttons, row after row."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def decide_preview(
    server: BotApiServer, user: int, preview: dict[str, Any], *, apply: bool = True
) -> dict[str, Any]:
    """Press a plan change's preview button (put in force, or cancel); the message after it."""
    wanted = "pd:go:" if apply else "pd:no:"
    [data] = [b for b in buttons_of(preview) if b.startswith(wanted)]
    mark = server.mark()
    server.press_button(user, preview, data)
    await server.wait_for_call("answerCallbackQuery", since=mark)
    edited = await server.wait_for_call("editMessageText", since=mark)
    chat = int(edited.params["chat_id"])
    message_id = int(edited.params["message_id"])
    [shown] = [m for m in server.sent_messages(chat) if m["message_id"] == message_id]
    return shown
