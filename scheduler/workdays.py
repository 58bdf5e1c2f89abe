"""Working-day calendar of Kazakhstan: which dates are worked and how deadlines move.

A date is a working day when it is Monday to Friday and neither a public holiday nor a day off
transferred by the Government, as the ``holidays`` package knows them for Kazakhstan (``KZ``),
or when it is a Saturday or Sunday the Government made a working day (2016: Saturday 5 March
was worked so that Monday 7 March could be a day off). An administrator's table corrects what
the package lacks: an extra working day wins over weekends and holidays, and an extra day off
wins over everything, including an extra working day on the same date.

The calendar works on plain dates only; time zones belong to the caller.

Definitions used by the methods:

* ``effective(nominal)``: ``nominal`` itself if it is a working day, otherwise the nearest
  working day before it (``ShiftRule.BACKWARD``, office practice for control dates) or after it
  (``ShiftRule.FORWARD``, civil-law counting of terms).
* ``add_working_days(day, n)``: for ``n > 0`` the n-th working day strictly after ``day``; for
  ``n < 0`` the |n|-th working day strictly before ``day``; ``day`` itself need not be a
  working day. For ``n == 0`` the result is ``effective(day)``, so the result is always a
  working day.
* ``working_days_between(start, end)``: the number of working days in the half-open span
  ``(start, end]`` when ``start <= end``, and minus the number in ``(end, start]`` when
  ``end < start``. It is therefore antisymmetric and additive:
  ``between(a, b) + between(b, c) == between(a, c)``. For a working day ``d`` and any ``n``,
  ``working_days_between(d, add_working_days(d, n)) == n``; for a non-working ``d`` this holds
  for ``n > 0``.

Searches for the next or previous working day give up after a year of consecutive days off and
raise ``ValueError``, so a table that marks every day off cannot hang the scheduler.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate

import holidays

# A longer run of days off than this is a broken table, not a real calendar.
_MAX_SEARCH_DAYS = 366

_ONE_DAY = timedelta(days=1)


class ShiftRule(enum.StrEnum):
    """Where a date that falls on a non-working day moves to."""

    BACKWARD = "backward"
    FORWARD = "forward"


@dataclass(frozen=True, slots=True)
class _PackageYear:
    """What the ``holidays`` package says about one calendar year, before any overrides."""

    working: frozenset[date]
    names: dict[date, str]


@functools.cache
def _package_year(year: int) -> _PackageYear:
    # Shared by every calendar instance: the package data does not depend on the overrides,
    # and rebuilding it whenever an administrator edits the table would be wasted work.
    kz = holidays.country_holidays("KZ", years=year, language="kk")
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(year, 12, 31) - first).days + 1))
    working = frozenset(day for day in days if kz.is_working_day(day))
    # A transfer can be decreed in one year for a date in another (a Saturday in December
    # 2013 was worked for a day off in January 2014), so keep only this year's own dates.
    names = {day: str(name) for day, name in kz.items() if day.year == year}
    return _PackageYear(working=working, names=names)


@dataclass(frozen=True, slots=True)
class _YearTable:
    """One year with the overrides applied, laid out for constant-time lookups."""

    first_ordinal: int
    # One byte per day of the year: 1 for a working day, 0 for a day off.
    flags: bytes
    # prefix[i] is the number of working days among the first i days of the year.
    prefix: tuple[int, ...]


def _require_date(value: object, what: str) -> date:
    # datetime is a subclass of date but never equal to one, so a datetime would silently
    # miss every table lookup; refuse it instead.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


class WorkingCalendar:
    """Kazakhstan's working days with an administrator's overrides; see the module docstring."""

    def __init__(
        self,
        *,
        rule: ShiftRule = ShiftRule.BACKWARD,
        extra_working_days: Iterable[date] = (),
        extra_days_off: Iterable[date] = (),
    ) -> None:
        self._rule = ShiftRule(rule)
        self._extra_working = frozenset(
            _require_date(day, "an extra working day") for day in extra_working_days
        )
        self._extra_off = frozenset(
            _require_date(day, "an extra day off") for day in extra_days_off
        )
        self._years: dict[int, _YearTable] = {}

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(rule={self._rule.value!r}, "
            f"extra_working_days={len(self._extra_working)}, "
            f"extra_days_off={len(self._extra_off)})"
        )

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is worked, after the overrides."""
        _require_date(day, "day")
        table = self._table(day.year)
        return table.flags[day.toordinal() - table.first_ordinal] == 1

    def effective(self, nominal: date) -> date:
        """The date a deadline on ``nominal`` is actually met, under the calendar's rule."""
        _require_date(nominal, "nominal")
        if self.is_working_day(nominal):
            return nominal
        step = -1 if self._rule is ShiftRule.BACKWARD else 1
        return self._nearest_working(nominal, step)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after (``n > 0``) or before (``n < 0``) ``day``.

        ``n == 0`` gives ``effective(day)``.
        """
        _require_date(day, "day")
        if n == 0:
            return self.effective(day)
        step = 1 if n > 0 else -1
        current = day
        for _ in range(abs(n)):
            current = self._nearest_working(current, step)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``, negated when ``end`` is before ``start``."""
        _require_date(start, "start")
        _require_date(end, "end")
        if start == end:
            return 0
        if start < end:
            return self._count_inclusive(start + _ONE_DAY, end)
        return -self._count_inclusive(end + _ONE_DAY, start)

    def holiday_name(self, day: date) -> str | None:
        """The Kazakh name the ``holidays`` package gives ``day``, or ``None``.

        The overrides do not change a name: they decide whether the day is worked, not what
        the day is. A transferred day off is named after the Saturday or Sunday it came from.
        """
        _require_date(day, "day")
        return _package_year(day.year).names.get(day)

    def _table(self, year: int) -> _YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._build_table(year)
            self._years[year] = table
        return table

    def _build_table(self, year: int) -> _YearTable:
        package = _package_year(year)
        first = date(year, 1, 1)
        length = (date(year, 12, 31) - first).days + 1
        flags = bytearray(length)
        for i in range(length):
            day = first + timedelta(days=i)
            if day in self._extra_off:
                continue
            if day in self._extra_working or day in package.working:
                flags[i] = 1
        prefix = (0, *accumulate(flags))
        return _YearTable(first_ordinal=first.toordinal(), flags=bytes(flags), prefix=prefix)

    def _nearest_working(self, day: date, step: int) -> date:
        """The first working day strictly after (``step == 1``) or before (``-1``) ``day``."""
        candidate = day
        for _ in range(_MAX_SEARCH_DAYS):
            try:
                candidate += timedelta(days=step)
            except OverflowError:
                break
            if self.is_working_day(candidate):
                return candidate
        direction = "after" if step > 0 else "before"
        raise ValueError(
            f"no working day within {_MAX_SEARCH_DAYS} days {direction} {day.isoformat()}: "
            "check the table of extra days off"
        )

    def _count_inclusive(self, first: date, last: date) -> int:
        """Working days in ``[first, last]``, both in order; one lookup per year spanned."""
        total = 0
        for year in range(first.year, last.year + 1):
            table = self._table(year)
            lo = first.toordinal() - table.first_ordinal if year == first.year else 0
            hi = (
                last.toordinal() - table.first_ordinal
                if year == last.year
                else len(table.flags) - 1
            )
            total += table.prefix[hi + 1] - table.prefix[lo]
        return total
