"""The sandbox served in this process, on a thread of its own, for browser tests that also
read the bot's database.

The page and the dashboard run in the thread's event loop, as ``python -m bot demo`` runs
them; the test drives Chromium from its own thread, and runs coroutines (a use case, a jump
of the clock, a message to the bot) in the sandbox's loop with :meth:`InProcess.run`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import uvicorn

from bot.__main__ import build_application
from bot.i18n.catalog import Catalog, load_catalog
from bot.services import services_of
from bot.settings import Settings
from bot.web.dashboard.app import dashboard_of
from sandbox.botapi import BotApiServer
from sandbox.personas import DEFAULT_CAST
from sandbox.serve import address_of, bind
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
from sandbox.web.app import create_sandbox_app
from scheduler.clock import RunningClock
from scheduler.delivery.ratelimit import RateLimiter
from scheduler.plan import load_plan
from tests.e2e.harness import PLAN_PATH

T = TypeVar("T")
START_SECONDS = 90.0


class _Embedded(uvicorn.Server):
    """uvicorn without its signal handlers: the test process keeps its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class InProcess:
    address: str
    sandbox: Sandbox
    catalog: Catalog
    loop: asyncio.AbstractEventLoop

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
        """Run ``coroutine`` in the sandbox's event loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@contextlib.contextmanager
def sandbox_in_thread(folder: Path) -> Iterator[InProcess]:
    """The sandbox's page (with the dashboard under /app/) on an ephemeral port."""
    catalog = load_catalog()
    listener = bind(0)
    address = address_of(listener)
    ready: concurrent.futures.Future[InProcess] = concurrent.futures.Future()
    stop = threading.Event()

    async def main() -> None:
        settings = Settings.model_validate({"plan_path": PLAN_PATH})
        clock = RunningClock(DEFAULT_START.replace(tzinfo=settings.tz))
        server = BotApiServer(
            sandbox_token(),
            bot_username=BOT_USERNAME,
            bot_first_name=BOT_NAME,
            clock=lambda: clock.now().timestamp(),
        )
        server.start()
        try:
            config = sandbox_settings(
                settings, server, folder / "sandbox.sqlite3", DEFAULT_CAST, f"{address}app/"
            )
            app = build_application(
                config, plan=load_plan(PLAN_PATH), clock=clock, limiter=RateLimiter(SANDBOX_LIMITS)
            )
            found: list[Sandbox] = []

            @contextlib.asynccontextmanager
            async def start() -> AsyncIterator[Sandbox]:
                async with running_sandbox(app, server, clock, DEFAULT_CAST) as sandbox:
                    found.append(sandbox)
                    yield sandbox

            web = create_sandbox_app(start, catalog, "kk", dashboard_of(services_of(app)))
            uv = _Embedded(uvicorn.Config(web, log_config=None, lifespan="on", ws="none"))
            task = asyncio.create_task(uv.serve(sockets=[listener]))
            while not uv.started:
                if task.done():
                    await task
                    raise RuntimeError("the sandbox did not start")
                await asyncio.sleep(0.05)
            ready.set_result(InProcess(address, found[0], catalog, asyncio.get_running_loop()))
            while not stop.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            uv.should_exit = True
            await task
        finally:
            server.stop()

    def thread_main() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)

    thread = threading.Thread(target=thread_main, name="sandbox", daemon=True)
    thread.start()
    try:
        yield ready.result(START_SECONDS)
    finally:
        stop.set()
        thread.join(timeout=60)
        listener.close()
