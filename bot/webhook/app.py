"""The ASGI app of webhook mode: the webhook route, /healthz and /metrics, and the bot's life.

Its lifespan is the bot's: on startup the PTB application is initialised, its post_init
runs (migrations, menus, delivery, the tick), it starts processing its update queue and
the webhook is (re)set; on shutdown it stops, post_stop gives back unsent claims, and it
shuts down. PTB runs the post_* hooks itself only under run_polling/run_webhook, so they
are called here. Every instance sets the same webhook at start, which is harmless, and
none deletes it on the way out, since the others still serve it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.services import services_of
from bot.webhook.health import DATABASE_TIMEOUT, HealthProbe
from bot.webhook.intake import UpdateIntake
from bot.webhook.metrics import Metrics, metrics_of
from bot.webhook.ticks import TickObserver
from scheduler.usecases.health import outbox_depth
from scheduler.usecases.updates import forget_old_updates

log = logging.getLogger("eskertu.webhook")

FORGET_JOB_NAME = "eskertu-forget-updates"
FORGET_EVERY_SECONDS = 3600

PtbApp = Application[Any, Any, Any, Any, Any, Any]


def create_webhook_app(application: PtbApp) -> Starlette:
    """The ASGI app serving ``application`` (built by ``build_application``) by webhook."""
    svc = services_of(application)
    settings = svc.settings
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    metrics = metrics_of(application)
    ticks = TickObserver(metrics, svc.clock)
    intake = UpdateIntake(
        application,
        secret=settings.webhook_secret.get_secret_value(),
        db=svc.db,
        clock=svc.clock,
        metrics=metrics,
    )
    health = HealthProbe(
        db=svc.db,
        clock=svc.clock,
        tick_seconds=settings.tick_seconds,
        ticks=ticks,
        metrics=metrics,
    )

    async def metrics_page(request: Request) -> Response:
        await _refresh_depth(application, metrics)
        return Response(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with _running(application, ticks):
            yield

    routes = [
        Route(settings.webhook_path, intake.handle, methods=["POST"]),
        Route("/healthz", health.handle, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


@contextlib.asynccontextmanager
async def _running(application: PtbApp, ticks: TickObserver) -> AsyncIterator[None]:
    """Start the bot as run_webhook would, without PTB's own web server; stop it likewise."""
    settings = services_of(application).settings
    assert settings.webhook_secret is not None
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        # Before the job queue starts, so that the first tick is observed too.
        if ticks.attach(application) == 0:
            log.warning("no tick job found: /healthz will report the instance's tick as missing")
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                _forget_job, interval=FORGET_EVERY_SECONDS, first=60, name=FORGET_JOB_NAME
            )
        await application.start()
        await application.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
        log.info("webhook set; taking updates at %s", settings.webhook_path)
        yield
    finally:
        try:
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        finally:
            await application.shutdown()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)


async def _forget_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    svc = services_of(context.application)
    forgotten = await forget_old_updates(svc.db, svc.clock)
    if forgotten:
        log.debug("forgot %d old update ids", forgotten)


async def _refresh_depth(application: PtbApp, metrics: Metrics) -> None:
    try:
        depth = await asyncio.wait_for(outbox_depth(services_of(application).db), DATABASE_TIMEOUT)
    except Exception as exc:
        log.warning("metrics: could not read the outbox depth (%s)", type(exc).__name__)
        return
    metrics.outbox_depth.set(depth)
