"""Running webhook mode: uvicorn serves the ASGI app on WEBHOOK_LISTEN until SIGINT or SIGTERM.

uvicorn catches the signals, stops taking requests, lets those in flight finish, and then
runs the app's lifespan shutdown, which stops the bot cleanly.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from telegram.ext import Application

from bot.logging_setup import RedactingFilter
from bot.services import services_of
from bot.webhook.app import create_webhook_app

log = logging.getLogger("eskertu.webhook")

# Seconds uvicorn waits for requests in flight at shutdown; updates are answered at once.
GRACEFUL_SECONDS = 10


def server_config(asgi: ASGIApp, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        asgi,
        host=host,
        port=port,
        lifespan="on",
        # The process's logging is configured already; uvicorn's own would replace it.
        log_config=None,
        # One line per update says nothing the metrics do not.
        access_log=False,
        ws="none",
        proxy_headers=True,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )


def mask_in_logs(secret: str) -> None:
    """Mask ``secret`` in everything the process logs.

    At DEBUG, PTB logs the parameters of each Bot API call, setWebhook's secret_token among
    them.
    """
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter([secret]))


def run_webhook_server(
    application: Application[Any, Any, Any, Any, Any, Any],
    sockets: list[socket.socket] | None = None,
) -> int:
    """Serve ``application`` by webhook until a signal stops it; the process's exit code."""
    settings = services_of(application).settings
    if settings.webhook_secret is not None:
        mask_in_logs(settings.webhook_secret.get_secret_value())
    host, port = settings.listen_address
    server = uvicorn.Server(server_config(create_webhook_app(application), host, port))
    server.run(sockets=sockets)
    if not server.started:
        log.error("the webhook server did not start (see the errors above)")
        return 1
    return 0
