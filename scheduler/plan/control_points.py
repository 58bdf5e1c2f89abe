"""Control points: the dated moments of a plan that the reminder engine watches.

Each task expands into its execution deadlines (kind ``deadline``) and its reports to the
recipient named in its form of completion (kind ``report``). The rules:

* ``date``, ``period_end``: one deadline on that day; ``before_date``: one deadline on the last
  day allowed by the reading kept with it (the day before the boundary when exclusive).
* ``recurring``: one deadline at the end of every period (year, half-year, quarter, month, ISO
  week ending on Sunday) of the plan's period, or on the anchor day of each year for an annual
  task whose row names one. Periods that ended before the plan took effect are skipped: the
  plan takes effect on the act's date, or, when the text omits it, on the earliest date the plan
  names (so a 2015–2016 plan approved in late 2015 gets no control point for June 2015); a
  plan imported from a table alone, with no act, takes effect at the start of its period.
* ``recurring_day``: one deadline per period as for ``recurring``, on the numbered day of the
  month after the period (or of its last month), the day before it when "before" is exclusive.
* ``event``: none until the event's date is recorded; then one deadline that many working (or
  calendar) days after it, on the event's own day when the phrase names no allowance.
* ``ongoing``, ``unread``: no deadline of their own.
* ``composite``: the points of each labelled part.
* Reports: one per reporting date of the row. A row with a recipient but no reporting date
  reports with each of its deadlines; an ongoing row without one reports at each year end.

Ids are built from content ("T08-deadline-2016-12-31"), so they stay the same across
re-imports of the same plan and can serve as database keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from scheduler.plan.model import (
    BeforeDateDeadline,
    EventDeadline,
    Frequency,
    MonthDay,
    OngoingDeadline,
    PeriodUnit,
    Plan,
    Reading,
    SimpleDeadline,
    Task,
    UnreadDeadline,
    period_end,
)
from scheduler.plan.textmatch import fold

PointKind = Literal["deadline", "report"]


class ShiftsDates(Protocol):
    """What expansion needs from a working calendar (``scheduler.workdays.WorkingCalendar``)."""

    def effective(self, nominal: dt.date) -> dt.date: ...

    def add_working_days(self, day: dt.date, n: int) -> dt.date: ...


@dataclass(frozen=True)
class ControlPoint:
    """One dated moment of one task. Dates are local to the plan's time zone."""

    id: str
    task: int
    kind: PointKind
    agencies: tuple[str, ...]
    lead: str
    consolidator: str | None
    nominal: dt.date
    effective: dt.date
    phrase: str
    reading: Reading | None = None
    recipient: str | None = None
    label: str | None = None

    @property
    def closer(self) -> str:
        """The agency whose report closes the point: its consolidator, else its lead."""
        return self.consolidator or self.lead

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "task": self.task,
            "kind": self.kind,
            "agencies": list(self.agencies),
            "lead": self.lead,
            "consolidator": self.consolidator,
            "nominal": self.nominal.isoformat(),
            "effective": self.effective.isoformat(),
            "phrase": self.phrase,
            "reading": self.reading.value if self.reading else None,
            "recipient": self.recipient,
            "label": self.label,
        }


@dataclass(frozen=True)
class _Due:
    nominal: dt.date
    phrase: str
    reading: Reading | None = None
    label: str | None = None


def in_force_from(plan: Plan) -> dt.date:
    """The day the plan takes effect (see the module docstring)."""
    if plan.act is None:
        # A plan read from a table alone names no act: it runs over its whole period.
        return plan.period.start
    if plan.act.date is not None:
        return max(plan.act.date, plan.period.start)
    named = [d for task in plan.tasks for d in _named_dates(task)]
    return max(min(named), plan.period.start) if named else plan.period.start


def _named_dates(task: Task) -> Iterator[dt.date]:
    deadline = task.deadline
    readings = [p.deadline for p in deadline.parts] if deadline.kind == "composite" else [deadline]
    for reading in readings:
        if reading.kind in ("date", "before_date", "period_end"):
            yield reading.due()
    yield from (r.date for r in task.form.report_dates)


def expand(plan: Plan, calendar: ShiftsDates) -> list[ControlPoint]:
    """Every control point of the plan, in order of effective date, then task and kind."""
    start = in_force_from(plan)
    points = [p for task in plan.tasks for p in expand_task(plan, task, calendar, start=start)]
    return sorted(points, key=lambda p: (p.effective, p.nominal, p.task, p.kind, p.id))


