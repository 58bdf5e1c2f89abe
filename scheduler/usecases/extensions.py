"""Deadline extensions: an agency asks to move its date, with a reason; a controller decides.

A member of the agency asks, from a reminder's button or with /extend N DATE reason. The
date is read as the importer reads dates, or as ISO or DD.MM.YYYY; it must be a working day
after the item's current date, and the reason is required. A request made once the item is
overdue, or less than ``ControlPolicy.extension_notice`` working days before its date, is
marked late but goes through. Approval moves that agency's item only (the plan stays as it
is for everyone), so its reminders follow the new date; a refusal needs a reason. Both go
back to the agency's chats, and both are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan.kazakh_dates import split_day
from scheduler.progress import progress_of
from scheduler.refusals import Refusal, Why
from scheduler.storage.requests_repo import Extension, ExtensionState, NewExtension
from scheduler.storage.reviews_repo import ItemDeadline
from scheduler.usecases.core import Answer, Core, Visit, unknown_task
from scheduler.usecases.oversight import agency_chats, controller_chats, may_decide
from scheduler.usecases.prompts import Prompt, PromptKind, ask
from scheduler.usecases.reviews import admins_now
from scheduler.usecases.stored_text import storable
from scheduler.vocabulary.messages import MessageKind, reminder_kinds


@dataclass(frozen=True)
class ExtensionAsked:
    request_id: int
    point: ControlPoint
    agency: str
    current_due: dt.date
    requested_due: dt.date
    late: bool
    controllers: int


@dataclass(frozen=True)
class ExtensionDecided:
    request_id: int
    approved: bool
    point: ControlPoint
    agency: str
    requested_due: dt.date
    reason: str
    told: int


async def request_extension(
    core: Core, caller: Caller, *, task: int, text: str
) -> Answer[ExtensionAsked | Refusal]:
    """/extend N DATE reason: the caller's agency asks to move its current item of task N."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        if not runtime.has_task(task):
            return visit.answer(unknown_task(runtime, task))
        mine = {m.agency for m in await visit.uow.members.of_user(caller.user_id or 0)}
        agencies = [r.code for r in runtime.plan.task(task).responsible if r.code in mine]
        if not agencies:
            codes = tuple(r.code for r in runtime.plan.task(task).responsible)
            return visit.answer(Refusal.of(Why.NOT_MEMBER, agencies=codes, task=task))
        points = sorted(runtime.points_of(task), key=lambda p: (p.effective, p.id))
        progress = await progress_of(visit.uow, points, runtime.control)
        for point in points:
            for agency in agencies:
                if agency in point.agencies and progress[point.id].chased(agency):
                    return visit.answer(await _ask(visit, point, agency, text))
        return visit.answer(Refusal.of(Why.NOTHING_OPEN, agencies=tuple(agencies), task=task))


async def ask_from_reminder(
    core: Core, caller: Caller, *, reminder_id: int
) -> Answer[Prompt | Refusal]:
    """The extension button under a reminder: ask the member for the date and the reason."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        item = await visit.uow.outbox.get(reminder_id)
        point = runtime.schedule.point(item.control_point) if item is not None else None
        if item is None or point is None or item.chat_id != caller.chat_id:
            return visit.answer(Refusal.of(Why.UNKNOWN_REMINDER))
        if item.kind not in reminder_kinds():
            return visit.answer(Refusal.of(Why.UNKNOWN_REMINDER))
        agency = await _member_agency(
            visit, point, [str(a) for a in item.payload.get("agencies", ())]
        )
        if isinstance(agency, Refusal):
            return visit.answer(agency)
        prompt = Prompt(PromptKind.EXTEND, reminder_id, point.task, agency, caller.user_id or 0)
        return visit.answer(await ask(visit, prompt, point.id))


async def extension_from_prompt(
    visit: Visit, prompt: Prompt, text: str
) -> ExtensionAsked | Refusal:
    """The member's reply to the extension prompt: «DATE reason»."""
    item = await visit.uow.outbox.get(prompt.ref)
    point = visit.core.runtime.schedule.point(item.control_point) if item is not None else None
    if point is None:
        return Refusal.of(Why.UNKNOWN_REMINDER)
    return await _ask(visit, point, prompt.agency, text)


async def _member_agency(visit: Visit, point: ControlPoint, asked: list[str]) -> str | Refusal:
    mine = {m.agency for m in await visit.uow.members.of_user(visit.caller.user_id or 0)}
    found = [a for a in point.agencies if a in mine and (a in asked or not asked)]
    if not found:
        return Refusal.of(Why.NOT_MEMBER, agencies=tuple(asked or point.agencies), task=point.task)
    return found[0]


