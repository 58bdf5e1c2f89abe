"""Driving the system's Chromium (Debian's /usr/bin/chromium) with Playwright, and the demo.

Playwright never downloads a browser here: it launches the one Debian installs, headless,
with the flags that keep it off every network but 127.0.0.1, and a fresh profile each time.
``running_demo`` starts ``python -m bot demo`` as ``make demo`` does and waits for its address.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ADDRESS = re.compile(r"Eskertu sandbox: (http://127\.0\.0\.1:\d+/)")
START_TIMEOUT = 90.0


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 860, scale: float = 1) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile, closed afterwards; ``scale`` is the
    device's pixel ratio."""
    with (
        tempfile.TemporaryDirectory(prefix="eskertu-chromium-") as profile,
        sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=list(FLAGS),
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            locale="en-GB",
        )
        try:
            yield context
        finally:
            context.close()


@contextlib.contextmanager
def running_demo(*extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``python -m bot demo --port 0``: yields the page's address, stops it with SIGINT."""
    with demo_process(*extra, env=env) as (address, _):
        yield address


@contextlib.contextmanager
def demo_process(
    *extra: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The demo as a process, with its address; stopped with SIGINT unless already ended."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PLAN_PATH": str(ROOT / "data" / "plan.json"),
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--port", "0", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    # Keeps reading what it prints once it has started, so that a full pipe never blocks it.
    drain = threading.Thread(target=process.stdout.read, daemon=True)
    try:
        address = _address(process, [])
        drain.start()
        yield address, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if drain.is_alive():
            drain.join(timeout=5)
        process.stdout.close()


def _address(process: subprocess.Popen[str], seen: list[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        found = ADDRESS.search(line)
        if found:
            return found.group(1)
    raise RuntimeError("the demo did not start:\n" + "".join(seen[-40:]))
