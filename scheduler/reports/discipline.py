"""Executive discipline: how each agency keeps its dates, over a period.

For each agency, of its items whose own date (the point's, or an extension's) falls in the
period and has passed: those done on time, those done late, and those still open past
their date. The on-time share is round(100 × on time ÷ (on time + overdue)), where overdue
counts the items open past their date and those done late; an agency with no item due has
no share (not 0 %). Beside it: how often its reports were returned, how many extensions it
asked for and how many were granted, and how many working days late its late items were on
average (an open one counts until today).

A date a controller gave when returning a report moves the reminders, not the item's own
date here: rework past the date the agency had is late, whatever new date it was given.

The periods a reader picks by name (the plan so far, this quarter, this month, last month)
and the ones typed as two dates are worked out here too, from the day and nothing else.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scheduler.reports.items import Item
from scheduler.workdays import WorkingCalendar

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The days ``[start, end]``, both ends included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


class PeriodName(enum.StrEnum):
    """The periods a reader picks without typing dates; each ends today."""

    PLAN = "plan"  # from the day the plan took effect
    QUARTER = "quarter"  # from the first day of this quarter
    MONTH = "month"  # from the first day of this month
    LAST_MONTH = "last_month"  # the whole of the previous calendar month


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def named_period(name: PeriodName, today: dt.date, plan_start: dt.date) -> Period:
    """The days ``name`` covers as of ``today``; a plan not yet in force covers today only."""
    if name is PeriodName.PLAN:
        return Period(min(plan_start, today), today)
    if name is PeriodName.QUARTER:
        return Period(quarter_start(today), today)
    if name is PeriodName.MONTH:
        return Period(month_start(today), today)
    last_day = month_start(today) - _ONE_DAY
    return Period(month_start(last_day), last_day)


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def read_date(text: str) -> dt.date | None:
    """A day typed as ``2016-01-31`` or ``31.01.2016``; None for anything else."""
    value = text.strip()
    try:
        if found := _ISO.fullmatch(value):
            year, month, day = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        if found := _DOTTED.fullmatch(value):
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


class PeriodTrouble(enum.StrEnum):
    BAD_DATE = "bad_date"  # params: text
    REVERSED = "reversed"  # params: start, end


@dataclass(frozen=True)
class PeriodProblem:
    """Why two typed dates make no period, with the values a message names."""

    trouble: PeriodTrouble
    params: Mapping[str, object] = field(default_factory=dict)


def period_between(start: str, end: str) -> Period | PeriodProblem:
    """The period from the day ``start`` names to the day ``end`` names."""
    first, last = read_date(start), read_date(end)
    if first is None or last is None:
        text = start if first is None else end
        return PeriodProblem(PeriodTrouble.BAD_DATE, {"text": text[:32]})
    if last < first:
        return PeriodProblem(PeriodTrouble.REVERSED, {"start": first, "end": last})
    return Period(first, last)


@dataclass(frozen=True)
class Discipline:
    """One agency's figures over a period; ``share`` is None while nothing is due."""

    agency: str
    due: int
    on_time: int
    late: int
    overdue_open: int
    returns: int
    asked: int
    granted: int
    average_late: float | None

    @property
    def overdue(self) -> int:
        """Open past their date, and done late: what the share counts against."""
        return self.overdue_open + self.late

    @property
    def share(self) -> int | None:
        counted = self.on_time + self.overdue
        return round(100 * self.on_time / counted) if counted else None


def discipline(
    items: Iterable[Item],
    agencies: Sequence[str],
    period: Period,
    today: dt.date,
    calendar: WorkingCalendar,
    *,
    returns: Mapping[str, int],
    extensions: Mapping[str, tuple[int, int]],
    extended: Mapping[tuple[str, str], dt.date] | None = None,
) -> list[Discipline]:
    """The figures of every agency in ``agencies`` that has items, in that order.

    ``extended`` holds the date the latest granted extension gave an item, by point id and
    agency; any other item keeps its point's date.
    """
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.agency, []).append(item)
    order = [a for a in agencies if a in grouped] + sorted(set(grouped) - set(agencies))
    dates = extended or {}
    return [
        _figures(a, grouped[a], period, today, calendar, returns, extensions, dates) for a in order
    ]


def _figures(
    agency: str,
    items: Sequence[Item],
    period: Period,
    today: dt.date,
    calendar: WorkingCalendar,
    returns: Mapping[str, int],
    extensions: Mapping[str, tuple[int, int]],
    extended: Mapping[tuple[str, str], dt.date],
) -> Discipline:
    dated = [(i, extended.get((i.point.id, i.agency), i.point.effective)) for i in items]
    due = [(i, own) for i, own in dated if own in period and own < today]
    on_time = late = overdue_open = 0
    days: list[int] = []
    for item, own in due:
        if item.done_on is not None and item.done_on <= own:
            on_time += 1
            continue
        if item.done_on is not None:
            late += 1
        else:
            overdue_open += 1
        days.append(calendar.working_days_between(own, item.done_on or today))
    asked, granted = extensions.get(agency, (0, 0))
    return Discipline(
        agency=agency,
        due=len(due),
        on_time=on_time,
        late=late,
        overdue_open=overdue_open,
        returns=returns.get(agency, 0),
        asked=asked,
        granted=granted,
        average_late=sum(days) / len(days) if days else None,
    )


def overall(figures: Sequence[Discipline], label: str = "") -> Discipline:
    """The figures of all ``figures`` together: sums, and the average over every late item."""
    late_items = sum(f.overdue for f in figures)
    late_days = sum((f.average_late or 0) * f.overdue for f in figures)
    return Discipline(
        agency=label,
        due=sum(f.due for f in figures),
        on_time=sum(f.on_time for f in figures),
        late=sum(f.late for f in figures),
        overdue_open=sum(f.overdue_open for f in figures),
        returns=sum(f.returns for f in figures),
        asked=sum(f.asked for f in figures),
        granted=sum(f.granted for f in figures),
        average_late=late_days / late_items if late_items else None,
    )
