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
from scheduler.progress import ItemStanding, PointProgress, progress_of
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
    """A task with its points, and each agency's item at its current point.

    ``names`` are the first names of the people who decided on the reports shown;
    ``closers`` the closer's item at each point, which says where the point stands.
    """

    task: Task
    points: tuple[ControlPoint, ...]
    current: ControlPoint | None
    standings: tuple[ItemStanding, ...]
    dues: Mapping[str, dt.date]
    history: tuple[StatusEntry, ...]
    today: dt.date
    names: Mapping[int, str]
    tz: dt.tzinfo
    closers: Mapping[str, ItemStanding]


def _current(
    points: Sequence[ControlPoint], progress: Mapping[str, PointProgress]
) -> ControlPoint | None:
    """The earliest point not closed, else the last point."""
    for point in points:
        if not progress[point.id].closed:
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
        progress = await progress_of(
            visit.uow, (p for ps in points.values() for p in ps), runtime.control
        )
        today = runtime.today(visit.now)
        lines = tuple(_line(n, points[n], progress, today, agency) for n in numbers)
        return visit.answer(TaskList(agency, lines))


def _line(
    number: int,
    points: Sequence[ControlPoint],
    progress: Mapping[str, PointProgress],
    today: dt.date,
    agency: str | None,
) -> TaskLine:
    point = _current(points, progress)
    if point is None:
        return TaskLine(number, None, ItemState.NOT_STARTED, False)
    who = agency if agency in point.agencies else point.closer
    found = progress[point.id]
    standing = found.standing(who)
    overdue = found.due(who) < today and not ITEM_STATES[standing.state].stops_chasing
    return TaskLine(number, point, standing.state, overdue)


async def task_card(
    core: Core, caller: Caller, number: int, *, history: int = 5
) -> Answer[TaskCard | Refusal]:
    runtime = core.runtime
    async with core.visit(caller) as visit:
        if not runtime.has_task(number):
            return visit.answer(unknown_task(runtime, number))
        task = runtime.plan.task(number)
        points = runtime.points_of(number)
        progress = await progress_of(visit.uow, points, runtime.control)
        recent = await visit.uow.statuses.history(task_number=number, limit=history)
        current = _current(points, progress)
        standings: tuple[ItemStanding, ...] = ()
        dues: Mapping[str, dt.date] = {}
        if current is not None:
            found = progress[current.id]
            standings = tuple(found.standing(r.code) for r in task.responsible)
            dues = found.dues
        closers = {p.id: progress[p.id].standing(p.closer) for p in points}
        deciders = {
            s.entry.review.by
            for s in (*standings, *closers.values())
            if s.entry is not None and s.entry.review is not None and s.entry.review.by
        }
        names = {uid: await visit.uow.contacts.first_name(uid) or str(uid) for uid in deciders}
        card = TaskCard(
            task,
            tuple(points),
            current,
            standings,
            dues,
            tuple(recent),
            runtime.today(visit.now),
            names,
            runtime.tz,
            closers,
        )
        return visit.answer(card)
