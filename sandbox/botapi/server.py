"""``BotApiServer``: the fake Telegram Bot API on 127.0.0.1, run in a thread of its own.

The server has its own event loop in a background thread, so a benchmark's main loop only
runs the bot. State outlives ``stop()``: a stopped server can be started again (on the same
port) and still knows its users, chats, messages and queued updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sandbox.botapi.endpoint import Endpoint
from sandbox.botapi.model import UserInfo
from sandbox.botapi.state import BotState
from sandbox.botapi.waiting import Waiting

DEFAULT_TOKEN = "123456:TEST-token"
START_TIMEOUT = 5.0


class BotApiServer(Waiting):
    """A local stand-in for api.telegram.org; see the package docstring for the API."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "eskertu_test_bot",
        bot_first_name: str = "Eskertu Test",
        rate_limit: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        bot_id = int(token.split(":", 1)[0])
        bot = UserInfo(id=bot_id, first_name=bot_first_name, username=bot_username, is_bot=True)
        self.state = BotState(token=token, bot=bot, rate_limit=rate_limit, clock=clock)
        self.host = host
        self._port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lifecycle = threading.Lock()
        self._restart: threading.Timer | None = None

    # -- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port; after the first start a port of 0 becomes the one the system chose."""
        return self._port

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: calls go to ``<base_url><token>/``."""
        return f"http://{self.host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``: file downloads."""
        return f"http://{self.host}:{self._port}/file/bot"

    @property
    def bot(self) -> dict[str, Any]:
        """The bot's own User object."""
        return self.state.bot.to_api()

    @property
    def running(self) -> bool:
        return self._thread is not None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> BotApiServer:
        """Listen and serve in a background thread; returns once requests are accepted."""
        with self._lifecycle:
            if self._thread is not None:
                raise RuntimeError("server already running")
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                # Lets a restart bind the same port while old connections sit in TIME_WAIT.
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind((self.host, self._port))
                listener.setblocking(False)
            except OSError:
                listener.close()
                raise
            self._port = listener.getsockname()[1]
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            failure: list[BaseException] = []
            thread = threading.Thread(
                target=self._run,
                args=(loop, listener, ready, failure),
                name=f"botapi-{self._port}",
                daemon=True,
            )
            thread.start()
            if not ready.wait(START_TIMEOUT) or failure:
                thread.join(START_TIMEOUT)
                raise RuntimeError("fake Bot API server did not start") from (
                    failure[0] if failure else None
                )
            self._thread, self._loop = thread, loop
        return self

    def stop(self) -> None:
        """Close the listener and every connection, then end the thread. Idempotent.

        Also cancels a restart that ``outage()`` scheduled.
        """
        restart, self._restart = self._restart, None
        if restart is not None and restart is not threading.current_thread():
            restart.cancel()
            restart.join()
        self._stop_serving()

    def outage(self, seconds: float) -> None:
        """Go down now and come back on the same port after ``seconds``, without blocking."""
        self.stop()
        restart = threading.Timer(seconds, self._come_back)
        restart.daemon = True
        self._restart = restart
        restart.start()

    def _come_back(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.start()

    def _stop_serving(self) -> None:
        with self._lifecycle:
            thread, loop = self._thread, self._loop
            if thread is None or loop is None:
                return
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            self._thread = self._loop = None

    def _run(
        self,
        loop: asyncio.AbstractEventLoop,
        listener: socket.socket,
        ready: threading.Event,
        failure: list[BaseException],
    ) -> None:
        asyncio.set_event_loop(loop)
        connections: set[asyncio.Task[Any]] = set()
        server: asyncio.Server | None = None
        try:
            endpoint = Endpoint(self.state)

            async def on_connection(
                reader: asyncio.StreamReader, writer: asyncio.StreamWriter
            ) -> None:
                task = asyncio.current_task()
                if task is not None:
                    connections.add(task)
                try:
                    await endpoint.serve_connection(reader, writer)
                finally:
                    if task is not None:
                        connections.discard(task)

            server = loop.run_until_complete(asyncio.start_server(on_connection, sock=listener))

            def on_update() -> None:
                loop.call_soon_threadsafe(endpoint.wake_pollers)

            with self.state.lock:
                self.state.update_listener = on_update
        except BaseException as exc:
            failure.append(exc)
            listener.close()
            loop.close()
            ready.set()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            with self.state.lock:
                self.state.update_listener = None
            loop.run_until_complete(self._close(server, connections))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    @staticmethod
    async def _close(server: asyncio.Server, connections: set[asyncio.Task[Any]]) -> None:
        server.close()
        pending = list(connections)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        with contextlib.suppress(Exception):
            await server.wait_closed()

    def __enter__(self) -> BotApiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> BotApiServer:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
