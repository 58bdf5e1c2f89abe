"""Tests for the working-day calendar of Kazakhstan (scheduler.workdays)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler import workdays
from scheduler.workdays import ShiftRule, WorkingCalendar

BACKWARD = WorkingCalendar()
FORWARD = WorkingCalendar(rule=ShiftRule.FORWARD)

# Years the holidays package covers with real data, around the plan's 2015-2016.
dates = st.dates(min_value=date(2012, 1, 1), max_value=date(2027, 12, 31))
spans = st.integers(min_value=-80, max_value=80)
calendars = st.sampled_from([BACKWARD, FORWARD])


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- weekends and the plan's control dates ---------------------------------------------------


def test_an_ordinary_week_is_worked_monday_to_friday() -> None:
    week = days(date(2016, 4, 4), date(2016, 4, 10))
    assert [d.strftime("%a") for d in week] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert [BACKWARD.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


@pytest.mark.parametrize(
    ("nominal", "friday", "monday"),
    [
        (date(2016, 4, 10), date(2016, 4, 8), date(2016, 4, 11)),
        (date(2016, 6, 25), date(2016, 6, 24), date(2016, 6, 27)),
        (date(2016, 7, 10), date(2016, 7, 8), date(2016, 7, 11)),
        (date(2016, 12, 25), date(2016, 12, 23), date(2016, 12, 26)),
    ],
)
def test_plan_control_dates_on_weekends_move_to_friday_or_monday(
    nominal: date, friday: date, monday: date
) -> None:
    assert nominal.weekday() in (5, 6)
    assert not BACKWARD.is_working_day(nominal)
    assert BACKWARD.effective(nominal) == friday
    assert friday.weekday() == 4
    assert FORWARD.effective(nominal) == monday
    assert monday.weekday() == 0


def test_a_working_day_stays_under_both_rules() -> None:
    assert BACKWARD.effective(date(2016, 7, 8)) == date(2016, 7, 8)
    assert FORWARD.effective(date(2016, 7, 8)) == date(2016, 7, 8)


def test_independence_day_2016_and_its_observed_monday() -> None:
    # 16 December 2016 was a Friday and 17 December a Saturday, so Monday 19 was given off.
    assert not BACKWARD.is_working_day(date(2016, 12, 16))
    assert BACKWARD.holiday_name(date(2016, 12, 16)) == "Тәуелсіздік күні"
    assert BACKWARD.holiday_name(date(2016, 12, 17)) == "Тәуелсіздік күні"
    observed = BACKWARD.holiday_name(date(2016, 12, 19))
    assert observed is not None
    assert observed.startswith("Тәуелсіздік күні")
    assert "қайта белгіленген демалыс" in observed
    assert not BACKWARD.is_working_day(date(2016, 12, 19))
    assert BACKWARD.is_working_day(date(2016, 12, 20))
    # A control date on Saturday 17 or Sunday 18 December skips the whole run of days off.
    assert BACKWARD.effective(date(2016, 12, 18)) == date(2016, 12, 15)
    assert BACKWARD.effective(date(2016, 12, 17)) == date(2016, 12, 15)
    assert FORWARD.effective(date(2016, 12, 17)) == date(2016, 12, 20)


def test_2016_transfer_saturday_5_march_worked_monday_7_march_off() -> None:
    assert date(2016, 3, 5).weekday() == 5
    assert BACKWARD.is_working_day(date(2016, 3, 5))
    assert BACKWARD.holiday_name(date(2016, 3, 5)) is None
    assert date(2016, 3, 7).weekday() == 0
    assert not BACKWARD.is_working_day(date(2016, 3, 7))
    assert BACKWARD.holiday_name(date(2016, 3, 7)) == "Демалыс күні (05.03.2016 бастап ауыстырылды)"
    # Sunday 6 March falls back to the working Saturday; forward it skips 7 and 8 March.
    assert BACKWARD.effective(date(2016, 3, 6)) == date(2016, 3, 5)
    assert FORWARD.effective(date(2016, 3, 6)) == date(2016, 3, 9)


def test_transfer_decreed_for_next_year_marks_this_years_saturday() -> None:
    # The day off of Friday 3 January 2014 was worked off on Saturday 28 December 2013.
    assert date(2013, 12, 28).weekday() == 5
    assert BACKWARD.is_working_day(date(2013, 12, 28))
    assert not BACKWARD.is_working_day(date(2014, 1, 3))


# --- public holidays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2016, 1, 1), "Жаңа жыл"),
        (date(2015, 1, 2), "Жаңа жыл"),
        (date(2016, 1, 7), "Православиелік Рождество"),
        (date(2016, 3, 8), "Халықаралық әйелдер күні"),
        (date(2016, 3, 21), "Наурыз мейрамы"),
        (date(2016, 3, 22), "Наурыз мейрамы"),
        (date(2016, 3, 23), "Наурыз мейрамы"),
        (date(2015, 5, 1), "Қазақстан халқының бірлігі мерекесі"),
        (date(2015, 5, 7), "Отан Қорғаушы күні"),
        (date(2016, 5, 9), "Жеңіс күні"),
        (date(2016, 7, 6), "Астана күні"),
        (date(2016, 8, 30), "Қазақстан Республикасының Конституциясы күні"),
        (date(2016, 12, 1), "Қазақстан Республикасының Тұңғыш Президенті күні"),
        (date(2021, 12, 1), "Қазақстан Республикасының Тұңғыш Президенті күні"),
        (date(2016, 12, 16), "Тәуелсіздік күні"),
        (date(2015, 12, 17), "Тәуелсіздік күні"),
    ],
)
def test_public_holiday_on_a_weekday_is_a_day_off_with_its_kazakh_name(
    day: date, name: str
) -> None:
    # Each date is chosen in a year when it fell Monday to Friday, so only the holiday
    # explains the day off.
    assert day.weekday() < 5
    assert not BACKWARD.is_working_day(day)
    assert BACKWARD.holiday_name(day) == name


@pytest.mark.parametrize(
    "day",
    [
        # First President Day was a holiday from 2012 to 2021 only.
        date(2022, 12, 1),
        # Since 2022 Independence Day is 16 December alone.
        date(2024, 12, 17),
    ],
)
def test_abolished_holidays_are_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert BACKWARD.is_working_day(day)
    assert BACKWARD.holiday_name(day) is None


def test_holiday_on_a_weekend_gives_the_next_working_day_off() -> None:
    # 1 May 2016 was a Sunday; 7 May a Saturday whose day off lands after Victory Day.
    assert not BACKWARD.is_working_day(date(2016, 5, 2))
    assert not BACKWARD.is_working_day(date(2016, 5, 10))
    assert BACKWARD.is_working_day(date(2016, 5, 11))
    assert FORWARD.effective(date(2016, 5, 7)) == date(2016, 5, 11)
    assert BACKWARD.effective(date(2016, 5, 10)) == date(2016, 5, 6)


def test_an_ordinary_working_day_has_no_holiday_name() -> None:
    assert BACKWARD.holiday_name(date(2016, 4, 8)) is None


# --- the overrides table ---------------------------------------------------------------------


def test_extra_working_day_turns_a_weekend_into_a_working_day() -> None:
    calendar = WorkingCalendar(extra_working_days=[date(2016, 4, 9)])
    assert calendar.is_working_day(date(2016, 4, 9))
    assert calendar.effective(date(2016, 4, 10)) == date(2016, 4, 9)
    # The shared package data is untouched for calendars without the override.
    assert not BACKWARD.is_working_day(date(2016, 4, 9))


def test_extra_working_day_wins_over_a_public_holiday_but_keeps_its_name() -> None:
    calendar = WorkingCalendar(extra_working_days=[date(2016, 7, 6)])
    assert calendar.is_working_day(date(2016, 7, 6))
    assert calendar.holiday_name(date(2016, 7, 6)) == "Астана күні"


def test_extra_day_off_on_a_weekday_moves_deadlines_past_it() -> None:
    calendar = WorkingCalendar(extra_days_off=[date(2016, 4, 8)])
    assert not calendar.is_working_day(date(2016, 4, 8))
    assert calendar.effective(date(2016, 4, 10)) == date(2016, 4, 7)
    assert calendar.add_working_days(date(2016, 4, 7), 1) == date(2016, 4, 11)


def test_extra_day_off_wins_over_a_decreed_working_saturday() -> None:
    calendar = WorkingCalendar(extra_days_off=[date(2016, 3, 5)])
    assert not calendar.is_working_day(date(2016, 3, 5))
    assert calendar.effective(date(2016, 3, 6)) == date(2016, 3, 4)


def test_extra_day_off_wins_over_an_extra_working_day_on_the_same_date() -> None:
    calendar = WorkingCalendar(
        extra_working_days=[date(2016, 4, 9), date(2016, 4, 10)],
        extra_days_off=[date(2016, 4, 9)],
    )
    assert not calendar.is_working_day(date(2016, 4, 9))
    assert calendar.is_working_day(date(2016, 4, 10))


def test_overrides_accept_any_iterable_and_a_plain_string_rule() -> None:
    calendar = WorkingCalendar(
        rule=ShiftRule("forward"), extra_days_off=(d for d in [date(2016, 4, 11)])
    )
    assert calendar.effective(date(2016, 4, 10)) == date(2016, 4, 12)
    # Settings store the rule as its plain string value.
    assert str(ShiftRule.BACKWARD) == "backward"


def test_datetimes_are_refused_where_dates_are_expected() -> None:
    moment = datetime(2016, 4, 10, 12, 0)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        BACKWARD.is_working_day(moment)
    with pytest.raises(TypeError, match="extra day off"):
        WorkingCalendar(extra_days_off=[moment])


def test_a_year_of_days_off_raises_instead_of_looping() -> None:
    calendar = WorkingCalendar(extra_days_off=days(date(2015, 1, 1), date(2017, 12, 31)))
    with pytest.raises(ValueError, match="no working day within 366 days before 2016-06-01"):
        calendar.effective(date(2016, 6, 1))
    forward = WorkingCalendar(
        rule=ShiftRule.FORWARD, extra_days_off=days(date(2015, 1, 1), date(2017, 12, 31))
    )
    with pytest.raises(ValueError, match="after 2016-06-01"):
        forward.effective(date(2016, 6, 1))
    with pytest.raises(ValueError, match="no working day"):
        calendar.add_working_days(date(2016, 6, 1), 3)


def test_a_search_that_runs_off_the_end_of_dates_raises_value_error() -> None:
    calendar = WorkingCalendar(extra_days_off=days(date(9999, 12, 20), date(9999, 12, 31)))
    with pytest.raises(ValueError, match="no working day"):
        calendar.add_working_days(date(9999, 12, 20), 1)


# --- counting working days -------------------------------------------------------------------


def test_add_working_days_over_a_transfer_and_a_holiday() -> None:
    friday = date(2016, 3, 4)
    assert BACKWARD.add_working_days(friday, 1) == date(2016, 3, 5)
    assert BACKWARD.add_working_days(friday, 2) == date(2016, 3, 9)
    assert BACKWARD.add_working_days(date(2016, 3, 9), -1) == date(2016, 3, 5)
    assert BACKWARD.add_working_days(date(2016, 3, 9), -2) == date(2016, 3, 4)
    # Nauryz: Friday 18 March 2016, then Monday to Wednesday off.
    assert BACKWARD.add_working_days(date(2016, 3, 18), 1) == date(2016, 3, 24)
    assert BACKWARD.add_working_days(date(2016, 3, 24), -1) == date(2016, 3, 18)


def test_add_working_days_starts_from_a_day_off_without_counting_it() -> None:
    sunday = date(2016, 4, 10)
    assert BACKWARD.add_working_days(sunday, 1) == date(2016, 4, 11)
    assert BACKWARD.add_working_days(sunday, -1) == date(2016, 4, 8)


def test_add_zero_working_days_is_the_effective_date() -> None:
    sunday = date(2016, 4, 10)
    assert BACKWARD.add_working_days(sunday, 0) == date(2016, 4, 8)
    assert FORWARD.add_working_days(sunday, 0) == date(2016, 4, 11)
    assert BACKWARD.add_working_days(date(2016, 4, 6), 0) == date(2016, 4, 6)


def test_working_days_between_counts_the_half_open_span() -> None:
    assert BACKWARD.working_days_between(date(2016, 3, 4), date(2016, 3, 9)) == 2
    assert BACKWARD.working_days_between(date(2016, 3, 9), date(2016, 3, 4)) == -2
    assert BACKWARD.working_days_between(date(2016, 3, 9), date(2016, 3, 9)) == 0
    # From a Sunday to the next Monday: one working day ahead; back again: one behind.
    assert BACKWARD.working_days_between(date(2016, 4, 10), date(2016, 4, 11)) == 1
    assert BACKWARD.working_days_between(date(2016, 4, 11), date(2016, 4, 10)) == -1


def test_working_days_between_across_new_year() -> None:
    # 31 Dec 2016 Sat, 1 Jan 2017 Sun and 2 Jan Mon off, 3 Jan the observed day: 4 Jan worked.
    assert BACKWARD.working_days_between(date(2016, 12, 30), date(2017, 1, 4)) == 1
    assert BACKWARD.add_working_days(date(2016, 12, 30), 1) == date(2017, 1, 4)
    assert BACKWARD.working_days_between(date(2017, 1, 4), date(2016, 12, 29)) == -2


def test_working_days_in_2016_total() -> None:
    weekday_days_off = [
        d
        for d in days(date(2016, 1, 1), date(2016, 12, 31))
        if d.weekday() < 5 and not BACKWARD.is_working_day(d)
    ]
    assert weekday_days_off == [
        date(2016, 1, 1),
        date(2016, 1, 4),
        date(2016, 1, 7),
        date(2016, 3, 7),
        date(2016, 3, 8),
        date(2016, 3, 21),
        date(2016, 3, 22),
        date(2016, 3, 23),
        date(2016, 5, 2),
        date(2016, 5, 9),
        date(2016, 5, 10),
        date(2016, 7, 6),
        date(2016, 8, 30),
        date(2016, 9, 12),
        date(2016, 12, 1),
        date(2016, 12, 16),
        date(2016, 12, 19),
    ]
    # 366 days, 105 of them Saturdays and Sundays, 17 weekdays off, one Saturday worked.
    assert BACKWARD.working_days_between(date(2015, 12, 31), date(2016, 12, 31)) == (
        366 - 105 - 17 + 1
    )


def test_package_is_consulted_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    workdays._package_year.cache_clear()
    first = WorkingCalendar()
    second = WorkingCalendar(extra_days_off=[date(2016, 4, 8)])
    for d in days(date(2016, 1, 1), date(2016, 12, 31)):
        first.is_working_day(d)
        second.is_working_day(d)
    first.working_days_between(date(2016, 1, 1), date(2016, 12, 31))
    assert calls == [2016]
    workdays._package_year.cache_clear()


# --- properties ------------------------------------------------------------------------------


@settings(deadline=None)
@given(calendar=calendars, day=dates)
def test_effective_is_a_working_day_on_the_rules_side(calendar: WorkingCalendar, day: date) -> None:
    moved = calendar.effective(day)
    assert calendar.is_working_day(moved)
    if calendar.is_working_day(day):
        assert moved == day
    if calendar is BACKWARD:
        assert moved <= day
    else:
        assert moved >= day
    lo, hi = sorted((moved, day))
    # Nothing nearer on that side would have done.
    assert not any(calendar.is_working_day(d) for d in days(lo, hi) if d != moved)


@settings(deadline=None)
@given(calendar=calendars, day=dates, n=spans)
def test_add_then_count_round_trips_from_a_working_day(
    calendar: WorkingCalendar, day: date, n: int
) -> None:
    start = calendar.effective(day)
    target = calendar.add_working_days(start, n)
    assert calendar.is_working_day(target)
    assert calendar.working_days_between(start, target) == n
    assert (target > start) == (n > 0)
    assert (target < start) == (n < 0)


@settings(deadline=None)
@given(day=dates, n=st.integers(min_value=1, max_value=80))
def test_adding_forward_from_any_day_round_trips(day: date, n: int) -> None:
    target = BACKWARD.add_working_days(day, n)
    assert BACKWARD.working_days_between(day, target) == n
    # Going back as many working days lands on the last working day not after the start.
    assert BACKWARD.add_working_days(target, -n) == BACKWARD.effective(day)


@settings(deadline=None)
@given(a=dates, b=dates)
def test_working_days_between_matches_a_day_by_day_count(a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    brute = sum(BACKWARD.is_working_day(d) for d in days(lo, hi) if d != lo)
    assert BACKWARD.working_days_between(lo, hi) == brute
    assert BACKWARD.working_days_between(hi, lo) == -brute


@settings(deadline=None)
@given(a=dates, b=dates, c=dates)
def test_working_days_between_is_additive(a: date, b: date, c: date) -> None:
    between = BACKWARD.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)


@settings(deadline=None)
@given(
    extra_working=st.sets(st.dates(date(2016, 1, 1), date(2016, 12, 31)), max_size=20),
    extra_off=st.sets(st.dates(date(2016, 1, 1), date(2016, 12, 31)), max_size=20),
    day=st.dates(date(2016, 1, 1), date(2016, 12, 31)),
)
def test_overrides_decide_before_the_package(
    extra_working: set[date], extra_off: set[date], day: date
) -> None:
    calendar = WorkingCalendar(extra_working_days=extra_working, extra_days_off=extra_off)
    if day in extra_off:
        expected = False
    elif day in extra_working:
        expected = True
    else:
        expected = BACKWARD.is_working_day(day)
    assert calendar.is_working_day(day) is expected
