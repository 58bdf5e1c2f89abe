"""The dashboard's views of report items: the matrix of tasks × agencies, the overdue list and
the timeline of the coming control points.

A cell holds one agency's part of one task: the item of its earliest control point that is
not closed for it (its next control point), else its last item. Its state is that item's,
as the status report has it, so the matrix and ``/report`` never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.reports.items import Item
from scheduler.vocabulary.control import ITEM_STATES
from scheduler.workdays import WorkingCalendar


@dataclass(frozen=True)
class Cell:
    """One agency's part of one task; ``open`` when its item still waits for something."""

    task: int
    agency: str
    item: Item

    @property
    def open(self) -> bool:
        return not ITEM_STATES[self.item.state].closes


@dataclass(frozen=True)
class Late:
    """An overdue item and how many working days it is past its own date."""

    item: Item
    working_days: int


def matrix(items: Iterable[Item]) -> tuple[Cell, ...]:
    """One cell per task and agency that has items, by task, then in the items' order."""
    chosen: dict[tuple[int, str], Item] = {}
    for item in items:
        key = (item.point.task, item.agency)
        held = chosen.get(key)
        # Items come in the points' order: the first open one wins, else the last one.
        if held is None or ITEM_STATES[held.state].closes:
            chosen[key] = item
    return tuple(
        Cell(task, agency, chosen[task, agency])
        for task, agency in sorted(chosen, key=lambda k: k[0])
    )


def overdue(items: Iterable[Item], today: dt.date, calendar: WorkingCalendar) -> tuple[Late, ...]:
    """The overdue items, the longest overdue first, with the working days since their own date."""
    late = [Late(i, calendar.working_days_between(i.due_date, today)) for i in items if i.overdue]
    late.sort(key=lambda x: (x.item.due_date, x.item.point.task, x.item.agency))
    return tuple(late)


@dataclass(frozen=True)
class Coming:
    """A control point on the timeline, with the items of it in view."""

    day: dt.date
    point: ControlPoint
    items: tuple[Item, ...]


def timeline(items: Iterable[Item], today: dt.date, days: int) -> tuple[Coming, ...]:
    """The control points whose items fall due from today to ``days`` days on, by date.

    An item whose date was moved is shown on its own date.
    """
    end = today + dt.timedelta(days=days)
    grouped: dict[tuple[dt.date, str], list[Item]] = {}
    points: dict[str, ControlPoint] = {}
    for item in items:
        if today <= item.due_date <= end:
            grouped.setdefault((item.due_date, item.point.id), []).append(item)
            points[item.point.id] = item.point
    keys = sorted(grouped, key=lambda k: (k[0], points[k[1]].task, k[1]))
    return tuple(Coming(day, points[pid], tuple(grouped[day, pid])) for day, pid in keys)
