"""Serving the sandbox: uvicorn runs the web chat, whose lifespan runs the bot, until a signal.

The listening socket is bound before anything starts, so a port already taken is reported at
once, and ``--port 0`` works (the system picks one). The address is printed only once the bot
runs and the personas are in place: from then on the page answers. Ctrl-C or SIGTERM stops
the page, then the bot, and the sandbox's temporary database is removed on the way out.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TextIO

import uvicorn
from starlette.types import ASGIApp

from bot.i18n.catalog import Catalog
from sandbox.session import Sandbox
from sandbox.web.app import create_sandbox_app

log = logging.getLogger("eskertu.sandbox")

HOST = "127.0.0.1"
DEFAULT_PORT = 8090
# The page's long polls are cut short at a stop rather than waited for.
GRACEFUL_SECONDS = 2


class _SandboxServer(uvicorn.Server):
    """uvicorn that returns once a signal has stopped it, instead of raising the signal again.

    Raised again, SIGTERM would end the process before the temporary database is removed.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        stopping = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in stopping}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def address_of(listener: socket.socket) -> str:
    """The page's address on ``listener``, ending in a slash."""
    return f"http://{HOST}:{listener.getsockname()[1]}/"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1; raises OSError when the port is taken."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener


def serve(
    start: Callable[[], contextlib.AbstractAsyncContextManager[Sandbox]],
    listener: socket.socket,
    catalog: Catalog,
    default_language: str,
    out: TextIO = sys.stdout,
    dashboard: ASGIApp | None = None,
) -> int:
    """Serve the web chat on ``listener`` until SIGINT or SIGTERM; the process's exit code."""
    address = address_of(listener)

    @contextlib.asynccontextmanager
    async def announced() -> AsyncIterator[Sandbox]:
        async with start() as sandbox:
            print(f"Eskertu sandbox: {address}  (Ctrl-C stops it)", file=out, flush=True)
            yield sandbox

    config = uvicorn.Config(
        create_sandbox_app(announced, catalog, default_language, dashboard),
        lifespan="on",
        log_config=None,
        access_log=False,
        ws="none",
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    server = _SandboxServer(config)
    server.run(sockets=[listener])
    if not server.started:
        log.error("the sandbox did not start (see the errors above)")
        return 1
    return 0
