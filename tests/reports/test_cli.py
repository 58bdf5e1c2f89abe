"""``python -m bot report`` writes the information report from the database and the plan."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.__main__ import main
from bot.cli.report import run_report
from bot.settings import Settings
from scheduler.clock import FakeClock
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from tests.reports.support import AS_OF, DONE_TEXT, PLAN_PATH, runtime, seed


def _seeded(database_url: str) -> None:
    async def go() -> None:
        db = Database(create_engine(database_url))
        try:
            await upgrade(db.engine)
            await seed(db)
        finally:
            await db.close()

    asyncio.run(go())


def test_writes_the_workbook(database_url: str, tmp_path: Path) -> None:
    _seeded(database_url)
    settings = Settings.model_validate({"database_url": database_url, "plan_path": PLAN_PATH})
    out = tmp_path / "report.xlsx"
    args = argparse.Namespace(format="xlsx", output=out, lang="kk")
    assert run_report(args, settings, clock=FakeClock(AS_OF)) == 0
    sheet = openpyxl.load_workbook(out).worksheets[1]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(p.agencies) for p in runtime().points)
    assert DONE_TEXT in {row[9] for row in rows}


def test_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "never-created.sqlite3"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("PLAN_PATH", str(PLAN_PATH))
    out = tmp_path / "report.csv"
    assert main(["report", "--format", "csv", "-o", str(out), "--lang", "ru"]) == 0
    assert "wrote" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0][1] == "Мероприятие"
    assert len(rows) - 1 == sum(len(p.agencies) for p in runtime().points)
    # Reading a database that does not exist must not create it.
    assert not database.exists()


def test_an_unwritable_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings.model_validate(
        {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}", "plan_path": PLAN_PATH}
    )
    args = argparse.Namespace(format="csv", output=tmp_path / "no" / "such" / "dir.csv", lang=None)
    assert run_report(args, settings) == 2
    assert "cannot write" in capsys.readouterr().err
