"""Control points: expansion of every deadline kind, reports, ids, working-day shifts."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.plan import ControlPoint, Plan, expand, in_force_from
from scheduler.plan.control_points import expand_task
from scheduler.plan.model import Frequency, Reading, RecurringDeadline
from scheduler.workdays import ShiftRule, WorkingCalendar

D = dt.date


@pytest.fixture(scope="module")
def points(committed_plan: Plan) -> list[ControlPoint]:
    return expand(committed_plan, WorkingCalendar())


def _of(points: list[ControlPoint], task: int, kind: str) -> list[dt.date]:
    return [p.nominal for p in points if p.task == task and p.kind == kind]


def test_plan_takes_effect_with_its_first_dated_point(committed_plan: Plan) -> None:
    # The act's date is unknown; the earliest date the plan names is 2 December 2015.
    assert in_force_from(committed_plan) == D(2015, 12, 2)


def test_dated_tasks_have_one_deadline_and_report_with_it(points: list[ControlPoint]) -> None:
    assert _of(points, 1, "deadline") == [D(2015, 12, 2)]
    assert _of(points, 1, "report") == [D(2015, 12, 2)]
    assert _of(points, 6, "deadline") == [D(2016, 6, 30)]
    assert _of(points, 6, "report") == [D(2016, 7, 10)]


def test_before_date_uses_its_reading(points: list[ControlPoint], committed_plan: Plan) -> None:
    [four] = [p for p in points if p.task == 4 and p.kind == "deadline"]
    assert (four.nominal, four.reading) == (D(2016, 2, 29), Reading.EXCLUSIVE)
    assert four.phrase == "2016 ж., 1-ші наурызға дейін"
    inclusive = committed_plan.model_copy(deep=True)
    deadline = inclusive.task(4).deadline
    assert deadline.kind == "before_date"
    deadline.reading = Reading.INCLUSIVE
    [later] = [p for p in expand(inclusive, WorkingCalendar()) if p.id.startswith("T04-deadline")]
    assert (later.nominal, later.reading) == (D(2016, 3, 1), Reading.INCLUSIVE)


def test_recurring_tasks_get_one_deadline_per_period(points: list[ControlPoint]) -> None:
    assert _of(points, 8, "deadline") == [D(2015, 12, 31), D(2016, 12, 31)]
    assert _of(points, 11, "deadline") == [D(2015, 12, 31), D(2016, 6, 30), D(2016, 12, 31)]
    assert _of(points, 11, "report") == [D(2016, 7, 10), D(2016, 12, 20)]


def test_ongoing_tasks_have_only_their_reports(points: list[ControlPoint]) -> None:
    assert _of(points, 13, "deadline") == []
    assert _of(points, 13, "report") == [D(2016, 7, 10), D(2016, 12, 20)]
    assert _of(points, 18, "deadline") == []
    assert _of(points, 18, "report") == [D(2016, 12, 25)]


def test_composite_expands_its_dated_part(points: list[ControlPoint]) -> None:
    [prep] = [p for p in points if p.task == 12 and p.kind == "deadline"]
    assert (prep.nominal, prep.label, prep.phrase) == (
        D(2016, 6, 30),
        "дайындық",
        "бірінші жартыжылдық",
    )


@pytest.mark.parametrize(
    ("frequency", "count", "first", "last"),
    [
        (Frequency.QUARTERLY, 5, D(2015, 12, 31), D(2016, 12, 31)),
        (Frequency.MONTHLY, 13, D(2015, 12, 31), D(2016, 12, 31)),
        (Frequency.WEEKLY, 56, D(2015, 12, 6), D(2016, 12, 25)),
    ],
)
def test_other_frequencies_one_point_per_period(
    committed_plan: Plan, frequency: Frequency, count: int, first: dt.date, last: dt.date
) -> None:
    task = committed_plan.task(8).model_copy(
        update={"deadline": RecurringDeadline(phrase="x", frequency=frequency)}
    )
    dues = [
        p.nominal
        for p in expand_task(committed_plan, task, WorkingCalendar())
        if p.kind == "deadline"
    ]
    assert (len(dues), dues[0], dues[-1]) == (count, first, last)
    assert len(set(dues)) == count


@pytest.mark.parametrize(
    ("nominal", "effective"),
    [
        (D(2016, 4, 10), D(2016, 4, 8)),
        (D(2016, 6, 25), D(2016, 6, 24)),
        (D(2016, 7, 10), D(2016, 7, 8)),
        (D(2016, 12, 25), D(2016, 12, 23)),
    ],
)
def test_weekend_points_move_to_the_preceding_working_day(
    points: list[ControlPoint], nominal: dt.date, effective: dt.date
) -> None:
    moved = [p for p in points if p.nominal == nominal]
    assert moved and all(p.effective == effective for p in moved)


def test_forward_rule_moves_to_the_next_working_day(committed_plan: Plan) -> None:
    forward = expand(committed_plan, WorkingCalendar(rule=ShiftRule.FORWARD))
    [t15] = [p for p in forward if p.id == "T15-report-2016-04-10"]
    assert t15.effective == D(2016, 4, 11)


def test_extra_day_off_is_honoured(committed_plan: Plan) -> None:
    calendar = WorkingCalendar(extra_days_off=[D(2016, 2, 1)])
    [t10] = [p for p in expand(committed_plan, calendar) if p.id == "T10-deadline-2016-02-01"]
    assert t10.effective == D(2016, 1, 29)


def test_ids_are_unique_and_stable(committed_plan: Plan, points: list[ControlPoint]) -> None:
    ids = [p.id for p in points]
    assert len(ids) == len(set(ids))
    assert "T08-deadline-2016-12-31" in ids
    assert ids == [p.id for p in expand(committed_plan, WorkingCalendar())]


def test_points_carry_agencies_lead_and_recipient(points: list[ControlPoint]) -> None:
    [report] = [p for p in points if p.id == "T13-report-2016-07-10"]
    assert report.agencies == ("МСМ", "ЖАО")
    assert (report.lead, report.consolidator, report.recipient) == ("МСМ", "МСМ", "ПӘ")
    assert report.phrase == "2016 ж., 10 шілдеге және 20 желтоқсанға"
    effective = [p.effective for p in points]
    assert effective == sorted(effective)
