"""Calendar events of control points that keep their identity when the plan changes.

A calendar file's event is known by its UID; when a deadline moves, the event must keep its
UID and raise its SEQUENCE, or Outlook adds a second event beside the first. A point's id
holds its date, so the event's key is made without it: the task, the kind of point, and the
point's place among the task's points of that kind in date order («T06-deadline-1», the
n-th period of a recurring task). That is the pairing by which status reports follow a moved
point (:func:`scheduler.plan.diff.point_moves`), so an event and the reports about it move
together.

The signature is a digest of what the file shows of a point; the storage raises a key's
sequence when it changes (``scheduler.storage.calendar_events_repo``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence

from scheduler.plan.control_points import ControlPoint
from scheduler.plan.model import Plan
from scheduler.storage.calendar_events_repo import EventRevision
from scheduler.storage.unit_of_work import UnitOfWork


def event_keys(points: Sequence[ControlPoint]) -> dict[str, str]:
    """Point id → event key: the task, the kind, and the point's place among them by date."""
    grouped: dict[tuple[int, str], list[ControlPoint]] = defaultdict(list)
    for point in sorted(points, key=lambda p: (p.effective, p.id)):
        grouped[(point.task, point.kind)].append(point)
    return {
        point.id: f"T{task:02d}-{kind}-{n}"
        for (task, kind), same in grouped.items()
        for n, point in enumerate(same, start=1)
    }


def signature(point: ControlPoint, plan: Plan) -> str:
    """A digest of what a calendar file shows of the point: its dates, words and agencies."""
    task = plan.task(point.task)
    shown = [
        point.effective.isoformat(),
        point.nominal.isoformat(),
        point.phrase,
        list(point.agencies),
        point.recipient,
        task.text,
        task.short_title.model_dump(mode="json"),
    ]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()


async def revise_events(
    uow: UnitOfWork, points: Sequence[ControlPoint], plan: Plan, now: dt.datetime
) -> Mapping[str, tuple[str, EventRevision]]:
    """Point id → its event key and revision, once what the points show now is recorded."""
    keys = event_keys(points)
    signatures = {keys[p.id]: signature(p, plan) for p in points}
    revisions = await uow.calendar_events.revise(signatures, now)
    return {p.id: (keys[p.id], revisions[keys[p.id]]) for p in points}