async def _ask(
    visit: Visit, point: ControlPoint, agency: str, text: str
) -> ExtensionAsked | Refusal:
    runtime, uow, caller = visit.core.runtime, visit.uow, visit.caller
    progress = (await progress_of(uow, [point], runtime.control))[point.id]
    current = progress.due(agency)
    requested, reason = split_day(text, year_hint=current.year)
    if requested is None:
        return Refusal.of(Why.BAD_DATE, detail=text[:64])
    if not reason:
        return Refusal.of(Why.REASON_NEEDED)
    if requested <= current or not runtime.calendar.is_working_day(requested):
        return Refusal.of(Why.BAD_EXTENSION_DATE, date=requested, due=current)
    if not progress.chased(agency):
        return Refusal.of(Why.NOTHING_OPEN, agencies=(agency,), task=point.task)
    if await uow.extensions.pending_for(point.id, agency) is not None:
        return Refusal.of(Why.PENDING_REQUEST, task=point.task, agency=agency)
    today = runtime.today(visit.now)
    notice = runtime.calendar.working_days_between(today, current)
    late = notice < runtime.control.extension_notice
    request = NewExtension(
        control_point=point.id,
        task_number=point.task,
        agency=agency,
        current_due=current,
        requested_due=requested,
        reason=storable(reason),
        late=late,
        by=caller.user_id or 0,
        chat_id=caller.chat_id or 0,
    )
    request_id = await uow.extensions.add(request, visit.now)
    chats = await controller_chats(uow, runtime, point.task, await admins_now(visit))
    payload = _payload(
        visit,
        request_id,
        point,
        agency,
        (current, requested),
        reason,
        late=late,
        user=caller.user_id,
    )
    told = await visit.tell(
        chats,
        control_point=point.id,
        slot=f"extension:{request_id}",
        kind=MessageKind.EXTENSION_REQUEST,
        payload=payload,
    )
    await visit.record(
        "extension.request",
        {
            "request": request_id,
            "task": point.task,
            "point": point.id,
            "agency": agency,
            "before": current,
            "after": requested,
            "late": late,
            "reason": reason[:500],
        },
    )
    return ExtensionAsked(request_id, point, agency, current, requested, late, told)


def _payload(
    visit: Visit,
    request_id: int,
    point: ControlPoint,
    agency: str,
    dates: tuple[dt.date, dt.date],
    reason: str,
    **more: object,
) -> dict[str, Any]:
    """What a message about a request shows: the item, its dates (current, asked for, the
    plan's), the reason, and who wrote it (the caller)."""
    user = visit.caller.user
    current, requested = dates
    return {
        "request": request_id,
        "task": point.task,
        "point": point.id,
        "kind": point.kind,
        "agency": agency,
        "current": current.isoformat(),
        "original": point.effective.isoformat(),
        "requested": requested.isoformat(),
        "reason": storable(reason),
        "name": user.first_name if user else "",
        **more,
    }


async def _decidable(
    visit: Visit, request_id: int, action: str
) -> tuple[Extension, ControlPoint] | Refusal:
    found = await _check(visit, request_id)
    if isinstance(found, Refusal):
        await visit.record(action, {"request": request_id, "reason": found.why}, allowed=False)
    return found


async def _check(visit: Visit, request_id: int) -> tuple[Extension, ControlPoint] | Refusal:
    runtime, uow = visit.core.runtime, visit.uow
    request = await uow.extensions.get(request_id)
    point = runtime.schedule.point(request.control_point) if request is not None else None
    if request is None or point is None:
        return Refusal.of(Why.NO_SUCH_REQUEST)
    refused = await may_decide(
        visit,
        point,
        agency=request.agency,
        author=request.by,
        sent=(MessageKind.EXTENSION_REQUEST,),
        key="request",
        ref=request_id,
    )
    if refused is not None:
        return refused
    if request.state is not ExtensionState.PENDING:
        return Refusal.of(Why.ALREADY_DECIDED)
    return request, point


async def approve_extension(
    core: Core, caller: Caller, *, request_id: int
) -> Answer[ExtensionDecided | Refusal]:
    async with core.visit(caller) as visit:
        return visit.answer(await _decide(visit, request_id, ExtensionState.APPROVED, ""))


async def ask_refusal(core: Core, caller: Caller, *, request_id: int) -> Answer[Prompt | Refusal]:
    """Before refusing an extension: ask the controller, in a reply, for the reason."""
    async with core.visit(caller) as visit:
        found = await _decidable(visit, request_id, "extension.refuse")
        if isinstance(found, Refusal):
            return visit.answer(found)
        request, point = found
        prompt = Prompt(
            PromptKind.REFUSE, request_id, point.task, request.agency, caller.user_id or 0
        )
        return visit.answer(await ask(visit, prompt, point.id))


async def refuse_from_prompt(visit: Visit, prompt: Prompt, text: str) -> ExtensionDecided | Refusal:
    if not text.strip():
        return Refusal.of(Why.REASON_NEEDED)
    return await _decide(visit, prompt.ref, ExtensionState.REFUSED, text.strip())


async def _decide(
    visit: Visit, request_id: int, state: ExtensionState, reason: str
) -> ExtensionDecided | Refusal:
    action = "extension.approve" if state is ExtensionState.APPROVED else "extension.refuse"
    found = await _decidable(visit, request_id, action)
    if isinstance(found, Refusal):
        return found
    request, point = found
    uow, caller = visit.uow, visit.caller
    if not await uow.extensions.decide(
        request_id, state, by=caller.user_id or 0, reason=storable(reason), now=visit.now
    ):
        return Refusal.of(Why.ALREADY_DECIDED)
    approved = state is ExtensionState.APPROVED
    if approved:
        item = ItemDeadline(
            point.id, point.task, request.agency, request.requested_due, "extension", request_id
        )
        await uow.item_deadlines.move(item, by=caller.user_id, now=visit.now)
    chats = await agency_chats(uow, [request.agency], request.chat_id)
    dates = (request.current_due, request.requested_due)
    payload = _payload(visit, request_id, point, request.agency, dates, reason, approved=approved)
    told = await visit.tell(
        chats,
        control_point=point.id,
        slot=f"extension-decision:{request_id}",
        kind=MessageKind.EXTENSION_DECISION,
        payload=payload,
    )
    await visit.record(
        action,
        {
            "request": request_id,
            "task": point.task,
            "point": point.id,
            "agency": request.agency,
            "before": request.current_due,
            "after": request.requested_due if approved else request.current_due,
            "reason": reason[:500],
        },
    )
    return ExtensionDecided(
        request_id, approved, point, request.agency, request.requested_due, reason, told
    )
