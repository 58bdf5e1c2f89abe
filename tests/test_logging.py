"""The log keeps the bot's own lines and drops the libraries' chatter, unless asked for DEBUG."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logging_setup import configure_logging

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    named = {n: logging.getLogger(n).level for n in ("eskertu", "scheduler", "apscheduler")}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in named.items():
            logging.getLogger(name).setLevel(old)


def _emit(capsys: pytest.CaptureFixture[str]) -> str:
    logging.getLogger("apscheduler.executors.default").info('Job "tick" executed successfully')
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("eskertu.jobs").info("tick planned 3 messages")
    logging.getLogger("scheduler.delivery.worker").info("sent 3")
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    return capsys.readouterr().err


def test_info_keeps_the_bots_lines_and_the_libraries_warnings(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", [])
    logged = _emit(capsys)
    assert "tick planned 3 messages" in logged and "sent 3" in logged
    assert "Run time of job was missed" in logged
    assert "executed successfully" not in logged
    assert "SQLiteImpl" not in logged


def test_debug_shows_the_libraries_too(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("DEBUG", [])
    logged = _emit(capsys)
    assert "executed successfully" in logged and "SQLiteImpl" in logged


def test_cli_commands_print_no_migration_lines(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "PLAN_PATH": str(ROOT / "data" / "plan.json"),
    }
    for command in (
        ["db", "upgrade"],
        ["report", "--format", "csv", "-o", str(tmp_path / "r.csv")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", command
