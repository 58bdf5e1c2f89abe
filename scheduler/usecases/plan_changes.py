"""Changing the plan in force: a new version, its differences, and who must hear of them.

The database keeps every version; the newest is the plan every instance follows. A plan
file that changed on disk since it was last loaded becomes a new version at start. A
change by an administrator (an edit or an uploaded file) carries the reports of moved
control points over to their new dates, and each affected agency's followers are sent
only the changes that concern them, with an "acknowledged" button.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.delivery.outbox import NewMessage
from scheduler.plan.decree_import import DecreeImportError
from scheduler.plan.diff import TaskChange, diff_plans, point_moves
from scheduler.plan.edits import EditError, change_agencies, change_deadline, change_reports
from scheduler.plan.model import Plan
from scheduler.plan.plan_files import import_plan_file
from scheduler.plan.serialize import dump_plan
from scheduler.plan.table_files import MAX_FILE_BYTES, format_of
from scheduler.plan.table_problems import TableImportError, TableProblem
from scheduler.plan.validation import PlanError, parse_plan
from scheduler.plan_runtime import PlanHolder, RuntimeFactory
from scheduler.storage.subscriptions_repo import AGENCY
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.administration import NotAdmin, admin_only, check_admin

PLAN_CHANGE = "plan_change"
# A plan file is small: the 2015–2016 plan is about 60 KB; far more is surely a mistake.
MAX_PLAN_BYTES = 2 * 1024 * 1024


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
    db: Database,
    clock: Clock,
    holder: PlanHolder,
    *,
    actor: int,
    new_plan: Plan,
    source: str,
) -> PlanChanged:
    """Put ``new_plan`` in force and tell exactly the agencies it touches.

    The callers have checked that ``actor`` may make the change: an administrator, or for an
    event's date a member of the task's agencies (:mod:`scheduler.usecases.event_dates`).
    """
    now = clock.now()
    old = holder.current
    new = old.with_plan(new_plan)
    changes = diff_plans(old.plan, new.plan, old.points, new.points)
    moves = point_moves(old.points, new.points)
    async with db.unit_of_work() as uow:
        summary = json.dumps([c.to_json() for c in changes], ensure_ascii=False)
        version = await uow.plan_versions.add(
            document=dump_plan(new_plan), source=source, now=now, by=actor, summary=summary
        )
        await uow.statuses.move_points(moves)
        chats = await _notify(uow, now, version, changes)
        await uow.audit.record(
            at=now,
            user_id=actor,
            chat_id=None,
            action="plan.change",
            allowed=True,
            detail={
                "version": version,
                "before": holder.version,
                "after": version,
                "source": source,
                "changes": [c.to_json() for c in changes],
                "moved_points": moves,
            },
        )
    holder.replace(new, version)
    return PlanChanged(version, tuple(changes), chats, len(moves))


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
            if (sub.kind == AGENCY and sub.target in change.concerns) or (
                sub.kind != AGENCY and sub.target == str(change.task)
            ):
                per_chat[sub.chat_id][change.task] = change
    messages = [
        NewMessage(
            chat_id=chat_id,
            control_point=f"plan:{version}",
            slot="change",
            kind=PLAN_CHANGE,
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


async def acknowledge_change(
    db: Database, clock: Clock, *, version: int, chat_id: int, user_id: int
) -> bool:
    async with db.unit_of_work() as uow:
        return await uow.plan_versions.acknowledge(version, chat_id, user_id, clock.now())


@dataclass(frozen=True)
class ChangeAcks:
    version: int | None
    notified: tuple[int, ...]
    acknowledged: tuple[tuple[int, int, dt.datetime], ...]


async def change_acknowledgements(
    db: Database, clock: Clock, *, actor: int, configured: tuple[int, ...]
) -> ChangeAcks | NotAdmin:
    """Who was told of the latest administrator's change, and who acknowledged it."""
    async with db.unit_of_work() as uow:
        if not await check_admin(
            uow, actor=actor, configured=configured, action="plan.acks", now=clock.now()
        ):
            return NotAdmin("plan.acks")
        point = await uow.outbox.latest_point_of_kind(PLAN_CHANGE)
        if point is None:
            return ChangeAcks(None, (), ())
        chats = await uow.outbox.chats_of(point)
        number = int(point.split(":", 1)[1])
        acks = await uow.plan_versions.acknowledgements(number)
    return ChangeAcks(number, tuple(chats), tuple(acks))


EDITS = {"deadline": change_deadline, "reports": change_reports, "agencies": change_agencies}


@dataclass(frozen=True)
class Rejected:
    """The new plan or the edit is invalid; nothing changed. One line per problem.

    A refused table carries its problems ``coded`` as well, to be told in the reader's language.
    """

    problems: tuple[str, ...]
    coded: tuple[TableProblem, ...] = ()


async def edit_task(
    db: Database,
    clock: Clock,
    holder: PlanHolder,
    *,
    actor: int,
    configured: tuple[int, ...],
    field: str,
    task: int,
    value: str,
) -> PlanChanged | Rejected | NotAdmin:
    """Change one task's deadline, reporting dates or agencies, and put the result in force."""
    refused = await admin_only(
        db,
        clock,
        actor=actor,
        configured=configured,
        action="plan.edit",
        detail={"field": field, "task": task, "value": value},
    )
    if refused is not None:
        return refused
    try:
        new_plan = EDITS[field](holder.current.plan, task, value)
    except EditError as exc:
        return Rejected(tuple(exc.problems))
    return await put_in_force(db, clock, holder, actor=actor, new_plan=new_plan, source="edit")


async def upload_plan(
    db: Database,
    clock: Clock,
    holder: PlanHolder,
    *,
    actor: int,
    configured: tuple[int, ...],
    fetch: Callable[[], Awaitable[bytes]],
    name: str,
    size: int,
) -> PlanChanged | Rejected | NotAdmin:
    """Put an uploaded plan file in force if it is valid; otherwise keep the running plan.

    A ``.json`` file is a plan file; an ``.xlsx``, ``.csv`` or ``.docx`` one is a plan table
    (or the decree's Word form), imported as ``plan import`` does, its agencies keeping the
    codes the plan in force gives their names. The file is fetched only once the sender is
    known to be an administrator.
    """
    refused = await admin_only(
        db,
        clock,
        actor=actor,
        configured=configured,
        action="plan.upload",
        detail={"file": name, "bytes": size},
    )
    if refused is not None:
        return refused
    table = format_of(name)
    if table is not None:
        if size > MAX_FILE_BYTES:
            return _refused([TableProblem("too_big", {"size": size, "limit": MAX_FILE_BYTES})])
        try:
            new_plan = import_plan_file(
                await fetch(), name, known_agencies=holder.current.plan.agencies
            ).plan
        except TableImportError as exc:
            return _refused(exc.problems)
        except DecreeImportError as exc:
            return _refused([TableProblem("invalid", {"message": str(exc)})])
        return await put_in_force(
            db, clock, holder, actor=actor, new_plan=new_plan, source="upload"
        )
    if size > MAX_PLAN_BYTES:
        return Rejected(
            (f"{name}: the file has {size} bytes; a plan file may have at most {MAX_PLAN_BYTES}",)
        )
    raw = await fetch()
    try:
        new_plan = parse_plan(raw, source=name)
    except PlanError as exc:
        return Rejected(tuple(str(p) for p in exc.problems))
    return await put_in_force(db, clock, holder, actor=actor, new_plan=new_plan, source="upload")


def _refused(problems: Sequence[TableProblem]) -> Rejected:
    return Rejected(tuple(p.english() for p in problems), tuple(problems))
