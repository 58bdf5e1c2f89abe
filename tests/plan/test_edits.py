"""Edits of one task read Kazakh, Russian and English, and say why not by a coded problem."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.plan import Plan
from scheduler.plan.edits import EditError, change_agencies, change_deadline, change_reports


@pytest.mark.parametrize(
    "value",
    ["МСМ (жинақтау), ЖАО", "МКС (свод), МИО", "MCS (consolidates), LEB", "mkc (СВОД), жао"],
)
def test_agencies_in_any_spelling(committed_plan: Plan, value: str) -> None:
    task = change_agencies(committed_plan, 13, value).task(13)
    assert [(r.code, r.lead, r.consolidator) for r in task.responsible] == [
        ("МСМ", True, True),
        ("ЖАО", False, False),
    ]


@pytest.mark.parametrize(
    ("phrase", "dates"),
    [
        ("2016 ж., 10 шілдеге және 20 желтоқсанға", [dt.date(2016, 7, 10), dt.date(2016, 12, 20)]),
        ("10 июля и 20 декабря 2016 года", [dt.date(2016, 7, 10), dt.date(2016, 12, 20)]),
        ("10 July and 20 December 2016", [dt.date(2016, 7, 10), dt.date(2016, 12, 20)]),
        ("2016-07-10, 2016-12-20", [dt.date(2016, 7, 10), dt.date(2016, 12, 20)]),
        ("10.07.2016", [dt.date(2016, 7, 10)]),
    ],
)
def test_reporting_dates_in_any_language(
    committed_plan: Plan, phrase: str, dates: list[dt.date]
) -> None:
    task = change_reports(committed_plan, 6, phrase).task(6)
    assert [r.date for r in task.form.report_dates] == dates
    assert all(r.phrase == phrase for r in task.form.report_dates)


@pytest.mark.parametrize(
    ("phrase", "kind", "due"),
    [
        ("by 15 July 2016", "date", dt.date(2016, 7, 15)),
        ("July 15, 2016", "date", dt.date(2016, 7, 15)),
        ("before 15 July 2016", "before_date", dt.date(2016, 7, 14)),
        ("до 15 июля 2016 года", "before_date", dt.date(2016, 7, 14)),
        ("2016-07-15", "date", dt.date(2016, 7, 15)),
        ("end of 2016", "period_end", dt.date(2016, 12, 31)),
        ("the second quarter of 2016", "period_end", dt.date(2016, 6, 30)),
        ("первое полугодие 2016 года", "period_end", dt.date(2016, 6, 30)),
    ],
)
def test_deadlines_in_any_language(
    committed_plan: Plan, phrase: str, kind: str, due: dt.date
) -> None:
    deadline = change_deadline(committed_plan, 6, phrase).task(6).deadline
    assert deadline.kind == kind and deadline.phrase == phrase
    assert deadline.due() == due  # type: ignore[union-attr]


def test_a_refused_edit_says_why_by_its_code(committed_plan: Plan) -> None:
    with pytest.raises(EditError) as refused:
        change_deadline(committed_plan, 6, "by 31 February 2016")
    [problem] = refused.value.problems
    assert (problem.code, dict(problem.params)) == (
        "edit.deadline",
        {"phrase": "by 31 February 2016"},
    )
    assert problem.cause is not None and problem.cause.code == "phrase.no_such_day"
    assert problem.english() == "deadline «by 31 February 2016»: there is no day 31.02.2016"
    with pytest.raises(EditError) as twice:
        change_agencies(committed_plan, 6, "МКС, МСМ")
    assert twice.value.problems[0].cause is not None
    assert twice.value.problems[0].cause.code == "decree.named_twice"
    with pytest.raises(EditError) as missing:
        change_reports(committed_plan, 99, "10 July 2016")
    assert missing.value.problems[0].code == "edit.no_task"
