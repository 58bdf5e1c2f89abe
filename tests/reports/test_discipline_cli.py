"""``python -m bot report --from --to``: the discipline's period offline, and its bad input."""

from __future__ import annotations

import asyncio
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.__main__ import main
from bot.cli import build_parser
from bot.cli import report as report_cli
from bot.cli.report import run_report
from bot.i18n.catalog import load_catalog
from bot.settings import load_settings
from bot.wording import agency_code, long_date
from scheduler.clock import FakeClock
from scheduler.plan.control_points import in_force_from
from scheduler.progress import ControlPolicy
from scheduler.reports.discipline import Period
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import current_report
from tests.reports.support import AS_OF, PLAN_PATH, runtime, seed

RU = load_catalog().for_language("ru")


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite database with the crafted statuses, named in the environment."""
    database = tmp_path / "eskertu.sqlite3"
    url = f"sqlite+aiosqlite:///{database}"

    async def go() -> None:
        db = Database(create_engine(url))
        try:
            await upgrade(db.engine)
            await seed(db)
        finally:
            await db.close()

    asyncio.run(go())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PLAN_PATH", str(PLAN_PATH))
    monkeypatch.setenv("ACCEPTANCE", "off")
    return database


def _run(argv: list[str]) -> int:
    """The command as ``python -m bot report`` parses it, its report standing at AS_OF."""
    args = build_parser([report_cli.register]).parse_args(["report", *argv])
    return run_report(args, load_settings(), clock=FakeClock(AS_OF))


def _expected(database: Path, period: Period, language: str) -> dict[str, list[str]]:
    """Each agency's row as the core counts it, through the same report the command makes,
    under the agency's code in ``language``."""

    async def go() -> dict[str, list[str]]:
        db = Database(create_engine(f"sqlite+aiosqlite:///{database}"))
        try:
            rt = runtime(ControlPolicy(acceptance=False))
            report = await current_report(db, FakeClock(AS_OF), rt, period)
        finally:
            await db.close()
        return {
            agency_code(rt.plan, f.agency, language): [
                str(f.due),
                str(f.on_time),
                str(f.late),
                str(f.overdue_open),
                "—" if f.share is None else f"{f.share}%",
            ]
            for f in report.discipline()
        }

    return asyncio.run(go())


def _table(out: str, heading: str) -> dict[str, list[str]]:
    lines = out.splitlines()
    start = lines.index(heading) + 3
    return {line.split()[0]: line.split()[1:6] for line in lines[start:] if line.strip()}


def test_text_prints_the_discipline_of_the_period(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(["--format", "text", "--lang", "ru", "--from", "2016-06-01", "--to", "2016-06-30"])
    assert code == 0
    out = capsys.readouterr().out
    june = Period(AS_OF.date().replace(month=6, day=1), AS_OF.date().replace(month=6, day=30))
    dates = f"с {long_date(june.start, 'ru')} по {long_date(june.end, 'ru')}"
    heading = f"Исполнительская дисциплина, {dates}"
    assert out.splitlines()[0].startswith("Информация о ходе исполнения плана")
    table = _table(out, heading)
    expected = _expected(seeded, june, "ru")
    total = table.pop(RU.plain("report.row.total"))
    assert table == expected
    assert table["МКС"] == ["6", "2", "0", "4", "33%"] and table["МФ"][-1] == "—"
    assert total[:4] == ["11", "4", "0", "7"]


def test_one_end_of_the_period_defaults(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--format", "text", "--lang", "en", "--from", "01.06.2016"]) == 0
    out = capsys.readouterr().out
    until_today = Period(AS_OF.date().replace(month=6, day=1), AS_OF.date())
    heading = (
        f"Executive discipline, {long_date(until_today.start, 'en')} – "
        f"{long_date(until_today.end, 'en')}"
    )
    table = _table(out, heading)
    table.pop("All")
    assert table == _expected(seeded, until_today, "en")

    assert _run(["--format", "text", "--lang", "en", "--to", "2016-01-31"]) == 0
    out = capsys.readouterr().out
    january = Period(in_force_from(runtime().plan), AS_OF.date().replace(month=1, day=31))
    start, end = long_date(january.start, "en"), long_date(january.end, "en")
    heading = f"Executive discipline, {start} – {end}"
    table = _table(out, heading)
    table.pop("All")
    assert table == _expected(seeded, january, "en")


def test_the_workbook_of_the_period(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert _run(["-o", str(out), "--lang", "kk", "--from", "2016-06-01", "--to", "2016-06-30"]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["Атқарушылық тәртіп"]
    assert long_date(AS_OF.date().replace(month=6, day=30), "kk") in sheet["A1"].value
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["МСМ"][1:6] == (6, 2, 0, 4, 33)
    assert rows["ҚМ"][5] == "—"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2016-13-01"], "--from '2016-13-01' is not a date; expected YYYY-MM-DD"),
        (["--to", "30/06/2016"], "--to '30/06/2016' is not a date; expected YYYY-MM-DD"),
        (["--from", "2016-02-30", "--to", "2016-03-01"], "--from '2016-02-30' is not a date"),
        (
            ["--from", "2016-06-30", "--to", "2016-06-01"],
            "--to 2016-06-01 is before --from 2016-06-30",
        ),
        (
            ["--from", "2016-08-01"],
            "today (2016-07-15), the default --to, is before --from 2016-08-01",
        ),
    ],
)
def test_bad_dates_are_named_and_exit_2(
    seeded: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert _run(["--format", "text", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.startswith("eskertu report: ")
    assert captured.out == ""


def test_through_the_command_line(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--format", "text", "--from", "2016-06-31", "--to", "2016-07-01"]) == 2
    assert "--from '2016-06-31' is not a date" in capsys.readouterr().err
    assert main(["report", "--format", "text", "--from", "2016-07-02", "--to", "2016-07-01"]) == 2
    assert "--to 2016-07-01 is before --from 2016-07-02" in capsys.readouterr().err
    assert main(["report", "--format", "xlsx"]) == 2
    assert "--format xlsx writes a file: give it with -o FILE" in capsys.readouterr().err
    assert main(["report", "--format", "text", "--from", "2016-06-01", "--to", "2016-06-30"]) == 0
    assert "МСМ" in capsys.readouterr().out
