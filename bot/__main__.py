"""Composition root: reads the settings once, builds everything, and runs the chosen command.

``python -m bot`` with no command runs the bot: with long polling, or as a webhook when
WEBHOOK_URL is set; ``python -m bot demo`` runs the same bot in the sandbox. Nothing is built
at import time; tests build the same application through :func:`build_application`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import logging
import os
import secrets
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from prometheus_client import CollectorRegistry
from telegram import BotCommand, MenuButtonWebApp, Update, WebAppInfo
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.background import Background
from bot.cli import build_parser, plan_or_problems
from bot.cli import calendar as calendar_cli
from bot.cli import demo as demo_cli
from bot.cli import plan as plan_cli
from bot.cli import report as report_cli
from bot.delivery.answers import AnswerKeepingRequest
from bot.delivery.renderer import OutboxRenderer
from bot.delivery.telegram_sender import TelegramSender
from bot.errors import on_error
from bot.handlers import MENU_COMMANDS, build_handlers
from bot.i18n.catalog import LANGUAGES, Catalog, load_catalog
from bot.jobs import schedule_jobs
from bot.logging_setup import configure_logging
from bot.services import SERVICES_KEY, Services, services_of
from bot.settings import Settings, SettingsError, load_settings
from bot.ticks import TickObserver
from bot.web.dashboard.app import dashboard_of
from bot.web.dashboard.server import SERVER_KEY as DASHBOARD_SERVER
from bot.web.dashboard.server import DashboardServer
from bot.webhook.metrics import METRICS_KEY, Metrics
from bot.webhook.server import run_webhook_server
from sandbox.botapi import BotApiServer
from sandbox.personas import DEFAULT_CAST
from sandbox.serve import address_of, bind, serve
from sandbox.session import (
    BOT_NAME,
    BOT_USERNAME,
    SANDBOX_LIMITS,
    running_sandbox,
    sandbox_settings,
    sandbox_token,
)
from scheduler.clock import Clock, RunningClock, SystemClock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.delivery.retry import RetryPolicy
from scheduler.delivery.worker import DeliveryWorker
from scheduler.plan.model import Plan
from scheduler.plan_runtime import PlanHolder, RuntimeFactory, calendar_overrides
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database, OutboxBell
from scheduler.usecases.contacts import ContactMemory
from scheduler.usecases.core import Core
from scheduler.usecases.plan_changes import plan_in_force
from scheduler.usecases.reminders import held_until

log = logging.getLogger("eskertu")


def file_base_url(api_url: str) -> str:
    """Telegram serves files under /file/bot<token>/ beside /bot<token>/."""
    head, sep, tail = api_url.rstrip("/").rpartition("/")
    if sep and tail.startswith("bot"):
        return f"{head}/file/{tail}"
    return f"{api_url.rstrip('/')}/file/bot"


def build_application(
    settings: Settings,
    *,
    plan: Plan,
    clock: Clock | None = None,
    catalog: Catalog | None = None,
    limiter: RateLimiter | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the whole bot: database, plan, delivery, handlers. Nothing connects until it starts."""
    # Opt in to PTB's coming behaviour (durations as timedelta); the old one warns on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    token = settings.require_token()
    clock = clock or SystemClock()
    catalog = catalog or load_catalog(fallback=settings.default_language)
    # Whatever plans a message rings the bell; the delivery worker answers it.
    bell = OutboxBell()
    db = Database(create_engine(settings.database_url), bell)
    factory = RuntimeFactory(
        policy=settings.reminder_policy(),
        tz=settings.tz,
        rule=settings.working_day_rule,
        control=settings.control_policy(),
    )
    core = Core(
        db=db,
        clock=clock,
        plans=PlanHolder(factory.build(plan)),
        factory=factory,
        admins=settings.admin_ids,
        contacts=ContactMemory(),
    )
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .base_file_url(file_base_url(settings.telegram_api_url))
        # PTB's default request for the bot's calls, keeping each answer so that a send
        # Telegram accepted is known as sent even when its answer cannot be read. 8 calls at
        # once serve the delivery worker's 4 and the replies' answers well above Telegram's
        # 30 messages/s, and keep httpcore's pool cheap (bot/delivery/answers.py).
        .request(AnswerKeepingRequest(in_flight=8))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        # Updates are served concurrently; the status replies among them that come while
        # others are being written go into one transaction (scheduler/usecases/gathering.py),
        # so a burst needs as many handlers at once as replies to gather.
        .concurrent_updates(64)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    # Counted by every instance, served at /metrics in webhook mode.
    metrics = Metrics(CollectorRegistry())
    app.bot_data[METRICS_KEY] = metrics
    worker = DeliveryWorker(
        db,
        clock,
        TelegramSender(app.bot),
        OutboxRenderer(core, catalog, settings.default_language),
        # Telegram's 30 messages/s are per bot: instances sharing it split it between them.
        limiter or RateLimiter(Limits(total=settings.max_messages_per_second)),
        worker_id=f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}",
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        # 5xx answers and timeouts are retried for about a day (waits grow to 5 minutes),
        # so an outage of Telegram or of the network loses nothing.
        retry=RetryPolicy(cap=300.0, max_attempts=300),
        # Reminders and nudges that come due outside working hours wait for the morning.
        hold=lambda item: held_until(core, item),
        on_sent=metrics.reminder_sent,
        on_failed=metrics.delivery_failed,
    )
    bell.listen(worker.wake)
    app.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        core=core,
        catalog=catalog,
        delivery=worker,
        background=Background(),
        ticks=TickObserver(metrics, clock),
    )
    app.add_handlers(build_handlers())
    app.add_error_handler(on_error)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Before the first update: the schema, the plan in force, menus, delivery, the jobs."""
    svc = services_of(app)
    core = svc.core
    before, after = await upgrade(core.db.engine)
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "empty", after)
    # The database keeps the plan in force: the file's plan unless an administrator changed
    # it since the file was last loaded.
    version, plan = await plan_in_force(core.db, core.clock, svc.plan)
    working, off = await calendar_overrides(core.db)
    core.plans.replace(core.factory.build(plan, working, off), version)
    await _set_menus(app, svc)
    web = app.bot_data.get(DASHBOARD_SERVER)
    if isinstance(web, DashboardServer):
        await web.start()
    svc.background.start(svc.delivery)
    if app.job_queue is not None:
        schedule_jobs(app.job_queue, svc)
    # What is loaded by now (libraries, the plan, the catalogs) lives as long as the process:
    # the collector stops walking it, so that its full collections, which a large wave's
    # planning sets off, take milliseconds instead of a good part of a planning step.
    gc.freeze()


async def _set_menus(app: Application, svc: Services) -> None:  # type: ignore[type-arg]
    """One command menu per interface language, and the default language's for the rest."""
    for language in (None, *LANGUAGES):
        tr = svc.catalog.for_language(language or svc.settings.default_language)
        commands = [BotCommand(name, tr.plain(f"menu.{name}")) for name in MENU_COMMANDS]
        await app.bot.set_my_commands(commands, language_code=language)
    # The menu button beside the message field opens the dashboard in every private chat.
    url = svc.settings.webapp_url
    if url:
        tr = svc.catalog.for_language(svc.settings.default_language)
        button = MenuButtonWebApp(tr.plain("dashboard.menu_button"), WebAppInfo(url))
        await app.bot.set_chat_menu_button(menu_button=button)


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    web = app.bot_data.get(DASHBOARD_SERVER)
    if isinstance(web, DashboardServer):
        await web.stop()
    await services_of(app).background.stop()


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    await services_of(app).db.close()


