"""The ASGI app of webhook mode: the webhook route, /healthz, /metrics, the dashboard under
/app/ (when WEBAPP_URL is set), and the bot's life.

Its lifespan is the bot's, in the order PTB's own run_webhook keeps: the application is
entered (``async with``, PTB's initialise and shut down), its post_init hook runs
(migrations, menus, delivery, the jobs), it starts processing its update queue and the
webhook is (re)set; on the way out it stops, its post_stop hook gives back unsent claims,
and its post_shutdown hook closes the database. Every instance sets the same webhook at
start, which is harmless, and none deletes it on the way out, since the others still
serve it.
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
from starlette.routing import BaseRoute, Mount, Route
from telegram import Update
from telegram.ext import Application

from bot.services import services_of
from bot.web.dashboard.app import DASHBOARD_PATH, dashboard_of
from bot.webhook.health import DATABASE_TIMEOUT, HealthProbe
from bot.webhook.intake import UpdateIntake
from bot.webhook.metrics import Metrics, metrics_of
from scheduler.usecases.health import outbox_depth

log = logging.getLogger("eskertu.webhook")

PtbApp = Application[Any, Any, Any, Any, Any, Any]


def create_webhook_app(application: PtbApp) -> Starlette:
    """The ASGI app serving ``application`` (built by ``build_application``) by webhook."""
    svc = services_of(application)
    settings = svc.settings
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    metrics = metrics_of(application)
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
        ticks=svc.ticks,
        metrics=metrics,
    )

    async def metrics_page(request: Request) -> Response:
        await _refresh_depth(application, metrics)
        return Response(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with _running(application):
            yield

    routes: list[BaseRoute] = [
        Route(settings.webhook_path, intake.handle, methods=["POST"]),
        Route("/healthz", health.handle, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    if settings.webapp_url:
        routes.append(Mount(DASHBOARD_PATH, app=dashboard_of(svc)))
    return Starlette(routes=routes, lifespan=lifespan)


@contextlib.asynccontextmanager
async def _running(application: PtbApp) -> AsyncIterator[None]:
    """Run the bot as run_webhook would, without PTB's own web server."""
    settings = services_of(application).settings
    assert settings.webhook_secret is not None
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            try:
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
                if application.running:
                    await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _refresh_depth(application: PtbApp, metrics: Metrics) -> None:
    try:
        depth = await asyncio.wait_for(outbox_depth(services_of(application).db), DATABASE_TIMEOUT)
    except Exception as exc:
        log.warning("metrics: could not read the outbox depth (%s)", type(exc).__name__)
        return
    metrics.outbox_depth.set(depth)
