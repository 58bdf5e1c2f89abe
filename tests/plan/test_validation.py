"""The plan validator: every kind of bad plan is reported by its place, all at once."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import plan as plan_cli
from bot.settings import Settings
from scheduler.plan import PlanError, load_plan, parse_plan, plan_schema_json, validate

from .conftest import PLAN_JSON, SCHEMA_JSON


def _places(data: object) -> dict[str, str]:
    return {p.path: p.message for p in validate(data)}


def test_the_committed_plan_is_valid(plan_data: dict[str, Any]) -> None:
    assert validate(plan_data) == []
    assert len(load_plan(PLAN_JSON).tasks) == 18


def test_the_committed_schema_is_the_models_export() -> None:
    assert SCHEMA_JSON.read_text(encoding="utf-8") == plan_schema_json()


def test_malformed_json_names_line_and_column() -> None:
    raw = PLAN_JSON.read_text(encoding="utf-8").replace('"period": {', '"period" {', 1)
    line = raw[: raw.index('"period" {')].count("\n") + 1
    with pytest.raises(PlanError) as info:
        parse_plan(raw)
    [problem] = info.value.problems
    assert problem.path == f"{line}:12"
    assert problem.message.startswith("malformed JSON")


def test_missing_field(plan_data: dict[str, Any]) -> None:
    del plan_data["tasks"][3]["deadline"]["boundary"]
    del plan_data["tasks"][5]["text"]
    places = _places(plan_data)
    assert places["tasks[3].deadline.boundary"] == "missing field"
    assert places["tasks[5].text"] == "missing field"


def test_unknown_agency_code_in_responsible_and_control(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][0]["responsible"][2]["code"] = "XYZ"
    plan_data["tasks"][1]["control"][1] = "QQQ"
    places = _places(plan_data)
    assert places["tasks[0].responsible[2].code"].startswith("unknown agency code XYZ")
    assert places["tasks[1].control[1]"].startswith("unknown agency code QQQ")


def test_duplicate_task_number(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][4]["number"] = 2
    assert _places(plan_data)["tasks[4].number"] == "duplicate task number 2 (as tasks[1])"


def test_impossible_date(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][0]["deadline"]["date"] = "2016-02-30"
    message = _places(plan_data)["tasks[0].deadline.date"]
    assert "day value is outside expected range" in message
    assert "2016-02-30" in message


def test_reporting_date_before_the_plan_starts(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][5]["form"]["report_dates"][0]["date"] = "2014-07-10"
    message = _places(plan_data)["tasks[5].form.report_dates[0].date"]
    assert message == "the reporting date 2014-07-10 is before the plan starts (2015-01-01)"


def test_deadline_after_the_plan_ends(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][0]["deadline"]["date"] = "2017-01-10"
    message = _places(plan_data)["tasks[0].deadline.date"]
    assert message == "the deadline 2017-01-10 is after the plan ends (2016-12-31)"


def test_unknown_deadline_kind(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][2]["deadline"]["kind"] = "someday"
    assert "someday" in _places(plan_data)["tasks[2].deadline"]


def test_every_problem_is_listed_at_once(plan_data: dict[str, Any]) -> None:
    plan_data["tasks"][0]["deadline"]["date"] = "2016-02-30"
    plan_data["tasks"][1]["control"][0] = "XYZ"
    plan_data["tasks"][2]["number"] = 1
    del plan_data["tasks"][3]["funding"]
    assert sorted(_places(plan_data)) == [
        "tasks[0].deadline.date",
        "tasks[1].control[0]",
        "tasks[2].number",
        "tasks[3].funding",
    ]


def _run_validate(path: Path) -> int:
    return plan_cli.run_validate(argparse.Namespace(path=path), Settings())


def test_cli_validate_good_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_validate(PLAN_JSON) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("valid — 18 tasks, 3 sections, 13 agencies, 2015-01-01..2016-12-31")


def test_cli_validate_bad_plan_lists_problems(
    plan_data: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_data["tasks"][3]["deadline"]["boundary"] = "2016-02-30"
    plan_data["tasks"][7]["responsible"][0]["code"] = "NOPE"
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(plan_data, ensure_ascii=False), encoding="utf-8")
    assert _run_validate(bad) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("tasks[3].deadline.boundary: ")
    assert lines[1].startswith("tasks[7].responsible[0].code: unknown agency code NOPE")
    assert lines[2] == f"{bad}: invalid — 2 problems"


def test_cli_validate_malformed_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "title": \n}\n', encoding="utf-8")
    assert _run_validate(bad) == 1
    assert capsys.readouterr().err.startswith("3:1: malformed JSON")
    assert _run_validate(tmp_path / "absent.json") == 1
    assert "cannot read" in capsys.readouterr().err
