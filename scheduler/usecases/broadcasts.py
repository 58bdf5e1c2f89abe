"""Broadcasts: an administrator's message to everyone, to one agency, or to one task's followers.

A broadcast is drafted, previewed with its number of recipients, and sent only on
confirmation, through the same rate-limited outbox as the reminders. Once every copy
has an outcome, the administrator gets a delivery report: sent, failed, blocked.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Answer, Core, unknown_agency
from scheduler.usecases.stored_text import storable
from scheduler.vocabulary.messages import MessageKind

AUDIENCES = ("all", "agency", "task")
FINAL_STATES = {"sent", "failed", "cancelled", "missed", "blocked"}


@dataclass(frozen=True)
class Draft:
    id: int
    audience: str
    target: str
    recipients: int


def _is_number(text: str) -> bool:
    # str.isdigit alone also accepts superscripts and other digits int() refuses.
    return text.isascii() and text.isdigit()


def broadcast_point(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


async def _recipients(
    uow: UnitOfWork, runtime: PlanRuntime, audience: str, target: str
) -> list[int]:
    if audience == "all":
        return await uow.contacts.active_chat_ids()
    if audience == "agency":
        followers = await uow.subscriptions.followers(agencies=[target])
        members = [m.user_id for m in await uow.members.of_agency(target)]
    else:
        task = runtime.plan.task(int(target))
        followers = await uow.subscriptions.followers(
            agencies=[r.code for r in task.responsible], tasks=[task.number]
        )
        members = []
    chats = {s.chat_id for s in followers} | set(await uow.contacts.existing_chats(members))
    return sorted(chats)


async def draft_broadcast(
    core: Core, caller: Caller, *, audience: str, target: str, text: str
) -> Answer[Draft | Refusal]:
    runtime = core.runtime
    async with core.visit(caller) as visit:
        detail = {"audience": audience, "target": target}
        if refused := await visit.refuse_unless_admin("broadcast.draft", detail):
            return visit.answer(refused)
        if audience == "agency":
            code = runtime.agency(target)
            if code is None:
                return visit.answer(unknown_agency(runtime, target))
            target = code
        if audience not in AUDIENCES or (
            audience == "task" and not (_is_number(target) and runtime.has_task(int(target)))
        ):
            return visit.answer(Refusal.of(Why.UNKNOWN_AUDIENCE))
        if not text.strip():
            return visit.answer(Refusal.of(Why.EMPTY_MESSAGE))
        recipients = await _recipients(visit.uow, runtime, audience, target)
        if not recipients:
            return visit.answer(Refusal.of(Why.NOBODY_TO_TELL))
        draft_id = await visit.uow.broadcasts.add(
            by=caller.user_id or 0,
            chat_id=caller.chat_id or 0,
            audience=audience,
            target=target,
            text=storable(text),
            now=visit.now,
        )
        return visit.answer(Draft(draft_id, audience, target, len(recipients)))


async def confirm_broadcast(
    core: Core, caller: Caller, *, broadcast_id: int, send: bool
) -> Answer[int | Refusal]:
    """Send the draft (returns the number of copies planned) or drop it (returns 0)."""
    async with core.visit(caller) as visit:
        detail = {"broadcast": broadcast_id, "send": send}
        if refused := await visit.refuse_unless_admin("broadcast.confirm", detail):
            return visit.answer(refused)
        uow, now = visit.uow, visit.now
        draft = await uow.broadcasts.get(broadcast_id)
        if draft is None:
            return visit.answer(Refusal.of(Why.NO_SUCH_BROADCAST))
        if not await uow.broadcasts.move(
            broadcast_id, "draft", "sending" if send else "cancelled", now
        ):
            return visit.answer(Refusal.of(Why.ALREADY_DECIDED))
        planned = 0
        if send:
            chats = await _recipients(uow, core.runtime, draft.audience, draft.target)
            planned = await uow.outbox.enqueue(
                [
                    NewMessage(
                        chat_id=chat,
                        control_point=broadcast_point(broadcast_id),
                        slot="message",
                        kind=MessageKind.BROADCAST,
                        due_at=now,
                        payload={"broadcast": broadcast_id, "body": draft.text},
                    )
                    for chat in chats
                ],
                now,
            )
        await visit.record(
            "broadcast.send" if send else "broadcast.cancel",
            {
                "broadcast": broadcast_id,
                "audience": draft.audience,
                "target": draft.target,
                "before": "draft",
                "after": "sending" if send else "cancelled",
                "copies": planned,
            },
        )
        return visit.answer(planned)


async def report_finished_broadcasts(core: Core) -> int:
    """Plan a delivery report for each broadcast whose every copy has an outcome."""
    now = core.clock.now()
    reported = 0
    async with core.db.unit_of_work() as uow:
        for draft in await uow.broadcasts.sending():
            counts = await uow.broadcasts.delivery_counts(broadcast_point(draft.id))
            if any(state not in FINAL_STATES for state in counts):
                continue
            if not await uow.broadcasts.move(draft.id, "sending", "reported", now):
                continue
            await uow.outbox.enqueue(
                [
                    NewMessage(
                        chat_id=draft.chat_id,
                        control_point=broadcast_point(draft.id),
                        slot="report",
                        kind=MessageKind.BROADCAST_REPORT,
                        due_at=now,
                        payload={
                            "broadcast": draft.id,
                            "sent": counts.get("sent", 0),
                            "failed": counts.get("failed", 0) + counts.get("cancelled", 0),
                            "blocked": counts.get("blocked", 0),
                        },
                    )
                ],
                now,
            )
            reported += 1
    return reported
