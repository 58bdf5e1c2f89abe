"""Acceptance: a controller takes a report of done off control, or returns it for rework.

With acceptance required, the closer's report of done waits: its controllers get it with
two buttons, and only their acceptance closes the item. A return needs a comment and may
give a new date, from which the agency is chased again. A controller decides only for the
tasks their department controls (an administrator for all), never on a report of their own
agency, and only on the report as it was sent to their chat; every decision, and every
refused attempt, is one row of the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan.kazakh_dates import split_day
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import progress_of
from scheduler.refusals import Refusal, Why
from scheduler.reminders.planner import review_payload
from scheduler.storage.reviews_repo import ItemDeadline
from scheduler.storage.status_repo import NewStatus, StatusEntry
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.usecases.oversight import agency_chats, controller_chats, may_decide
from scheduler.usecases.prompts import Prompt, PromptKind, ask
from scheduler.usecases.stored_text import storable
from scheduler.vocabulary.control import Decision, ItemState
from scheduler.vocabulary.messages import MessageKind

REVIEW_KINDS = (MessageKind.REVIEW, MessageKind.REVIEW_REMINDER)


def review_slot(status_id: int) -> str:
    """The outbox slot of the request to accept report ``status_id``."""
    return f"review:{status_id}"


@dataclass(frozen=True)
class Decided:
    """A report accepted or returned, and how many of its agency's chats were told."""

    status_id: int
    decision: Decision
    point: ControlPoint
    agency: str
    comment: str
    new_date: dt.date | None
    told: int


async def admins_now(visit: Visit) -> list[int]:
    """Everyone who administers the bot, read in the visit's transaction."""
    promoted = await visit.uow.admins.promoted()
    return list(dict.fromkeys([*visit.core.admins, *promoted]))


async def ask_acceptance(
    visit: Visit, runtime: PlanRuntime, report: NewStatus, status_id: int
) -> int:
    """Send the report to its controllers, each with accept and return; how many chats."""
    chats = await controller_chats(visit.uow, runtime, report.task_number, await admins_now(visit))
    user = visit.caller.user
    entry = StatusEntry.stored(report, status_id, visit.now)
    point = runtime.schedule.point(report.control_point)
    if point is None:
        return 0
    payload = review_payload(entry, point, user.first_name if user else "", runtime.tz)
    return await visit.tell(
        chats,
        control_point=report.control_point,
        slot=review_slot(status_id),
        kind=MessageKind.REVIEW,
        payload=payload,
    )


async def still_awaiting(uow: UnitOfWork, runtime: PlanRuntime, status_id: int) -> bool:
    """Whether report ``status_id`` still waits for its controllers' decision."""
    entry = await uow.statuses.get(status_id)
    point = runtime.schedule.point(entry.control_point) if entry is not None else None
    if entry is None or point is None:
        return False
    awaiting = (await progress_of(uow, [point], runtime.control))[point.id].awaiting
    return awaiting is not None and awaiting.id == status_id


async def _reviewable(
    visit: Visit, status_id: int, action: str
) -> tuple[StatusEntry, ControlPoint] | Refusal:
    """The report, if the caller may decide on it now; otherwise why not (recorded)."""
    found = await _check(visit, status_id)
    if isinstance(found, Refusal):
        await visit.record(action, {"status": status_id, "reason": found.why}, allowed=False)
    return found


async def _check(visit: Visit, status_id: int) -> tuple[StatusEntry, ControlPoint] | Refusal:
    runtime, uow = visit.core.runtime, visit.uow
    entry = await uow.statuses.get(status_id)
    point = runtime.schedule.point(entry.control_point) if entry is not None else None
    if entry is None or point is None:
        return Refusal.of(Why.STALE_REVIEW)
    refused = await may_decide(
        visit,
        point,
        agency=entry.agency,
        author=entry.user_id,
        sent=REVIEW_KINDS,
        key="status",
        ref=status_id,
    )
    if refused is not None:
        return refused
    progress = (await progress_of(uow, [point], runtime.control))[point.id]
    awaiting = progress.awaiting
    if entry.review is not None:
        return Refusal.of(Why.ALREADY_DECIDED)
    if awaiting is None or awaiting.id != status_id:
        return Refusal.of(Why.STALE_REVIEW)
    return entry, point


