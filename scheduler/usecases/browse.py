"""Reading the plan with its live state: task lists and a task's full card.

Anyone may read the plan. A list without a scope shows the reader's own agency (the first
they are a member of), or the whole plan for someone who belongs to none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan.model import Task
from scheduler.progress import ItemStanding, PointProgress
from scheduler.refusals import Refusal
from scheduler.storage.status_repo import StatusEntry
from scheduler.usecases.core import Answer, Core, resolve_agency, unknown_task
from scheduler.vocabulary.control import ITEM_STATES, ItemState

MINE = "mine"
ALL = "all"


@dataclass(frozen=True)
class TaskLine:
    """A task's next open control point, and the state there of the agency in view."""

    number: int
    point: ControlPoint | None
    state: ItemState
    overdue: bool


@dataclass(frozen=True)
class TaskList:
    """The tasks of ``agency`` (None: the whole plan), one line each."""

    agency: str | None
    lines: tuple[TaskLine, ...]


@dataclass(frozen=True)
class TaskCard:
    task: Task
    points: tuple[ControlPoint, ...]
    current: ControlPoint | None
    standings: tuple[ItemStanding, ...]
    history: tuple[StatusEntry, ...]
    today: dt.date


def _current(
    points: Sequence[ControlPoint], latest: Mapping[str, Mapping[str, StatusEntry]]
) -> ControlPoint | None:
    """The earliest point not closed, else the last point."""
    for point in points:
        if not PointProgress.of(point, latest).closed:
            return point
    return points[-1] if points else None


async def task_list(core: Core, caller: Caller, *, scope: str) -> Answer[TaskList | Refusal]:
    """The list for ``scope``: MINE, ALL or an agency as the reader typed it."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        agency: str | None = None
        if scope == MINE:
            mine = await visit.uow.members.of_user(caller.user_id or 0)
            agency = mine[0].agency if mine else None
        elif scope != ALL:
            found = resolve_agency(runtime, scope)
            if isinstance(found, Refusal):
                return visit.answer(found)
            agency = found
        numbers = runtime.tasks_of(agency) if agency else [t.number for t in runtime.plan.tasks]
        points = {n: runtime.points_of(n) for n in numbers}
        latest = await visit.uow.statuses.latest(p.id for ps in points.values() for p in ps)
        today = runtime.today(visit.now)
        lines = tuple(_line(n, points[n], latest, today, agency) for n in numbers)
        return visit.answer(TaskList(agency, lines))


def _line(
    number: int,
    points: Sequence[ControlPoint],
    latest: Mapping[str, Mapping[str, StatusEntry]],
    today: dt.date,
    agency: str | None,
) -> TaskLine:
    point = _current(points, latest)
    if point is None:
        return TaskLine(number, None, ItemState.NOT_STARTED, False)
    who = agency if agency in point.agencies else point.closer
    state = PointProgress.of(point, latest).own_state(who or point.closer)
    overdue = point.effective < today and not ITEM_STATES[state].closes
    return TaskLine(number, point, state, overdue)


async def task_card(
    core: Core, caller: Caller, number: int, *, history: int = 5
) -> Answer[TaskCard | Refusal]:
    runtime = core.runtime
    async with core.visit(caller) as visit:
        if not runtime.has_task(number):
            return visit.answer(unknown_task(runtime, number))
        task = runtime.plan.task(number)
        points = runtime.points_of(number)
        latest = await visit.uow.statuses.latest(p.id for p in points)
        recent = await visit.uow.statuses.history(task_number=number, limit=history)
        current = _current(points, latest)
        standings: tuple[ItemStanding, ...] = ()
        if current is not None:
            progress = PointProgress.of(current, latest)
            standings = tuple(
                ItemStanding(r.code, progress.own_state(r.code), progress.latest.get(r.code))
                for r in task.responsible
            )
        card = TaskCard(
            task, tuple(points), current, standings, tuple(recent), runtime.today(visit.now)
        )
        return visit.answer(card)
