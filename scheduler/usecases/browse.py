"""Reading the plan with its live state: task lists and a task's full card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.plan.model import Task
from scheduler.plan_runtime import PlanRuntime
from scheduler.storage.status_repo import DONE, StatusEntry
from scheduler.storage.unit_of_work import Database


@dataclass(frozen=True)
class TaskLine:
    number: int
    point: ControlPoint | None
    status: str | None
    overdue: bool


@dataclass(frozen=True)
class TaskCard:
    task: Task
    points: tuple[ControlPoint, ...]
    current: ControlPoint | None
    statuses: dict[str, StatusEntry | None]
    history: tuple[StatusEntry, ...]
    today: dt.date


def _current(
    points: Sequence[ControlPoint], latest: dict[str, dict[str, StatusEntry]]
) -> ControlPoint | None:
    """The earliest point not closed by its lead or consolidator, else the last point."""
    for point in points:
        closer = point.consolidator or point.lead
        entry = latest.get(point.id, {}).get(closer)
        if entry is None or entry.status != DONE:
            return point
    return points[-1] if points else None


async def task_lines(
    db: Database,
    runtime: PlanRuntime,
    numbers: Sequence[int],
    today: dt.date,
    agency: str | None = None,
) -> list[TaskLine]:
    """One line per task: its next open control point and the status there."""
    points = {n: runtime.points_of(n) for n in numbers}
    async with db.unit_of_work() as uow:
        latest = await uow.statuses.latest(p.id for ps in points.values() for p in ps)
    lines = []
    for number in numbers:
        point = _current(points[number], latest)
        status = None
        if point is not None:
            who = agency if agency in point.agencies else (point.consolidator or point.lead)
            entry = latest.get(point.id, {}).get(who or "")
            status = entry.status if entry else None
        overdue = point is not None and point.effective < today and status != DONE
        lines.append(TaskLine(number, point, status, overdue))
    return lines


async def task_card(
    db: Database, runtime: PlanRuntime, number: int, today: dt.date, history: int = 5
) -> TaskCard | None:
    if not runtime.has_task(number):
        return None
    task = runtime.plan.task(number)
    points = runtime.points_of(number)
    async with db.unit_of_work() as uow:
        latest = await uow.statuses.latest(p.id for p in points)
        recent = await uow.statuses.history(task_number=number, limit=history)
    current = _current(points, latest)
    at_current = latest.get(current.id, {}) if current else {}
    statuses = {r.code: at_current.get(r.code) for r in task.responsible}
    return TaskCard(task, tuple(points), current, statuses, tuple(recent), today)
