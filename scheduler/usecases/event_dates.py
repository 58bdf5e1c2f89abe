"""Recording the date of the event a task's deadline follows ("Шығу кезінде", «по итогам проверки»).

Such a task has no control point until someone records when its event took place: an
administrator, or a member of one of the task's agencies, who know it first. The date becomes
part of the plan as a new version through :func:`scheduler.usecases.plan_changes.put_in_force`,
so every instance follows it, the task's agencies are told, and the change is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.edits import EditError, record_event
from scheduler.plan.kazakh_dates import PhraseError, parse_day
from scheduler.plan.model import Plan, event_readings
from scheduler.refusals import Refusal, Why
from scheduler.usecases.core import Answer, Core, unknown_task
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


def _year_hint(plan: Plan) -> int | None:
    start, end = plan.period.start.year, plan.period.end.year
    return start if start == end else None


async def record_event_date(
    core: Core, caller: Caller, *, task: int, value: str
) -> Answer[EventRecorded | Refusal]:
    """Record ``value`` (ISO, DD.MM.YYYY or a date phrase) as the date of task ``task``'s event."""
    plan = core.runtime.plan
    async with core.visit(caller) as visit:
        if not core.runtime.has_task(task):
            return visit.answer(unknown_task(core.runtime, task))
        readings = event_readings(plan.task(task).deadline)
        agencies = tuple(r.code for r in plan.task(task).responsible)
        if not readings:
            return visit.answer(Refusal.of(Why.NO_EVENT, task=task))
        mine = {m.agency for m in await visit.uow.members.of_user(caller.user_id or 0)}
        if not (await visit.caller_is_admin() or mine & set(agencies)):
            await visit.record(ACTION, {"task": task, "value": value}, allowed=False)
            return visit.answer(Refusal.of(Why.EVENT_NOT_ENTITLED, agencies=agencies))
        try:
            day = parse_day(value, year_hint=_year_hint(plan))
            new_plan = record_event(plan, task, day)
        except PhraseError as exc:
            return visit.answer(Refusal.of(Why.BAD_DATE, detail=exc.message))
        except EditError as exc:
            return visit.answer(Refusal.of(Why.INVALID_EVENT, detail="; ".join(exc.problems)))
        changed, runtime = await put_in_force(visit, new_plan=new_plan, source="event")
    core.plans.replace(runtime, changed.version)
    deadlines = [p for p in runtime.points_of(task) if p.kind == "deadline"]
    due = min((p.effective for p in deadlines), default=None)
    recorded = EventRecorded(
        changed.version, task, readings[0].event, day, due, changed.notified_chats
    )
    return visit.answer(recorded)
