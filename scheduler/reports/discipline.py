"""Executive discipline: how each agency keeps its dates, over a period.

For each agency, of its items whose own date (the point's, or an extension's) falls in the
period and has passed: those done on time, those done late, and those still open past
their date. The on-time share is round(100 × on time ÷ (on time + overdue)), where overdue
counts the items open past their date and those done late; an agency with no item due has
no share (not 0 %). Beside it: how often its reports were returned, how many extensions it
asked for and how many were granted, and how many working days late its late items were on
average (an open one counts until today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scheduler.reports.items import Item
from scheduler.workdays import WorkingCalendar


@dataclass(frozen=True)
class Period:
    """The days ``[start, end]``, both ends included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


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
) -> list[Discipline]:
    """The figures of every agency in ``agencies`` that has items, in that order."""
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.agency, []).append(item)
    order = [a for a in agencies if a in grouped] + sorted(set(grouped) - set(agencies))
    return [_figures(a, grouped[a], period, today, calendar, returns, extensions) for a in order]


def _figures(
    agency: str,
    items: Sequence[Item],
    period: Period,
    today: dt.date,
    calendar: WorkingCalendar,
    returns: Mapping[str, int],
    extensions: Mapping[str, tuple[int, int]],
) -> Discipline:
    due = [i for i in items if i.due_date in period and i.due_date < today]
    on_time = [i for i in due if i.done_on is not None and i.done_on <= i.due_date]
    late = [i for i in due if i.done_on is not None and i.done_on > i.due_date]
    open_late = [i for i in due if i.done_on is None]
    days = [calendar.working_days_between(i.due_date, i.done_on or today) for i in late + open_late]
    asked, granted = extensions.get(agency, (0, 0))
    return Discipline(
        agency=agency,
        due=len(due),
        on_time=len(on_time),
        late=len(late),
        overdue_open=len(open_late),
        returns=returns.get(agency, 0),
        asked=asked,
        granted=granted,
        average_late=sum(days) / len(days) if days else None,
    )
