"""Interim reports on request: a controller asks a task's agencies (or one) where they stand.

The request reaches the chats following the agencies, with the status buttons a reminder
has; an answer (a button, or a reply) is recorded as the agency's report at its current
point of the task and goes back to the controller who asked. /asks lists the requests with
who has answered.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.requests_repo import InterimRequest
from scheduler.usecases.core import Answer, Core, Visit, unknown_agency, unknown_task
from scheduler.usecases.oversight import agency_chats, controls, tasks_controlled
from scheduler.usecases.status_updates import Recorded, Reply, Report, record_report
from scheduler.usecases.stored_text import storable
from scheduler.vocabulary.control import Source, Status
from scheduler.vocabulary.messages import MessageKind

# How many requests /asks shows.
SHOWN = 20


def request_point(request_id: int) -> str:
    """The outbox control point of request ``request_id``'s messages."""
    return f"interim:{request_id}"


@dataclass(frozen=True)
class InterimAsked:
    request_id: int
    task: int
    agencies: tuple[str, ...]
    chats: int


@dataclass(frozen=True)
class OpenRequest:
    request: InterimRequest
    agencies: tuple[str, ...]
    answered: tuple[str, ...]


async def ask_interim(
    core: Core, caller: Caller, *, task: int, agency: str | None, text: str
) -> Answer[InterimAsked | Refusal]:
    """/ask N [CODE] text: send the task's agencies (or one) the request."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        if not runtime.has_task(task):
            return visit.answer(unknown_task(runtime, task))
        if not await controls(visit, task):
            departments = runtime.controls(task)
            refusal = Refusal.of(Why.NOT_CONTROLLER, task=task, departments=departments)
            await visit.record("interim.ask", {"task": task}, allowed=False)
            return visit.answer(refusal)
        responsible = tuple(r.code for r in runtime.plan.task(task).responsible)
        if agency is not None and agency not in responsible:
            return visit.answer(unknown_agency(runtime, agency))
        if not text.strip():
            return visit.answer(Refusal.of(Why.EMPTY_MESSAGE))
        agencies = (agency,) if agency is not None else responsible
        request_id = await visit.uow.interim.add(
            task=task,
            agency=agency,
            text=storable(text.strip()),
            by=caller.user_id or 0,
            chat_id=caller.chat_id or 0,
            now=visit.now,
        )
        chats = await agency_chats(visit.uow, agencies)
        user = caller.user
        payload = {
            "request": request_id,
            "task": task,
            "agencies": list(agencies),
            "text": storable(text.strip()),
            "name": user.first_name if user else "",
        }
        told = await visit.tell(
            chats,
            control_point=request_point(request_id),
            slot="request",
            kind=MessageKind.INTERIM_REQUEST,
            payload=payload,
        )
        await visit.record(
            "interim.ask",
            {"request": request_id, "task": task, "agencies": list(agencies), "chats": told},
        )
        return visit.answer(InterimAsked(request_id, task, agencies, told))


async def answer_request(
    visit: Visit,
    row: OutboxItem,
    status: Status,
    said: Reply | None,
    *,
    source: Source = Source.REPLY,
) -> Recorded | Refusal:
    """Record the agency's answer to the request ``row`` carried, and tell the controller."""
    request = await visit.uow.interim.get(int(row.payload.get("request", 0)))
    if request is None or row.chat_id != visit.caller.chat_id:
        return Refusal.of(Why.NO_SUCH_REQUEST)
    asked = {str(a) for a in row.payload.get("agencies", ())}
    mine = {m.agency for m in await visit.uow.members.of_user(visit.caller.user_id or 0)}
    if not asked & mine:
        return Refusal.of(Why.NOT_MEMBER, agencies=tuple(sorted(asked)), task=request.task_number)
    report = Report(
        status=status,
        text=said.text if said is not None else "",
        source=source,
        task=request.task_number,
        message_id=said.message_id if said is not None else None,
        evidence=said.evidence if said is not None else None,
    )
    recorded = await record_report(visit, visit.core.runtime, report)
    if isinstance(recorded, Refusal):
        return recorded
    await visit.uow.interim.answer(request.id, recorded.agency, recorded.status_id, visit.now)
    user = visit.caller.user
    payload = {
        "request": request.id,
        "task": request.task_number,
        "agency": recorded.agency,
        "status": recorded.status,
        "text": report.text,
        "name": user.first_name if user else "",
        "point": recorded.point.id,
    }
    await visit.tell(
        [request.chat_id],
        control_point=request_point(request.id),
        slot=f"answer:{recorded.status_id}",
        kind=MessageKind.INTERIM_ANSWER,
        payload=payload,
    )
    return dataclasses.replace(recorded, interim_request=request.id)


async def open_requests(core: Core, caller: Caller) -> Answer[list[OpenRequest] | Refusal]:
    """/asks: the latest requests the caller may see, with who has answered each."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        tasks = await tasks_controlled(visit)
        if tasks is not None and not tasks:
            await visit.record("interim.list", allowed=False)
            return visit.answer(Refusal.of(Why.NOT_OVERSEER))
        requests = await visit.uow.interim.recent(tasks, SHOWN)
        answers = await visit.uow.interim.answered(r.id for r in requests)
        found = []
        for request in requests:
            if request.agency is not None:
                agencies: tuple[str, ...] = (request.agency,)
            elif runtime.has_task(request.task_number):
                agencies = tuple(r.code for r in runtime.plan.task(request.task_number).responsible)
            else:
                agencies = ()
            answered = tuple(a for a in agencies if a in answers.get(request.id, {}))
            found.append(OpenRequest(request, agencies, answered))
        return visit.answer(found)