async def accept_report(core: Core, caller: Caller, *, status_id: int) -> Answer[Decided | Refusal]:
    """Take the report off control: the item, and with it the point, is closed."""
    async with core.visit(caller) as visit:
        return visit.answer(await _decide(visit, status_id, Decision.ACCEPT, "", None))


async def ask_return(core: Core, caller: Caller, *, status_id: int) -> Answer[Prompt | Refusal]:
    """Before returning a report: ask the controller, in a reply, for the comment."""
    async with core.visit(caller) as visit:
        found = await _reviewable(visit, status_id, "review.return")
        if isinstance(found, Refusal):
            return visit.answer(found)
        entry, point = found
        prompt = Prompt(PromptKind.RETURN, status_id, point.task, entry.agency, caller.user_id or 0)
        return visit.answer(await ask(visit, prompt, point.id))


async def return_report(visit: Visit, prompt: Prompt, text: str) -> Decided | Refusal:
    """The controller's reply to the return prompt: «[DATE] comment»."""
    runtime = visit.core.runtime
    year = runtime.today(visit.now).year
    new_date, comment = split_day(text, year_hint=year)
    if not comment:
        return Refusal.of(Why.COMMENT_NEEDED)
    today = runtime.today(visit.now)
    if new_date is not None and (new_date < today or not runtime.calendar.is_working_day(new_date)):
        return Refusal.of(Why.BAD_DATE_FOR_ITEM, date=new_date)
    return await _decide(visit, prompt.ref, Decision.RETURN, comment, new_date)


async def _decide(
    visit: Visit, status_id: int, decision: Decision, comment: str, new_date: dt.date | None
) -> Decided | Refusal:
    action = "review.accept" if decision is Decision.ACCEPT else "review.return"
    found = await _reviewable(visit, status_id, action)
    if isinstance(found, Refusal):
        return found
    entry, point = found
    uow, runtime, caller = visit.uow, visit.core.runtime, visit.caller
    if not await uow.reviews.decide(
        status_id,
        decision,
        comment=storable(comment),
        new_date=new_date,
        by=caller.user_id or 0,
        chat_id=caller.chat_id,
        now=visit.now,
    ):
        return Refusal.of(Why.ALREADY_DECIDED)
    after = (await progress_of(uow, [point], runtime.control))[point.id]
    moved = after.chased_agencies() if new_date is not None else ()
    for agency in moved:
        item = ItemDeadline(
            point.id, point.task, agency, new_date or point.effective, "return", status_id
        )
        await uow.item_deadlines.move(item, by=caller.user_id, now=visit.now)
    chats = await agency_chats(uow, [entry.agency], entry.chat_id)
    user = caller.user
    payload = {
        "decision": decision,
        "status": status_id,
        "task": point.task,
        "point": point.id,
        "agency": entry.agency,
        "comment": storable(comment),
        "new_date": new_date.isoformat() if new_date else None,
        "name": user.first_name if user else "",
        "at": visit.now.astimezone(runtime.tz).isoformat(),
    }
    told = await visit.tell(
        chats,
        control_point=point.id,
        slot=f"decision:{status_id}",
        kind=MessageKind.REVIEW_DECISION,
        payload=payload,
    )
    await visit.record(
        action,
        {
            "status": status_id,
            "task": point.task,
            "point": point.id,
            "agency": entry.agency,
            "before": ItemState.AWAITING_ACCEPTANCE,
            "after": after.own_state(entry.agency),
            "comment": comment[:500],
            "new_date": new_date,
            "moved": list(moved),
        },
    )
    return Decided(status_id, decision, point, entry.agency, comment, new_date, told)
