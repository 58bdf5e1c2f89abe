"""What changed between two versions of a plan, task by task, and whom it concerns."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.plan.model import Plan, Task, event_readings


def _agencies(task: Task) -> tuple[str, ...]:
    return tuple(f"{r.code} (жинақтау)" if r.consolidator else r.code for r in task.responsible)


def _event_dates(task: Task) -> tuple[str | None, ...]:
    return tuple(
        r.event_date.isoformat() if r.event_date else None for r in event_readings(task.deadline)
    )


def _undated(task: Task) -> dict[str, object]:
    """The deadline as data without the dates of its events."""
    data = task.deadline.model_dump(mode="json")
    for part in [data, *(p["deadline"] for p in data.get("parts", []))]:
        part.pop("event_date", None)
    return data


def _reports(task: Task) -> tuple[dt.date, ...]:
    return tuple(r.date for r in task.form.report_dates)


@dataclass(frozen=True)
class PointMove:
    kind: str
    old: dt.date | None
    new: dt.date | None


@dataclass(frozen=True)
class TaskChange:
    task: int
    change: str  # "changed", "added" or "removed"
    deadline: tuple[str, str] | None = None
    reports: tuple[tuple[dt.date, ...], tuple[dt.date, ...]] | None = None
    agencies: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    event: tuple[str | None, str | None] | None = None
    points: tuple[PointMove, ...] = ()
    concerns: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, object]:
        return {
            "task": self.task,
            "change": self.change,
            "deadline": list(self.deadline) if self.deadline else None,
            "reports": [[d.isoformat() for d in side] for side in self.reports]
            if self.reports
            else None,
            "agencies": [list(side) for side in self.agencies] if self.agencies else None,
            "event": list(self.event) if self.event else None,
            "points": [
                [m.kind, m.old.isoformat() if m.old else None, m.new.isoformat() if m.new else None]
                for m in self.points
            ],
        }


def _by_kind(points: Sequence[ControlPoint]) -> dict[tuple[int, str], list[ControlPoint]]:
    grouped: dict[tuple[int, str], list[ControlPoint]] = defaultdict(list)
    for point in sorted(points, key=lambda p: (p.effective, p.id)):
        grouped[(point.task, point.kind)].append(point)
    return grouped


def point_moves(old: Sequence[ControlPoint], new: Sequence[ControlPoint]) -> dict[str, str]:
    """Old point id → new point id, pairing a task's points of one kind in date order.

    Status reports follow their point this way when its date moves.
    """
    before, after = _by_kind(old), _by_kind(new)
    moves: dict[str, str] = {}
    for key, olds in before.items():
        for o, n in zip(olds, after.get(key, []), strict=False):
            if o.id != n.id:
                moves[o.id] = n.id
    return moves


def diff_plans(
    old: Plan,
    new: Plan,
    old_points: Sequence[ControlPoint],
    new_points: Sequence[ControlPoint],
) -> list[TaskChange]:
    """Every task whose schedule or agencies changed, with the agencies it concerns."""
    before, after = _by_kind(old_points), _by_kind(new_points)
    old_tasks = {t.number: t for t in old.tasks}
    new_tasks = {t.number: t for t in new.tasks}
    changes: list[TaskChange] = []
    for number in sorted(old_tasks.keys() | new_tasks.keys()):
        o, n = old_tasks.get(number), new_tasks.get(number)
        if o is None or n is None:
            task = n or o
            assert task is not None
            changes.append(
                TaskChange(
                    task=number,
                    change="added" if o is None else "removed",
                    concerns=frozenset(r.code for r in task.responsible),
                )
            )
            continue
        moves = []
        for kind in ("deadline", "report"):
            olds = [p.effective for p in before.get((number, kind), [])]
            news = [p.effective for p in after.get((number, kind), [])]
            if olds != news:
                longest = max(len(olds), len(news))
                for i in range(longest):
                    a = olds[i] if i < len(olds) else None
                    b = news[i] if i < len(news) else None
                    if a != b:
                        moves.append(PointMove(kind, a, b))
        deadline = (o.deadline.phrase, n.deadline.phrase) if _undated(o) != _undated(n) else None
        event = None
        if deadline is None and _event_dates(o) != _event_dates(n):
            event = (_event_dates(o)[0], _event_dates(n)[0])
        reports = (_reports(o), _reports(n)) if _reports(o) != _reports(n) else None
        agencies = (_agencies(o), _agencies(n)) if _agencies(o) != _agencies(n) else None
        if deadline or reports or agencies or event or moves:
            concerns = {r.code for r in o.responsible} | {r.code for r in n.responsible}
            changes.append(
                TaskChange(
                    task=number,
                    change="changed",
                    deadline=deadline,
                    reports=reports,
                    agencies=agencies,
                    event=event,
                    points=tuple(moves),
                    concerns=frozenset(concerns),
                )
            )
    return changes
