"""Recording the date of the event a task's deadline follows ("Шығу кезінде", «по итогам проверки»).

Such a task has no control point until someone records when its event took place: an
administrator, or a member of one of the task's agencies, who know it first. The date becomes
part of the plan as a new version, shown first as a draft to confirm
(:mod:`scheduler.usecases.plan_drafts`), so every instance follows it, the task's agencies are
told, and the change is audited.
"""

from __future__ import annotations

from scheduler.participants import Caller
from scheduler.plan.edits import EditError, record_event
from scheduler.plan.kazakh_dates import PhraseError, parse_day
from scheduler.plan.model import Plan, event_readings
from scheduler.plan.problems import PlanProblem
from scheduler.refusals import Refusal, Why
from scheduler.usecases.core import Answer, Core, unknown_task
from scheduler.usecases.plan_drafts import EVENT, Proposal, may_date_event, propose
from scheduler.usecases.plan_edits import Rejected

ACTION = "plan.event"


def _year_hint(plan: Plan) -> int | None:
    start, end = plan.period.start.year, plan.period.end.year
    return start if start == end else None


async def record_event_date(
    core: Core, caller: Caller, *, task: int, value: str
) -> Answer[Proposal | Rejected | Refusal]:
    """Propose ``value`` (ISO, DD.MM.YYYY or a date phrase) as the date of task ``task``'s event."""
    plan = core.runtime.plan
    async with core.visit(caller) as visit:
        if not core.runtime.has_task(task):
            return visit.answer(unknown_task(core.runtime, task))
        if not event_readings(plan.task(task).deadline):
            return visit.answer(Refusal.of(Why.NO_EVENT, task=task))
        if not await may_date_event(visit, plan, task):
            await visit.record(ACTION, {"task": task, "value": value}, allowed=False)
            agencies = tuple(r.code for r in plan.task(task).responsible)
            return visit.answer(Refusal.of(Why.EVENT_NOT_ENTITLED, agencies=agencies))
        try:
            day = parse_day(value, year_hint=_year_hint(plan))
            new_plan = record_event(plan, task, day)
        except PhraseError as exc:
            problem = PlanProblem("edit.event_date", {"phrase": value}, cause=exc.problem)
            return visit.answer(Rejected((problem,)))
        except EditError as exc:
            return visit.answer(Rejected(tuple(exc.problems)))
        detail = {"task": task, "value": value, "event_date": day.isoformat()}
        return visit.answer(await propose(visit, new_plan=new_plan, source=EVENT, detail=detail))