def expand_task(
    plan: Plan, task: Task, calendar: ShiftsDates, *, start: dt.date | None = None
) -> list[ControlPoint]:
    """The control points of one task; ``start`` defaults to :func:`in_force_from`."""
    start = in_force_from(plan) if start is None else start
    deadline = task.deadline
    parts = (
        [(p.label, p.deadline) for p in deadline.parts]
        if deadline.kind == "composite"
        else [(None, deadline)]
    )
    dues = [due for label, reading in parts for due in _dues(reading, label, plan, start, calendar)]
    reports: list[_Due] = []
    if task.form.report_dates:
        reports = [_Due(r.date, r.phrase) for r in task.form.report_dates]
    elif task.form.recipient is not None:
        reports = list(dues)
        if all(isinstance(reading, OngoingDeadline) for _, reading in parts):
            reports = [
                _Due(day, deadline.phrase)
                for day in _period_ends(Frequency.ANNUAL, None, start, plan.period.end)
            ]
    points: list[ControlPoint] = []
    used: set[str] = set()
    for kind, items in (("deadline", dues), ("report", reports)):
        for due in items:
            points.append(_point(task, kind, due, calendar, used))  # type: ignore[arg-type]
    return points


def _point(
    task: Task, kind: PointKind, due: _Due, calendar: ShiftsDates, used: set[str]
) -> ControlPoint:
    base = f"T{task.number:02d}-{kind}-{due.nominal.isoformat()}"
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return ControlPoint(
        id=ident,
        task=task.number,
        kind=kind,
        agencies=tuple(r.code for r in task.responsible),
        lead=task.lead,
        consolidator=task.consolidator,
        nominal=due.nominal,
        effective=calendar.effective(due.nominal),
        phrase=due.phrase,
        reading=due.reading,
        recipient=task.form.recipient if kind == "report" else None,
        label=due.label,
    )


def _dues(
    reading: SimpleDeadline | UnreadDeadline,
    label: str | None,
    plan: Plan,
    start: dt.date,
    calendar: ShiftsDates,
) -> list[_Due]:
    if isinstance(reading, OngoingDeadline | UnreadDeadline):
        return []
    if reading.kind == "recurring":
        days = _period_ends(reading.frequency, reading.anchor, start, plan.period.end)
        return [_Due(day, reading.phrase, label=label) for day in days]
    if reading.kind == "recurring_day":
        ends = _period_ends(reading.frequency, None, start, plan.period.end)
        return [_Due(reading.due_for(end), reading.phrase, reading.reading, label) for end in ends]
    if reading.kind == "event":
        due = event_due(reading, calendar)
        return [] if due is None else [_Due(due, reading.phrase, label=label)]
    used_reading = reading.reading if isinstance(reading, BeforeDateDeadline) else None
    return [_Due(reading.due(), reading.phrase, used_reading, label)]


def event_due(reading: EventDeadline, calendar: ShiftsDates) -> dt.date | None:
    """The nominal due day of an event-relative reading, or None while its event is undated."""
    if reading.event_date is None:
        return None
    if reading.working_days and reading.days:
        return calendar.add_working_days(reading.event_date, reading.days)
    return reading.event_date + dt.timedelta(days=reading.days)


def _period_ends(
    frequency: Frequency, anchor: MonthDay | None, start: dt.date, end: dt.date
) -> list[dt.date]:
    """The last day of every period of ``frequency`` that ends within ``[start, end]``."""
    days: list[dt.date] = []
    if frequency is Frequency.WEEKLY:
        day = start + dt.timedelta(days=6 - start.weekday())
        while day <= end:
            days.append(day)
            day += dt.timedelta(days=7)
        return days
    per_year = {
        Frequency.ANNUAL: (PeriodUnit.YEAR, 1),
        Frequency.TWICE_A_YEAR: (PeriodUnit.HALF_YEAR, 2),
        Frequency.QUARTERLY: (PeriodUnit.QUARTER, 4),
        Frequency.MONTHLY: (PeriodUnit.MONTH, 12),
    }
    unit, count = per_year[frequency]
    for year in range(start.year, end.year + 1):
        if anchor is not None and frequency is Frequency.ANNUAL:
            candidates = [_anchor_day(year, anchor)]
        else:
            candidates = [period_end(unit, i, year) for i in range(1, count + 1)]
        days.extend(day for day in candidates if start <= day <= end)
    return days


def _anchor_day(year: int, anchor: MonthDay) -> dt.date:
    try:
        return dt.date(year, anchor.month, anchor.day)
    except ValueError:
        # 29 February in a common year: the last day of February stands in for it.
        return dt.date(year, anchor.month, 28)


def between(
    points: Iterable[ControlPoint],
    start: dt.date,
    end: dt.date,
    *,
    agency: str | None = None,
) -> list[ControlPoint]:
    """The points whose effective date is in ``[start, end]``, optionally of one agency."""
    key = fold(agency) if agency is not None else None
    return [
        p
        for p in points
        if start <= p.effective <= end
        and (key is None or any(fold(code) == key for code in p.agencies))
    ]
