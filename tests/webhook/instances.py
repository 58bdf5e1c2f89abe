"""Bot instances in webhook mode, each served by its own uvicorn on 127.0.0.1, in this process.

In-process servers (rather than subprocesses) share one fake clock with the test, so a
reminder wave can be planned for a chosen day and a lease made to run out at once, and
their databases and workers can be inspected; the requests still go over real HTTP
through uvicorn, the server production uses, with the lifespan it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from telegram.ext import Application

from bot.__main__ import build_application
from bot.services import Services, services_of
from bot.webhook.app import create_webhook_app
from bot.webhook.metrics import Metrics, metrics_of
from bot.webhook.server import server_config
from sandbox.botapi.server import BotApiServer
from scheduler.clock import Clock
from scheduler.delivery.ratelimit import Limits, RateLimiter
from scheduler.plan import load_plan
from tests.e2e.harness import make_settings

# What Telegram would call; nothing connects to it, the test posts to each instance itself.
PUBLIC_URL = "https://eskertu.invalid/tg/webhook"
WEBHOOK_PATH = "/tg/webhook"
SECRET = "s3cret_of-the-webhook_0123456789"


class EmbeddedServer(uvicorn.Server):
    """uvicorn without its signal handlers, so that several can run in one test process."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Instance:
    app: Application  # type: ignore[type-arg]
    server: EmbeddedServer
    task: asyncio.Task[None]
    sock: socket.socket
    port: int
    limiter: RateLimiter

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook(self) -> str:
        return self.base + WEBHOOK_PATH

    @property
    def svc(self) -> Services:
        return services_of(self.app)

    @property
    def metrics(self) -> Metrics:
        return metrics_of(self.app)

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.get(self.base + path)


async def start_instance(
    botapi: BotApiServer,
    database_url: str,
    *,
    clock: Clock,
    limiter: RateLimiter | None = None,
    **settings: Any,
) -> Instance:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    values: dict[str, Any] = {
        "webhook_url": PUBLIC_URL,
        "webhook_secret": SECRET,
        "webhook_listen": f"127.0.0.1:{port}",
        **settings,
    }
    config = make_settings(botapi, database_url, **values)
    # Per-chat pacing would only slow the stories down; the limits have tests of their own.
    limiter = limiter or RateLimiter(Limits(chat_interval=0.0, group=10_000))
    app = build_application(config, plan=load_plan(config.plan_path), clock=clock, limiter=limiter)
    server = EmbeddedServer(server_config(create_webhook_app(app), "127.0.0.1", port))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            sock.close()
            await task
            raise RuntimeError("the instance did not start")
        await asyncio.sleep(0.01)
    return Instance(app, server, task, sock, port, limiter)


async def stop_instance(instance: Instance) -> None:
    """Stop as SIGTERM would: uvicorn ends, then the lifespan stops the bot."""
    instance.server.should_exit = True
    try:
        await instance.task
    finally:
        instance.sock.close()


@contextlib.asynccontextmanager
async def running_instances(
    botapi: BotApiServer, database_url: str, count: int, *, clock: Clock, **settings: Any
) -> AsyncIterator[list[Instance]]:
    started: list[Instance] = []
    try:
        # One after the other: each migrates the schema (under a lock) before it serves.
        for _ in range(count):
            started.append(await start_instance(botapi, database_url, clock=clock, **settings))
        yield started
    finally:
        for instance in started:
            await stop_instance(instance)


async def crash_delivery(instance: Instance) -> None:
    """Leave behind what a dead process would: the worker is gone, its claims untouched.

    The worker task is cancelled rather than stopped, so it gives nothing back, and the
    instance stops ticking. The background is then emptied, so that the test's final
    shutdown of this instance does not try to stop a worker that is already gone.
    """
    background = instance.svc.background
    task = background._task
    assert task is not None
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    background._task = None
    assert instance.app.job_queue is not None
    instance.app.job_queue.scheduler.pause()


async def wait_until(predicate: Any, *, within: float = 10.0, what: str = "condition") -> None:
    """Poll an async predicate until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"{what} did not happen within {within} s")
        await asyncio.sleep(0.02)
