"""Changing the plan in force: a new version, its differences, and who must hear of them.

The database keeps every version; the newest is the plan every instance follows. A plan
file that changed on disk since it was last loaded becomes a new version at start. A
change in chat (an edit, an uploaded file, an event's date) is first shown as a draft
(``scheduler.usecases.plan_drafts``); once confirmed it carries the reports of moved
control points over to their new dates, and each affected agency's followers are sent
only the changes that concern them, with an "acknowledged" button.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from scheduler.calendar_events import revise_events
from scheduler.clock import Clock
from scheduler.participants import Caller
from scheduler.plan.diff import TaskChange, diff_plans, point_moves
from scheduler.plan.model import Plan
from scheduler.plan.serialize import dump_plan
from scheduler.plan.validation import parse_plan
from scheduler.plan_runtime import PlanHolder, PlanRuntime, RuntimeFactory
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.vocabulary.messages import MessageKind
from scheduler.vocabulary.subscriptions import Follow

# The outbox's control point of the notices of a version: "plan:<version>".
NOTICE_PREFIX = "plan:"


def notice_point(version: int) -> str:
    return f"{NOTICE_PREFIX}{version}"


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def plan_in_force(db: Database, clock: Clock, file_plan: Plan) -> tuple[int, Plan]:
    """The version to follow at start, taking in the plan file if it changed since last time."""
    document = dump_plan(file_plan)
    digest = file_hash(document)
    now = clock.now()
    async with db.unit_of_work() as uow:
        from_file = await uow.plan_versions.latest_from_file()
        if from_file is None or from_file.file_hash != digest:
            version = await uow.plan_versions.add(
                document=document, source="file", now=now, by=None, file_hash=digest
            )
            return version, file_plan
        latest = await uow.plan_versions.latest()
        assert latest is not None
        return latest.id, parse_plan(latest.document)


async def follow_latest(db: Database, holder: PlanHolder, factory: RuntimeFactory) -> bool:
    """Switch to a newer version, or calendar, that another instance made; True if it did."""
    async with db.unit_of_work() as uow:
        latest_id = await uow.plan_versions.latest_id()
        if latest_id is None or latest_id == holder.version:
            return False
        latest = await uow.plan_versions.latest()
        working, off = await uow.calendar.overrides()
    assert latest is not None
    holder.replace(factory.build(parse_plan(latest.document), working, off), latest.id)
    return True


@dataclass(frozen=True)
class PlanChanged:
    version: int
    changes: tuple[TaskChange, ...]
    notified_chats: int
    moved_points: int


async def put_in_force(
    visit: Visit,
    *,
    new_plan: Plan,
    source: str,
    based_on: int | None = None,
    draft: int | None = None,
) -> tuple[PlanChanged, PlanRuntime]:
    """Record ``new_plan`` as the version in force and tell exactly the agencies it touches.

    The callers have checked the caller's right to make the change: an administrator, or
    for an event's date a member of the task's agencies (``scheduler.usecases.plan_drafts``).
    ``based_on`` is the version the change was made from: a second change made from it
    raises :class:`~scheduler.storage.admin_repo.VersionConflict`. The new runtime is
    returned for the caller to follow once the transaction has committed.
    """
    uow, now, holder = visit.uow, visit.now, visit.core.plans
    old = holder.current
    new = old.with_plan(new_plan)
    changes = diff_plans(old.plan, new.plan, old.points, new.points)
    moves = point_moves(old.points, new.points)
    summary = json.dumps([c.to_json() for c in changes], ensure_ascii=False)
    version = await uow.plan_versions.add(
        document=dump_plan(new_plan),
        source=source,
        now=now,
        by=visit.caller.user_id,
        summary=summary,
        based_on=based_on,
    )
    await uow.statuses.move_points(moves)
    # The calendar events of moved points raise their sequence as of the change.
    await revise_events(uow, new.points, new_plan, now)
    chats = await _notify(uow, now, version, changes)
    await visit.record(
        "plan.change",
        {
            "version": version,
            "before": holder.version,
            "after": version,
            "source": source,
            "draft": draft,
            "changes": [c.to_json() for c in changes],
            "moved_points": moves,
        },
    )
    return PlanChanged(version, tuple(changes), chats, len(moves)), new


async def _notify(
    uow: UnitOfWork, now: dt.datetime, version: int, changes: list[TaskChange]
) -> int:
    if not changes:
        return 0
    agencies = set().union(*(c.concerns for c in changes))
    followers = await uow.subscriptions.followers(
        agencies=agencies, tasks={c.task for c in changes}
    )
    per_chat: dict[int, dict[int, TaskChange]] = defaultdict(dict)
    for sub in followers:
        for change in changes:
            if (sub.kind == Follow.AGENCY and sub.target in change.concerns) or (
                sub.kind != Follow.AGENCY and sub.target == str(change.task)
            ):
                per_chat[sub.chat_id][change.task] = change
    messages = [
        NewMessage(
            chat_id=chat_id,
            control_point=notice_point(version),
            slot="change",
            kind=MessageKind.PLAN_CHANGE,
            due_at=now,
            payload={
                "version": version,
                "changes": [c.to_json() for _, c in sorted(mine.items())],
            },
        )
        for chat_id, mine in per_chat.items()
    ]
    await uow.outbox.enqueue(messages, now)
    return len(messages)


async def acknowledge_change(core: Core, caller: Caller, *, version: int) -> Answer[Refusal | None]:
    """Record that the chat read the notice of ``version``: once per chat.

    Only a chat that was sent the notice of ``version`` may acknowledge it: a button's data
    can be forged, and an acknowledgement from elsewhere would count a chat never told. Any
    other press (a version that does not exist, a chat not told, a second press in a chat
    that acknowledged already) is refused and recorded.
    """
    async with core.visit(caller) as visit:
        uow, chat, user = visit.uow, caller.chat_id, caller.user_id
        if not await uow.plan_versions.exists(version):
            refusal = Refusal.of(Why.NO_SUCH_VERSION, version=version)
        elif (
            chat is None
            or user is None
            or not await uow.outbox.was_sent(chat, notice_point(version), MessageKind.PLAN_CHANGE)
        ):
            refusal = Refusal.of(Why.NOT_NOTIFIED, version=version)
        elif not await uow.plan_versions.acknowledge(version, chat, user, visit.now):
            refusal = Refusal.of(Why.ALREADY_ACKNOWLEDGED, version=version)
        else:
            return visit.answer(None)
        await visit.record("plan.ack", {"version": version, "why": refusal.why}, allowed=False)
        return visit.answer(refusal)


@dataclass(frozen=True)
class ChangeAcks:
    version: int | None
    notified: tuple[int, ...]
    acknowledged: tuple[tuple[int, int, dt.datetime], ...]


async def change_acknowledgements(core: Core, caller: Caller) -> Answer[ChangeAcks | Refusal]:
    """Who was told of the latest administrator's change, and who acknowledged it."""
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin("plan.acks"):
            return visit.answer(refused)
        uow = visit.uow
        point = await uow.outbox.latest_point_of_kind(MessageKind.PLAN_CHANGE)
        if point is None:
            return visit.answer(ChangeAcks(None, (), ()))
        chats = await uow.outbox.chats_of(point)
        number = int(point.removeprefix(NOTICE_PREFIX))
        acks = await uow.plan_versions.acknowledgements(number)
        return visit.answer(ChangeAcks(number, tuple(chats), tuple(acks)))
