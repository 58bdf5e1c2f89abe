"""A running sandbox: the bot polling the local Bot API server, with its personas in place.

The composition root builds the bot, the server and the clock; :func:`running_sandbox` starts
the bot as ``run_polling`` would (migrations, menus, delivery, the tick), brings the personas
to their starting state, and stops everything cleanly on the way out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application

from bot.i18n.catalog import Catalog
from bot.services import Services, services_of
from bot.settings import Settings
from sandbox.botapi import BotApiServer
from sandbox.personas import Cast
from sandbox.seeding import seed
from sandbox.timeline import Timeline
from scheduler.clock import RunningClock
from scheduler.delivery.ratelimit import Limits

PtbApp = Application[Any, Any, Any, Any, Any, Any]

# The start moment when none is given: a Monday morning two weeks before the plan's first
# deadlines (2 December 2015), so the first reminders come the next day at the send time.
DEFAULT_START = dt.datetime(2015, 11, 16, 8, 30)
# A long poll answers at once when an update arrives; this only bounds an idle one.
POLL_TIMEOUT = 5

BOT_USERNAME = "eskertu_sandbox_bot"
BOT_NAME = "Eskertu"

# Telegram's 30 messages/s stay; one chat and one group are paced faster than Telegram
# paces them, so that a jump's reminders reach the page in a moment, not in a minute.
SANDBOX_LIMITS = Limits(chat_interval=0.05, group=1_000)


@dataclass(frozen=True)
class Sandbox:
    """Everything the page works with."""

    app: PtbApp
    server: BotApiServer
    clock: RunningClock
    cast: Cast
    timeline: Timeline

    @property
    def svc(self) -> Services:
        return services_of(self.app)


def sandbox_token() -> str:
    """A token shaped like Telegram's, new each run: the local server knows only this one."""
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(26)}"


def sandbox_settings(
    settings: Settings, server: BotApiServer, database: Path, cast: Cast, webapp_url: str = ""
) -> Settings:
    """The operator's settings, pointed at the local server and a fresh SQLite file.

    Everything about reminders (offsets, times, the calendar rule, the digest) is kept, so a
    trainer can show the bot as it will be configured; polling replaces any webhook, and the
    dashboard is the one the sandbox's page serves at ``webapp_url``.
    """
    return settings.model_copy(
        update={
            "bot_token": SecretStr(server.token),
            "telegram_api_url": server.base_url,
            "database_url": f"sqlite+aiosqlite:///{database}",
            "admin_ids": cast.administrators,
            "webhook_url": "",
            "webhook_secret": None,
            "webapp_url": webapp_url,
        }
    )


def persona_names(catalog: Catalog, language: str, cast: Cast) -> dict[str, str]:
    """Each persona's first name in Telegram, and the group's title, from the catalogs."""
    names = {p.key: catalog.plain(language, f"sandbox.persona.{p.key}") for p in cast.personas}
    names["group"] = catalog.plain(language, "sandbox.group.title")
    return names


@contextlib.asynccontextmanager
async def running_sandbox(
    app: PtbApp, server: BotApiServer, clock: RunningClock, cast: Cast
) -> AsyncIterator[Sandbox]:
    """The bot, built by ``build_application`` against ``server``, running and seeded."""
    svc = services_of(app)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0,
            timeout=POLL_TIMEOUT,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        try:
            names = persona_names(svc.catalog, svc.settings.default_language, cast)
            await seed(server, svc, cast, names)
            yield Sandbox(app, server, clock, cast, Timeline(svc, clock))
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
