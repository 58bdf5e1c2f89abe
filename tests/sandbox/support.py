"""A sandbox running in the test's own event loop, built as ``python -m bot demo`` builds it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.__main__ import build_application
from bot.settings import Settings
from sandbox.botapi import BotApiServer
from sandbox.personas import DEFAULT_CAST, Cast
from sandbox.session import (
    BOT_NAME,
    BOT_USERNAME,
    DEFAULT_START,
    SANDBOX_LIMITS,
    Sandbox,
    running_sandbox,
    sandbox_settings,
    sandbox_token,
)
from scheduler.clock import RunningClock
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.plan import load_plan
from tests.e2e.harness import PLAN_PATH


@contextlib.asynccontextmanager
async def sandbox_running(
    folder: Path, *, start: dt.datetime = DEFAULT_START, cast: Cast = DEFAULT_CAST
) -> AsyncIterator[Sandbox]:
    settings = Settings.model_validate({"plan_path": PLAN_PATH})
    clock = RunningClock(start.replace(tzinfo=settings.tz))
    server = BotApiServer(
        sandbox_token(),
        bot_username=BOT_USERNAME,
        bot_first_name=BOT_NAME,
        clock=lambda: clock.now().timestamp(),
    )
    server.start()
    try:
        config = sandbox_settings(settings, server, folder / "sandbox.sqlite3", cast)
        app = build_application(
            config, plan=load_plan(PLAN_PATH), clock=clock, limiter=RateLimiter(SANDBOX_LIMITS)
        )
        async with running_sandbox(app, server, clock, cast) as sandbox:
            yield sandbox
    finally:
        server.stop()


def buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(b.get("callback_data", "")) for row in rows for b in row]
