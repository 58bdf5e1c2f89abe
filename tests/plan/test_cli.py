"""The ``plan import`` and ``calendar`` commands, run in-process through their handlers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.cli import calendar as calendar_cli
from bot.cli import plan as plan_cli
from bot.settings import Settings
from scheduler.plan import Plan, expand
from scheduler.workdays import WorkingCalendar

from .conftest import PLAN_JSON, SEED, SIDECAR


def _parse(argv: list[str]) -> argparse.Namespace:
    return build_parser([plan_cli.register, calendar_cli.register]).parse_args(argv)


def _settings(**overrides: object) -> Settings:
    return Settings.model_validate({"plan_path": PLAN_JSON, **overrides})


def _calendar(argv: list[str], settings: Settings | None = None) -> int:
    args = _parse(["calendar", *argv])
    code: int = args.handler(args, settings or _settings())
    return code


def test_import_writes_the_committed_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    args = _parse(["plan", "import", str(SEED), "-o", str(out), "--translations", str(SIDECAR)])
    assert args.handler(args, _settings()) == 0
    assert out.read_bytes() == PLAN_JSON.read_bytes()
    assert "18 tasks" in capsys.readouterr().out


def test_import_finds_the_sidecar_beside_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    (tmp_path / "plan.translations.json").write_bytes(SIDECAR.read_bytes())
    args = _parse(["plan", "import", str(SEED), "-o", str(out)])
    assert args.handler(args, _settings()) == 0
    assert out.read_bytes() == PLAN_JSON.read_bytes()
    assert "warning" not in capsys.readouterr().err


def test_import_error_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decree = tmp_path / "decree.txt"
    text = SEED.read_text(encoding="utf-8").replace("жыл сайын", "жыл сайын мүмкіндігінше", 1)
    decree.write_text(text, encoding="utf-8")
    args = _parse(["plan", "import", str(decree), "-o", str(tmp_path / "p.json")])
    assert args.handler(args, _settings()) == 1
    err = capsys.readouterr().err
    assert "line 72, task 8, deadline cell: cannot read «мүмкіндігінше»" in err
    assert "Traceback" not in err
    assert not (tmp_path / "p.json").exists()


def test_calendar_json_lists_every_control_point(
    committed_plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _calendar(["--from", "2015-11-01", "--to", "2016-12-31", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    expected = expand(committed_plan, WorkingCalendar())
    assert [r["id"] for r in rows] == [p.id for p in expected]
    assert {(r["id"], r["effective"]) for r in rows} == {
        (p.id, p.effective.isoformat()) for p in expected
    }
    assert {r["task"] for r in rows} == set(range(1, 19))
    by_id = {r["id"]: r for r in rows}
    t15 = by_id["T15-report-2016-04-10"]
    assert (t15["kind"], t15["nominal"], t15["effective"]) == ("report", "2016-04-10", "2016-04-08")
    assert t15["phrase"] == "2016 ж., 10 сәуірге"
    assert t15["agencies"] == ["МСМ"]
    assert t15["title"] == committed_plan.task(15).text
    effective = [r["effective"] for r in rows]
    assert effective == sorted(effective)


def test_calendar_window_agency_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--from", "2016-07-01", "--to", "2016-07-31", "--agency", "жао", "--lang", "en"]
    assert _calendar([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["task"], r["effective"]) for r in rows] == [(9, "2016-07-08"), (13, "2016-07-08")]
    assert rows[1]["title"] == "Image events to popularise the state symbols"


def test_calendar_text_format(capsys: pytest.CaptureFixture[str]) -> None:
    settings = _settings(default_language="ru")
    assert _calendar(["--from", "2016-04-01", "--to", "2016-04-30"], settings) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["дата", "по", "плану", "мероприятие", "вид", "органы", "название"]
    assert len(lines) == 1
    # The kind and the agency are in the reader's language: «информация», «МКС» for МСМ.
    assert lines[0].split()[:5] == ["2016-04-08", "2016-04-10", "T15", "информация", "МКС"]
    assert lines[0].endswith(
        "Создание в музеях постоянных экспозиций по истории государственных символов"
    )


def test_calendar_text_in_english_and_kazakh(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--from", "2016-06-30", "--to", "2016-06-30"]
    assert _calendar([*argv, "--lang", "en"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["date", "nominal", "task", "kind"]
    assert [line.split()[1:3] for line in lines[:2]] == [["T06", "deadline"], ["T09", "deadline"]]
    assert "MCS,MES,LEB" in lines[1]
    assert _calendar([*argv, "--lang", "kk"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.startswith("күні")
    assert "орындау мерзімі" in lines[0] and "МСМ,БҒМ,ЖАО" in lines[1]


@pytest.mark.parametrize(
    "typed",
    [
        "МКС",
        "мкс",
        "MKC",
        "MCS",
        "мсм",
        "vrc",
        "Министерство культуры и спорта Республики Казахстан",
    ],
)
def test_calendar_agency_in_any_spelling(typed: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--from", "2016-04-01", "--to", "2016-04-30", "--format", "json", "--agency", typed]
    assert _calendar(argv) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["task"] == 15 and row["agencies"] == ["МСМ"]


def test_calendar_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    """The reader stops after one line: no BrokenPipeError traceback, exit status 0."""
    import subprocess
    import sys

    command = (
        f"{sys.executable} -m bot calendar --from 2015-01-01 --to 2016-12-31 | head -n 1; "
        'echo "status ${PIPESTATUS[0]}"'
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PLAN_PATH": str(PLAN_JSON),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'none.sqlite3'}",
    }
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=env, cwd=PLAN_JSON.parents[1]
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stdout.splitlines()[-1] == "status 0"
    assert done.stdout.splitlines()[0].startswith("күні")


def test_calendar_forward_rule_from_settings(capsys: pytest.CaptureFixture[str]) -> None:
    settings = _settings(working_day_rule="forward")
    argv = ["--from", "2016-04-01", "--to", "2016-04-30", "--format", "json"]
    assert _calendar(argv, settings) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["effective"] == "2016-04-11"


def test_calendar_unknown_agency(capsys: pytest.CaptureFixture[str]) -> None:
    assert _calendar(["--from", "2016-01-01", "--to", "2016-12-31", "--agency", "ABC"]) == 2
    err = capsys.readouterr().err
    assert "unknown agency code 'ABC'" in err
    assert "ӘдМ, БҒМ, ЖАО, ИДМ" in err
    assert (
        _calendar(["--from", "2016-01-01", "--to", "2016-12-31", "--agency", "ABC", "--lang", "ru"])
        == 2
    )
    assert "МЮ, МОН, МИО, МИР" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["2016-02-30", "yesterday", "2016-1-5"])
def test_calendar_bad_date(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _calendar(["--from", bad, "--to", "2016-12-31"]) == 2
    assert f"--from {bad!r} is not a date" in capsys.readouterr().err


def test_calendar_without_a_database_has_no_overrides(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'absent.sqlite3'}"
    assert calendar_cli._calendar_overrides(_settings(database_url=url)) == ([], [])
    assert not (tmp_path / "absent.sqlite3").exists()


def test_calendar_follows_the_administrators_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Friday 8 July 2016 declared a day off: the 10 July report moves back to Thursday."""
    import asyncio
    import datetime as dt

    from scheduler.storage.engine import create_engine
    from scheduler.storage.migrate import upgrade
    from scheduler.storage.tables import CalendarOverrideRow
    from scheduler.storage.unit_of_work import Database

    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"

    async def seed() -> None:
        db = Database(create_engine(url))
        await upgrade(db.engine)
        async with db.unit_of_work() as uow:
            uow.session.add(CalendarOverrideRow(day=dt.date(2016, 7, 8), working=False, note=""))
        await db.close()

    asyncio.run(seed())
    argv = ["--from", "2016-07-01", "--to", "2016-07-31", "--format", "json"]
    assert _calendar(argv, _settings(database_url=url)) == 0
    points = json.loads(capsys.readouterr().out)
    july_10 = [p for p in points if p["nominal"] == "2016-07-10"]
    assert july_10 and {p["effective"] for p in july_10} == {"2016-07-07"}
