"""The dashboard's own listener in long-polling mode: uvicorn on WEBAPP_LISTEN, in the bot's loop.

With a webhook the webhook listener serves the dashboard; with long polling nothing else
listens, so this small server does, under the same ``/app/`` path, in the event loop the
bot's database runs in. It is started after the bot's start-up and stopped before its end;
the bot keeps its own signal handling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from bot.web.dashboard.app import DASHBOARD_PATH

log = logging.getLogger("eskertu.dashboard")

SERVER_KEY = "eskertu.dashboard.server"
GRACEFUL_SECONDS = 5


class _Quiet(uvicorn.Server):
    """uvicorn without signal handlers of its own: SIGINT and SIGTERM are the bot's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class DashboardServer:
    def __init__(self, dashboard: Starlette, host: str, port: int) -> None:
        routes = [Mount(DASHBOARD_PATH, app=dashboard)]
        self._config = uvicorn.Config(
            Starlette(routes=routes),
            host=host,
            port=port,
            lifespan="off",
            log_config=None,
            # A line per request would carry the address, and says nothing the bot needs.
            access_log=False,
            ws="none",
            proxy_headers=True,
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
        )
        self._server: _Quiet | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def started(self) -> bool:
        return self._server is not None and self._server.started

    async def start(self) -> None:
        """Listen; raises OSError when the address cannot be bound."""
        server = _Quiet(self._config)
        self._server = server
        self._task = asyncio.create_task(server.serve(), name="eskertu-dashboard")
        # uvicorn only sets a flag once it listens.
        while not server.started and not self._task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        if not server.started:
            # uvicorn exits (SystemExit) when it cannot bind; the bot reports it instead.
            with contextlib.suppress(SystemExit):
                await self._task
            self._server = self._task = None
            raise OSError(
                f"the dashboard could not listen on {self._config.host}:{self._config.port}"
            )
        log.info("dashboard listening on %s:%d", self._config.host, self._config.port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._server = self._task = None
