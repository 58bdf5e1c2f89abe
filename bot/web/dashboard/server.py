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
import socket
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
        self._socket: socket.socket | None = None

    @property
    def started(self) -> bool:
        return self._server is not None and self._server.started

    async def start(self) -> None:
        """Listen; raises OSError when the address cannot be bound.

        The socket is bound here: uvicorn would end the process on a failed bind.
        """
        host, port = self._config.host, self._config.port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((host, port))
            listener.listen(128)
        except OSError:
            listener.close()
            raise
        server = _Quiet(self._config)
        self._server, self._socket = server, listener
        self._task = asyncio.create_task(server.serve([listener]), name="eskertu-dashboard")
        # uvicorn only sets a flag once it serves.
        while not server.started and not self._task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        log.info("dashboard listening on %s:%d", host, port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if self._socket is not None:
            self._socket.close()
        self._server = self._task = self._socket = None
