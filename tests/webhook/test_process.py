"""``python -m bot`` in webhook mode, as systemd runs it: serves, then stops cleanly on a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sandbox.botapi.server import BotApiServer
from tests.e2e.harness import PLAN_PATH
from tests.webhook.instances import PUBLIC_URL, SECRET, WEBHOOK_PATH

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_healthz(
    base: str, process: subprocess.Popen[str], within: float = 60.0
) -> dict[str, object]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited early with {process.returncode}")
        try:
            response = httpx.get(f"{base}/healthz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        body: dict[str, object] = response.json()
        return body
    raise TimeoutError("the webhook listener did not come up")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_bot_serves_its_webhook_and_stops_on_a_signal(
    botapi: BotApiServer, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PTB_TIMEDELTA": "true",
        "BOT_TOKEN": botapi.token,
        "TELEGRAM_API_URL": botapi.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "PLAN_PATH": str(PLAN_PATH),
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "LOG_LEVEL": "DEBUG",
    }
    # A file, not a pipe: at DEBUG the log would fill a pipe nobody reads yet.
    log_path = tmp_path / "bot.log"
    with log_path.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        health = _wait_healthz(base, process)
        assert health["database"] == "ok"
        assert botapi.webhook_info()["url"] == PUBLIC_URL

        update = botapi.send_text(7301, "/help")
        assert botapi.post_update_to(update, base + WEBHOOK_PATH, SECRET) == 200
        botapi.wait_for_message_sync(7301, timeout=20)

        process.send_signal(stop_signal)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = log_path.read_text(encoding="utf-8")
    # uvicorn passes the signal on once the bot has stopped, as a signalled process should.
    assert process.returncode in (0, -stop_signal, 130)
    assert "Application shutdown complete" in log, log
    assert "Traceback" not in log, log
    # Even at DEBUG, neither the webhook secret nor the token reaches the log.
    assert SECRET not in log
    assert botapi.token not in log
    # A stopping instance leaves the webhook to the others.
    assert botapi.webhook_info()["url"] == PUBLIC_URL