def _run(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_token()
    plan = plan_or_problems(settings, "eskertu")
    if plan is None:
        return 2
    app = build_application(settings, plan=plan)
    if settings.webhook_url:
        host, port = settings.listen_address
        log.info(
            "starting with a webhook at %s, listening on %s:%d",
            _public_host(settings.webhook_url),
            host,
            port,
        )
        return run_webhook_server(app)
    log.info("starting with long polling against %s", _public_host(settings.telegram_api_url))
    if settings.webapp_url:
        # Nothing else listens in polling mode: the dashboard gets a listener of its own.
        host, port = settings.webapp_address
        app.bot_data[DASHBOARD_SERVER] = DashboardServer(dashboard_of(services_of(app)), host, port)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    """The sandbox: this same bot against a local Bot API server, with a web chat."""
    cast = DEFAULT_CAST
    clock = RunningClock(args.start.replace(tzinfo=settings.tz))
    server = BotApiServer(
        sandbox_token(),
        bot_username=BOT_USERNAME,
        bot_first_name=BOT_NAME,
        clock=lambda: clock.now().timestamp(),
    )
    try:
        listener = bind(args.port)
    except OSError as exc:
        print(f"eskertu: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    with listener, tempfile.TemporaryDirectory(prefix="eskertu-demo-") as scratch:
        server.start()
        try:
            # The page serves the dashboard too, where its buttons open it.
            webapp_url = f"{address_of(listener)}app/"
            config = sandbox_settings(
                settings, server, Path(scratch) / "eskertu.sqlite3", cast, webapp_url
            )
            plan = plan_or_problems(config, "eskertu demo")
            if plan is None:
                return 2
            app = build_application(
                config, plan=plan, clock=clock, limiter=RateLimiter(SANDBOX_LIMITS)
            )
            log.info("sandbox: the bot's clock starts at %s", clock.now().isoformat())
            catalog = services_of(app).catalog
            return serve(
                lambda: running_sandbox(app, server, clock, cast),
                listener,
                catalog,
                config.default_language,
                dashboard=dashboard_of(services_of(app)),
            )
        finally:
            server.stop()


def _db(args: argparse.Namespace, settings: Settings) -> int:
    async def go() -> tuple[str | None, str | None]:
        db = Database(create_engine(settings.database_url))
        try:
            return await upgrade(db.engine)
        finally:
            await db.close()

    before, after = asyncio.run(go())
    print(f"database at revision {after} (was {before or 'empty'})")
    return 0


def _public_host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


def _register_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run", help="run the bot (the default): long polling, or a webhook if WEBHOOK_URL is set"
    )
    parser.set_defaults(handler=_run)


def _register_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo_cli.register(sub, _demo)


def _register_db(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("db", help="manage the database schema")
    db_sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply every pending migration").set_defaults(handler=_db)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(
        [
            _register_run,
            _register_demo,
            _register_db,
            plan_cli.register,
            calendar_cli.register,
            report_cli.register,
        ]
    )
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run"])
    try:
        settings = load_settings()
        configure_logging(settings.log_level, _secrets(settings))
        code: int = args.handler(args, settings)
        # Written out here, where a reader who went away can still be answered quietly.
        sys.stdout.flush()
    except SettingsError as exc:
        print(f"eskertu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (``calendar … | head``): nothing more to say.
        _silence_stdout()
        return 0
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _secrets(settings: Settings) -> list[str]:
    """Every secret a log line must never show."""
    found = [settings.bot_token, settings.webhook_secret]
    return [s.get_secret_value() for s in found if s is not None and s.get_secret_value()]


if __name__ == "__main__":
    sys.exit(main())
