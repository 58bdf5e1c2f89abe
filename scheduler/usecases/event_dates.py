"""Recording the date of the event a task's deadline follows ("Шығу кезінде", «по итогам проверки»).

Such a task has no control point until someone records when its event took place: an
administrator, or a member of one of the task's agencies, who know it first. The date becomes
part of the plan as a new version through :func:`scheduler.usecases.plan_changes.put_in_force`,
so every instance follows it, the task's agencies are told, and the change is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.plan.edits import EditError, record_event
from scheduler.plan.kazakh_dates import PhraseError, parse_day
from scheduler.plan.model import Plan, event_readings
from scheduler.plan_runtime import PlanHolder
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_changes import put_in_force

ACTION = "plan.event"


@dataclass(frozen=True)
class EventRecorded:
    version: int
    task: int
    event: str
    event_date: dt.date
    due: dt.date | None
    notified_chats: int


@dataclass(frozen=True)
class EventRefused:
    """Nothing changed; ``code`` is ``unknown_task``, ``no_event``, ``bad_date`` or ``invalid``."""

    code: str
    detail: str = ""


@dataclass(frozen=True)
class NotEntitled:
    """The user administers nothing and belongs to none of ``agencies``; the attempt is recorded."""

    agencies: tuple[str, ...]


def _year_hint(plan: Plan) -> int | None:
    start, end = plan.period.start.year, plan.period.end.year
    return start if start == end else None


async def record_event_date(
    db: Database,
    clock: Clock,
    holder: PlanHolder,
    *,
    actor: int,
    configured: tuple[int, ...],
    task: int,
    value: str,
) -> EventRecorded | EventRefused | NotEntitled:
    """Record ``value`` (ISO, DD.MM.YYYY or a date phrase) as the date of task ``task``'s event."""
    plan = holder.current.plan
    try:
        readings = event_readings(plan.task(task).deadline)
        agencies = tuple(r.code for r in plan.task(task).responsible)
    except KeyError:
        return EventRefused("unknown_task")
    if not readings:
        return EventRefused("no_event")
    now = clock.now()
    async with db.unit_of_work() as uow:
        allowed = actor in configured or await uow.admins.is_promoted(actor)
        if not allowed:
            allowed = any(m.agency in agencies for m in await uow.members.of_user(actor))
        if not allowed:
            await uow.audit.record(
                at=now,
                user_id=actor,
                chat_id=None,
                action=ACTION,
                allowed=False,
                detail={"task": task, "value": value},
            )
            return NotEntitled(agencies)
    try:
        day = parse_day(value, year_hint=_year_hint(plan))
    except PhraseError as exc:
        return EventRefused("bad_date", exc.message)
    try:
        new_plan = record_event(plan, task, day)
    except EditError as exc:
        return EventRefused("invalid", "; ".join(exc.problems))
    changed = await put_in_force(db, clock, holder, actor=actor, new_plan=new_plan, source="event")
    deadlines = [p for p in holder.current.points_of(task) if p.kind == "deadline"]
    due = min((p.effective for p in deadlines), default=None)
    return EventRecorded(changed.version, task, readings[0].event, day, due, changed.notified_chats)
