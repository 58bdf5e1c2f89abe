"""The discipline's pure parts: the periods named and typed, and the figures of crafted items."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.plan.control_points import ControlPoint
from scheduler.reports.discipline import (
    Discipline,
    Period,
    PeriodName,
    PeriodProblem,
    PeriodTrouble,
    discipline,
    month_start,
    named_period,
    overall,
    period_between,
    quarter_start,
    read_date,
)
from scheduler.reports.items import Item
from scheduler.vocabulary.control import ItemState
from tests.reports.support import runtime

PLAN_START = dt.date(2015, 12, 2)
D = dt.date


@pytest.mark.parametrize(
    ("today", "name", "start", "end"),
    [
        (D(2016, 7, 15), PeriodName.PLAN, PLAN_START, D(2016, 7, 15)),
        (D(2016, 7, 15), PeriodName.QUARTER, D(2016, 7, 1), D(2016, 7, 15)),
        (D(2016, 7, 15), PeriodName.MONTH, D(2016, 7, 1), D(2016, 7, 15)),
        (D(2016, 7, 15), PeriodName.LAST_MONTH, D(2016, 6, 1), D(2016, 6, 30)),
        (D(2016, 3, 31), PeriodName.QUARTER, D(2016, 1, 1), D(2016, 3, 31)),
        (D(2016, 4, 1), PeriodName.QUARTER, D(2016, 4, 1), D(2016, 4, 1)),
        (D(2016, 12, 31), PeriodName.QUARTER, D(2016, 10, 1), D(2016, 12, 31)),
        (D(2016, 1, 10), PeriodName.LAST_MONTH, D(2015, 12, 1), D(2015, 12, 31)),
        (D(2016, 3, 1), PeriodName.LAST_MONTH, D(2016, 2, 1), D(2016, 2, 29)),
        (D(2015, 3, 1), PeriodName.LAST_MONTH, D(2015, 2, 1), D(2015, 2, 28)),
        (D(2016, 3, 1), PeriodName.MONTH, D(2016, 3, 1), D(2016, 3, 1)),
        # Before the plan takes effect its "so far" is today alone, never a reversed span.
        (D(2015, 11, 16), PeriodName.PLAN, D(2015, 11, 16), D(2015, 11, 16)),
    ],
)
def test_named_periods(today: dt.date, name: PeriodName, start: dt.date, end: dt.date) -> None:
    assert named_period(name, today, PLAN_START) == Period(start, end)


def test_named_periods_over_two_years_of_days() -> None:
    day = D(2015, 1, 1)
    while day < D(2017, 1, 1):
        quarter = named_period(PeriodName.QUARTER, day, PLAN_START)
        month = named_period(PeriodName.MONTH, day, PLAN_START)
        last = named_period(PeriodName.LAST_MONTH, day, PLAN_START)
        assert quarter.end == month.end == day
        assert quarter.start.day == 1 and quarter.start.month in (1, 4, 7, 10)
        assert quarter.start <= month.start <= day < quarter.start + dt.timedelta(days=92)
        assert month.start == day.replace(day=1)
        # Last month: a whole calendar month, ending the day before this month starts.
        assert last.end + dt.timedelta(days=1) == month.start
        assert last.start.day == 1 and last.start.month == last.end.month
        assert (last.end + dt.timedelta(days=1)).day == 1
        assert quarter_start(day) == quarter.start and month_start(day) == month.start
        day += dt.timedelta(days=1)


def test_period_contains_its_ends_only() -> None:
    period = Period(D(2016, 1, 1), D(2016, 1, 31))
    assert D(2016, 1, 1) in period and D(2016, 1, 31) in period
    assert D(2015, 12, 31) not in period and D(2016, 2, 1) not in period
    assert "2016-01-15" not in period


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2016-01-31", D(2016, 1, 31)),
        (" 2016-02-29 ", D(2016, 2, 29)),
        ("31.01.2016", D(2016, 1, 31)),
        ("1.2.2016", D(2016, 2, 1)),
        ("2016-02-30", None),
        ("2015-02-29", None),
        ("2016-1-5", None),
        ("31/01/2016", None),
        ("quarter", None),
        ("", None),
    ],
)
def test_read_date(text: str, day: dt.date | None) -> None:
    assert read_date(text) == day


def test_period_between() -> None:
    assert period_between("2016-01-01", "30.06.2016") == Period(D(2016, 1, 1), D(2016, 6, 30))
    assert period_between("2016-05-05", "2016-05-05") == Period(D(2016, 5, 5), D(2016, 5, 5))
    assert period_between("2016-13-01", "2016-06-30") == PeriodProblem(
        PeriodTrouble.BAD_DATE, {"text": "2016-13-01"}
    )
    assert period_between("2016-01-01", "soon") == PeriodProblem(
        PeriodTrouble.BAD_DATE, {"text": "soon"}
    )
    assert period_between("2016-06-30", "2016-01-01") == PeriodProblem(
        PeriodTrouble.REVERSED, {"start": D(2016, 6, 30), "end": D(2016, 1, 1)}
    )


def _item(point: ControlPoint, agency: str, done_on: dt.date | None, due: dt.date) -> Item:
    state = ItemState.NOT_STARTED if done_on is None else ItemState.DONE
    return Item(point, agency, state, None, None, done_on, due, False, False, False)


def test_figures_of_crafted_items() -> None:
    rt = runtime()
    # Points of МСМ alone, dated 2 December 2015 and later.
    mine = [p for p in rt.points if p.agencies == ("МСМ",)]
    first, second, third, fourth = sorted(mine, key=lambda p: p.effective)[:4]
    today = D(2016, 7, 15)
    period = Period(D(2015, 12, 1), D(2016, 7, 14))
    items = [
        _item(first, "МСМ", first.effective, first.effective),  # on its day: on time
        # Returned with a new date far ahead and done by it: late against its own date.
        _item(second, "МСМ", second.effective + dt.timedelta(days=14), D(2016, 9, 1)),
        _item(third, "МСМ", None, third.effective),  # open and overdue
        # Granted an extension to 2016-08-01, so not due yet in this period.
        _item(fourth, "МСМ", None, D(2016, 8, 1)),
    ]
    extended = {(fourth.id, "МСМ"): D(2016, 8, 1)}
    (found,) = discipline(
        items,
        ["МСМ"],
        period,
        today,
        rt.calendar,
        returns={"МСМ": 2},
        extensions={"МСМ": (3, 1)},
        extended=extended,
    )
    late_days = rt.calendar.working_days_between(second.effective, items[1].done_on or today)
    open_days = rt.calendar.working_days_between(third.effective, today)
    assert found == Discipline(
        agency="МСМ",
        due=3,
        on_time=1,
        late=1,
        overdue_open=1,
        returns=2,
        asked=3,
        granted=1,
        average_late=(late_days + open_days) / 2,
    )
    assert found.overdue == 2 and found.share == 33


def test_nothing_due_has_no_share_not_zero() -> None:
    rt = runtime()
    point = rt.points[-1]
    (found,) = discipline(
        [_item(point, point.agencies[0], None, point.effective)],
        list(point.agencies),
        Period(D(2016, 1, 1), D(2016, 1, 31)),
        D(2016, 7, 15),
        rt.calendar,
        returns={},
        extensions={},
    )
    assert (found.due, found.share, found.average_late) == (0, None, None)


def test_overall_sums_and_weighs_the_average() -> None:
    a = Discipline("А", 4, 2, 1, 1, 1, 2, 1, 3.0)
    b = Discipline("Б", 2, 0, 0, 2, 0, 0, 0, 6.0)
    c = Discipline("В", 0, 0, 0, 0, 0, 1, 1, None)
    total = overall([a, b, c], "Σ")
    assert total == Discipline("Σ", 6, 2, 1, 3, 1, 3, 2, (3.0 * 2 + 6.0 * 2) / 4)
    assert total.share == 33
    assert overall([c]).share is None and overall([c]).average_late is None
    assert overall([]) == Discipline("", 0, 0, 0, 0, 0, 0, 0, None)
