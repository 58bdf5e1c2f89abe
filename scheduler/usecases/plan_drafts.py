"""Drafts of plan changes: shown first, put in force only when their author confirms.

An edit (/setdeadline, /setreports, /setagencies), an uploaded plan file or table, and an
event's date (/event) each become a draft: the plan they would put in force, kept in the
database with the version it was made from, so that any instance can confirm it. The
preview lists the changes. Confirming puts the draft in force once: a second press finds it
decided and changes nothing; a draft made from a version that is no longer the newest (the
plan changed meanwhile) is refused as stale, and so is the second of two drafts made from the
same version and confirmed at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.participants import Caller
from scheduler.plan.diff import TaskChange, diff_plans
from scheduler.plan.model import Plan, event_readings
from scheduler.plan.serialize import dump_plan
from scheduler.plan.validation import parse_plan
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal, Why
from scheduler.storage.admin_repo import VersionConflict
from scheduler.storage.drafts_repo import PlanDraft
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.usecases.plan_changes import PlanChanged, follow_latest, put_in_force

APPLIED, CANCELLED, STALE = "applied", "cancelled", "stale"
EVENT = "event"


@dataclass(frozen=True)
class EventDate:
    """What an event's date gives: the task, the event's words, its day, the deadline after it."""

    task: int
    event: str
    event_date: dt.date
    due: dt.date | None


@dataclass(frozen=True)
class Proposal:
    """A draft waiting for confirmation, and what it would change."""

    draft: int
    source: str
    changes: tuple[TaskChange, ...]
    event: EventDate | None = None


@dataclass(frozen=True)
class Decided:
    """A draft put in force (``changed``) or dropped (``changed`` None)."""

    draft: int
    source: str
    changed: PlanChanged | None
    event: EventDate | None = None


def _event_of(plan: Plan, detail: Mapping[str, Any], due: dt.date | None) -> EventDate | None:
    if "event_date" not in detail:
        return None
    task = int(detail["task"])
    readings = event_readings(plan.task(task).deadline)
    words = readings[0].event if readings else ""
    return EventDate(task, words, dt.date.fromisoformat(str(detail["event_date"])), due)


def _first_deadline(runtime: PlanRuntime, task: int) -> dt.date | None:
    deadlines = [p.effective for p in runtime.points_of(task) if p.kind == "deadline"]
    return min(deadlines, default=None)


async def propose(
    visit: Visit, *, new_plan: Plan, source: str, detail: Mapping[str, Any]
) -> Proposal:
    """Keep ``new_plan`` as a draft of the caller's, made from the version in force."""
    core, caller = visit.core, visit.caller
    old = core.plans.current
    new = old.with_plan(new_plan)
    changes = tuple(diff_plans(old.plan, new.plan, old.points, new.points))
    draft = await visit.uow.drafts.add(
        by=caller.user_id or 0,
        chat_id=caller.chat_id or 0,
        source=source,
        base_version=core.plans.version,
        document=dump_plan(new_plan),
        detail=detail,
        now=visit.now,
    )
    await visit.record(
        "plan.propose",
        {
            "draft": draft,
            "source": source,
            "base": core.plans.version,
            **detail,
            "changes": [c.to_json() for c in changes],
        },
    )
    event = None
    if source == EVENT:
        event = _event_of(new_plan, detail, _first_deadline(new, int(detail["task"])))
    return Proposal(draft, source, changes, event)


async def may_date_event(visit: Visit, plan: Plan, task: int) -> bool:
    """An administrator, or a member of one of the task's agencies, may record its event."""
    agencies = {r.code for r in plan.task(task).responsible}
    mine = {m.agency for m in await visit.uow.members.of_user(visit.caller.user_id or 0)}
    return await visit.caller_is_admin() or bool(mine & agencies)


async def _refusal(visit: Visit, draft: PlanDraft | None, apply: bool) -> Refusal | None:
    """Why the caller may not decide ``draft``, recorded; None when they may."""
    detail = {"draft": draft.id if draft else None, "apply": apply}
    if draft is None:
        return Refusal.of(Why.NO_SUCH_DRAFT)
    if draft.source == EVENT:
        plan = parse_plan(draft.document)
        task = int(draft.detail.get("task", 0))
        if not await may_date_event(visit, plan, task):
            await visit.record("plan.confirm", detail, allowed=False)
            agencies = tuple(r.code for r in plan.task(task).responsible)
            return Refusal.of(Why.EVENT_NOT_ENTITLED, agencies=agencies)
        return None
    return await visit.refuse_unless_admin("plan.confirm", detail)


async def decide_draft(
    core: Core, caller: Caller, *, draft_id: int, apply: bool
) -> Answer[Decided | Refusal]:
    """Put the draft in force (``apply``) or drop it; once, and never a stale one."""
    # An instance that has not seen the newest version yet follows it first.
    await follow_latest(core.db, core.plans, core.factory)
    visit = core.visit(caller)
    try:
        async with visit:
            uow, now, by = visit.uow, visit.now, caller.user_id or 0
            draft = await uow.drafts.get(draft_id)
            if refused := await _refusal(visit, draft, apply):
                return visit.answer(refused)
            assert draft is not None
            if draft.state != "draft":
                return visit.answer(Refusal.of(Why.DRAFT_DECIDED))
            if not apply:
                if not await uow.drafts.decide(draft.id, CANCELLED, by, now):
                    return visit.answer(Refusal.of(Why.DRAFT_DECIDED))
                await visit.record("plan.cancel", {"draft": draft.id, "source": draft.source})
                return visit.answer(Decided(draft.id, draft.source, None))
            latest = await uow.plan_versions.latest_id()
            if latest != draft.base_version or core.plans.version != draft.base_version:
                await uow.drafts.decide(draft.id, STALE, by, now)
                await visit.record(
                    "plan.change",
                    {"draft": draft.id, "base": draft.base_version, "latest": latest},
                    allowed=False,
                )
                return visit.answer(Refusal.of(Why.STALE_DRAFT))
            if not await uow.drafts.decide(draft.id, APPLIED, by, now):
                return visit.answer(Refusal.of(Why.DRAFT_DECIDED))
            plan = parse_plan(draft.document)
            changed, runtime = await put_in_force(
                visit,
                new_plan=plan,
                source=draft.source,
                based_on=draft.base_version,
                draft=draft.id,
            )
    except VersionConflict:
        # Another draft made from the same version got in first, on another instance.
        return visit.answer(Refusal.of(Why.STALE_DRAFT))
    core.plans.replace(runtime, changed.version)
    event = None
    if draft.source == EVENT:
        due = _first_deadline(runtime, int(draft.detail["task"]))
        event = _event_of(plan, draft.detail, due)
    return visit.answer(Decided(draft.id, draft.source, changed, event))
