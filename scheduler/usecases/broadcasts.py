"""Broadcasts: an administrator's message to everyone, to one agency, or to one task's followers.

A broadcast is drafted, previewed with its number of recipients, and sent only on
confirmation, through the same rate-limited outbox as the reminders. Once every copy
has an outcome, the administrator gets a delivery report: sent, failed, blocked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.delivery.outbox import NewMessage
from scheduler.plan_runtime import PlanRuntime
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.administration import NotAdmin, check_admin
from scheduler.usecases.stored_text import storable

BROADCAST = "broadcast"
BROADCAST_REPORT = "broadcast_report"
AUDIENCES = ("all", "agency", "task")
FINAL_STATES = {"sent", "failed", "cancelled", "missed", "blocked"}


class BroadcastProblem(enum.StrEnum):
    UNKNOWN_AUDIENCE = "unknown_audience"
    EMPTY = "empty"
    NOBODY = "nobody"
    NOT_FOUND = "not_found"
    ALREADY_DONE = "already_done"


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
    db: Database,
    clock: Clock,
    runtime: PlanRuntime,
    *,
    actor: int,
    configured: tuple[int, ...],
    chat_id: int,
    audience: str,
    target: str,
    text: str,
) -> Draft | BroadcastProblem | NotAdmin:
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="broadcast.draft",
            now=now,
            chat_id=chat_id,
            detail={"audience": audience, "target": target},
        ):
            return NotAdmin("broadcast.draft")
        if audience not in AUDIENCES or (
            (audience == "agency" and not runtime.has_agency(target))
            or (audience == "task" and not (_is_number(target) and runtime.has_task(int(target))))
        ):
            return BroadcastProblem.UNKNOWN_AUDIENCE
        if not text.strip():
            return BroadcastProblem.EMPTY
        recipients = await _recipients(uow, runtime, audience, target)
        if not recipients:
            return BroadcastProblem.NOBODY
        draft_id = await uow.broadcasts.add(
            by=actor,
            chat_id=chat_id,
            audience=audience,
            target=target,
            text=storable(text),
            now=now,
        )
        return Draft(draft_id, audience, target, len(recipients))


async def confirm_broadcast(
    db: Database,
    clock: Clock,
    runtime: PlanRuntime,
    *,
    actor: int,
    configured: tuple[int, ...],
    broadcast_id: int,
    send: bool,
) -> int | BroadcastProblem | NotAdmin:
    """Send the draft (returns the number of copies planned) or drop it (returns 0)."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow,
            actor=actor,
            configured=configured,
            action="broadcast.confirm",
            now=now,
            detail={"broadcast": broadcast_id, "send": send},
        ):
            return NotAdmin("broadcast.confirm")
        draft = await uow.broadcasts.get(broadcast_id)
        if draft is None:
            return BroadcastProblem.NOT_FOUND
        if not await uow.broadcasts.move(
            broadcast_id, "draft", "sending" if send else "cancelled", now
        ):
            return BroadcastProblem.ALREADY_DONE
        planned = 0
        if send:
            chats = await _recipients(uow, runtime, draft.audience, draft.target)
            planned = await uow.outbox.enqueue(
                [
                    NewMessage(
                        chat_id=chat,
                        control_point=broadcast_point(broadcast_id),
                        slot="message",
                        kind=BROADCAST,
                        due_at=now,
                        payload={"broadcast": broadcast_id, "body": draft.text},
                    )
                    for chat in chats
                ],
                now,
            )
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=draft.chat_id,
            action="broadcast.send" if send else "broadcast.cancel",
            allowed=True,
            detail={
                "broadcast": broadcast_id,
                "audience": draft.audience,
                "target": draft.target,
                "before": "draft",
                "after": "sending" if send else "cancelled",
                "copies": planned,
            },
        )
        return planned


async def report_finished_broadcasts(db: Database, clock: Clock) -> int:
    """Plan a delivery report for each broadcast whose every copy has an outcome."""
    now = clock.now()
    reported = 0
    async with db.unit_of_work() as uow:
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
                        kind=BROADCAST_REPORT,
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
