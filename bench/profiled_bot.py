"""``python -m bot`` with the timing of a status reply's parts, switched on from outside.

``bench.replies --profile`` runs the bot as ``python -m bench.profiled_bot``: the same bot,
built and run by ``bot.__main__.main``, with two phases the benchmark starts with SIGUSR1
and ends with SIGUSR2, each ending by writing a file beside ``PROFILE_PATH``:

1. spans (the closed loop, one reply at a time): the wall-clock start and end, on the
   machine's monotonic clock, of each part of a reply: python-telegram-bot's handling of
   the update, the handler, the unit of work's opening, the reads made ahead for the
   replies written together (``scheduler.usecases.replies_together``), the report's own
   statements, the commit, the rendering and the answer's sendMessage;
2. cpu (the burst): cProfile on the event loop's thread.

The parts are timed by wrapping the functions that do them, here in the benchmark only.
"""

from __future__ import annotations

import cProfile
import functools
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from telegram import Message
from telegram.ext import Application

import bot.features.replies.handlers as reply_handlers
import bot.features.replies.render as reply_render
import scheduler.usecases.replies_together as reply_together
from bot.__main__ import main
from scheduler.storage.unit_of_work import UnitOfWork

Spans = list[tuple[str, float, float]]


def timed_async(spans: Spans, on: list[bool], name: str, fn: Callable[..., Any]) -> Any:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        # A span counts when it starts in the phase, wherever it ends.
        counted, start = on[0], time.monotonic()
        try:
            return await fn(*args, **kwargs)
        finally:
            if counted:
                spans.append((name, start, time.monotonic()))

    return wrapper


def timed(spans: Spans, on: list[bool], name: str, fn: Callable[..., Any]) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # A span counts when it starts in the phase, wherever it ends.
        counted, start = on[0], time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            if counted:
                spans.append((name, start, time.monotonic()))

    return wrapper


def instrument(spans: Spans, on: list[bool]) -> None:
    """Wrap the parts of a reply; each call that starts while ``on[0]`` appends its span."""
    for owner, attr, name in (
        (Application, "process_update", "update"),
        (reply_handlers, "reply_to_bot", "handler"),
        (UnitOfWork, "__aenter__", "open"),
        (reply_together, "read_ahead", "reads"),
        (reply_together, "record_report", "statements"),
        (UnitOfWork, "__aexit__", "commit"),
        (Message, "reply_text", "send"),
    ):
        setattr(owner, attr, timed_async(spans, on, name, getattr(owner, attr)))
    reply_render.answered = timed(spans, on, "render", reply_render.answered)


def run() -> int:
    path = os.environ["PROFILE_PATH"]
    spans: Spans = []
    on = [False]
    profiler = cProfile.Profile()
    phase = ["spans"]
    instrument(spans, on)

    def start(_signum: int, _frame: FrameType | None) -> None:
        if phase[0] == "spans":
            on[0] = True
        else:
            profiler.enable()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        if phase[0] == "spans":
            on[0] = False
            _write(path + ".spans.json", json.dumps(spans).encode())
            phase[0] = "cpu"
        else:
            profiler.disable()
            profiler.dump_stats(path + ".part")
            os.replace(path + ".part", path + ".cpu")

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    return main([])


def _write(path: str, data: bytes) -> None:
    # Renamed once whole, so that the benchmark never reads half a file.
    with open(path + ".part", "wb") as out:
        out.write(data)
    os.replace(path + ".part", path)


if __name__ == "__main__":
    sys.exit(run())
