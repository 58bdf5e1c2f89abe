"""The bot token never shows: not in logs at DEBUG, not in what users see, not in exports.

The bot runs twice: in-process with logging set up as ``python -m bot`` sets it up, and as
``python -m bot`` itself. Each handles updates, a Telegram 400 and a 500 forced into a
reply; in-process also a reminder wave with a refused delivery, and the exports.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import secrets
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from bot.jobs import run_tick
from bot.logging_setup import configure_logging
from sandbox.botapi.server import BotApiServer
from scheduler.clock import FakeClock
from tests.e2e.harness import PLAN_PATH, ROOT, delivered
from tests.security.support import HANDLER_ERROR, bot_thread, buttons, say

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN, MEMBER, STRANGER = 9401, 9402, 9403


def _token() -> str:
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:AA{secrets.token_urlsafe(33)[:33]}"


def _forms(token: str) -> list[str]:
    """The token, its secret part after the bot's id, and the token as a URL carries it."""
    secret = token.split(":", 1)[1]
    return [token, secret, quote(token, safe=""), quote(token)]


def _leaks(token: str, texts: list[str]) -> list[str]:
    return [form for form in _forms(token) for text in texts if form in text]


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    api = BotApiServer(token=_token())
    api.start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture
def production_logging(server: BotApiServer, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Logging as the composition root configures it, at DEBUG, still seen by ``caplog``."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    configure_logging("DEBUG", [server.token])
    # After the redacting handler, so the records it masked are the ones captured.
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, value in noisy.items():
            logging.getLogger(name).setLevel(value)


def _files(server: BotApiServer) -> list[bytes]:
    """Every file the bot sent, and every member of those that are zip archives (xlsx)."""
    out: list[bytes] = []
    for call in server.calls(method="sendDocument"):
        if not call.ok:
            continue
        stored = server.file(call.result["document"]["file_id"])
        assert stored is not None
        out.append(stored.content)
        if stored.content.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(stored.content)) as archive:
                out += [archive.read(name) for name in archive.namelist()]
    return out


def _drive(server: BotApiServer) -> None:
    """Updates, and a 400 and a 500 forced into the replies to a stranger."""
    for user in (ADMIN, STRANGER):
        server.user(user, f"User {user}")
        server.private_chat(user)
    for text in ("/start", "/help", "/task 6", "/tasks", "/nonsense", "free text"):
        say(server, STRANGER, text)
    server.fail_with(400, "Bad Request: refused by the test", method="sendMessage", times=1)
    assert "ішкі қате" in say(server, STRANGER, "/help")["text"]
    server.fail_server_error(500, method="sendMessage", times=1)
    assert "ішкі қате" in say(server, STRANGER, "/help")["text"]


def test_in_process_logs_replies_and_exports_never_carry_the_token(
    server: BotApiServer,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    production_logging: None,
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    with bot_thread(server, database_url, clock=clock, admin_ids=(ADMIN,)) as runner:
        _drive(server)
        # A member, a reminder wave, and a delivery Telegram refuses.
        reply = say(server, ADMIN, "/invite МСМ officer")
        link = reply["text"].split("?start=", 1)[1].split()[0]
        server.user(MEMBER, "Member")
        mark = server.mark()
        server.send_command(MEMBER, f"/start {link}")
        server.wait_for_message_sync(MEMBER, lambda m: "lang:kk" in buttons(m), since=mark)
        menu = say(server, MEMBER, "/subscribe")
        mark = server.mark()
        server.press_button(MEMBER, menu, "sub:a:МСМ")
        server.wait_for_call_sync("editMessageText", since=mark)
        server.fail_with(400, "Bad Request: chat not found", method="sendMessage", chat_id=MEMBER)
        clock.set(dt.datetime(2016, 6, 30, 9, 0, 30, tzinfo=ALMATY))
        assert runner.run(run_tick(runner.bot.svc)).planned
        runner.run(delivered(runner.bot))
        server.faults.clear()
        # The exports.
        for command in ("/report xlsx", "/report csv ru", "/ics"):
            mark = server.mark()
            server.send_text(ADMIN, command)
            server.wait_for_call_sync("sendDocument", since=mark)
        assert "шақыру: МСМ" in say(server, ADMIN, "/audit 25")["text"]

    records = caplog.records
    assert any(r.levelno == logging.DEBUG for r in records)
    assert any(r.getMessage() == HANDLER_ERROR and r.exc_info for r in records)
    assert not [r for r in records if r.name.startswith(("httpx", "httpcore"))]
    texts = [caplog.text, *(r.getMessage() for r in records), *(r.exc_text or "" for r in records)]
    captured = capsys.readouterr()
    texts += [captured.err, captured.out]
    texts += [str(call.params) + str(call.response) for call in server.calls(method="sendMessage")]
    texts += [content.decode("utf-8", "replace") for content in _files(server)]
    assert len(_files(server)) >= 3
    assert _leaks(server.token, texts) == []


def test_python_m_bot_at_debug_never_logs_the_token(
    server: BotApiServer, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "DATABASE_URL": database_url,
        "PLAN_PATH": str(PLAN_PATH),
        "ADMIN_IDS": str(ADMIN),
        "LOG_LEVEL": "DEBUG",
    }
    # Files, not pipes: at DEBUG the bot writes more than a pipe holds before it is read.
    out_path, err_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        try:
            server.wait_for_call_sync("getUpdates", timeout=60)
            _drive(server)
            mark = server.mark()
            server.send_text(ADMIN, "/report csv")
            server.wait_for_call_sync("sendDocument", since=mark)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    logged = err_path.read_text(encoding="utf-8", errors="replace")
    printed = out_path.read_text(encoding="utf-8", errors="replace")
    assert " DEBUG " in logged and HANDLER_ERROR in logged
    assert "HTTP Request:" not in logged
    files = [content.decode("utf-8", "replace") for content in _files(server)]
    assert _leaks(server.token, [logged, printed, *files]) == []
