"""Status reports: an agency member says a control point is done, in progress or has a problem.

Only members of an agency change that agency's status; anyone else is refused and the
attempt is recorded. Each report is kept verbatim with who sent it, when, and for which
agency and control point; an undo within a few minutes withdraws it without deleting it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.storage.status_repo import DONE, NewStatus, StatusEntry
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.stored_text import storable

STATUSES = ("done", "in_progress", "problem", "postponed")
UNDO_WINDOW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Evidence:
    kind: str
    file_id: str
    name: str | None


@dataclass(frozen=True)
class Report:
    """What a member said, and where: a reminder they answered, or a task number."""

    user_id: int
    chat_id: int
    status: str
    text: str
    source: str
    reminder_id: int | None = None
    reminder_message: int | None = None
    task: int | None = None
    message_id: int | None = None
    evidence: Evidence | None = None


class Refusal(enum.StrEnum):
    NOT_MEMBER = "not_member"
    UNKNOWN_TASK = "unknown_task"
    UNKNOWN_REMINDER = "unknown_reminder"
    NOTHING_OPEN = "nothing_open"
    BAD_STATUS = "bad_status"


@dataclass(frozen=True)
class CoExecutor:
    agency: str
    status: str | None


@dataclass(frozen=True)
class Recorded:
    status_id: int
    point: ControlPoint
    agency: str
    status: str
    closes_point: bool
    co_executors: tuple[CoExecutor, ...]


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    agencies: tuple[str, ...] = ()
    task: int | None = None


async def report_status(
    db: Database, clock: Clock, runtime: PlanRuntime, report: Report
) -> Recorded | Refused:
    if report.status not in STATUSES:
        return Refused(Refusal.BAD_STATUS)
    now = clock.now()
    async with db.unit_of_work() as uow:
        target = await _target(uow, runtime, report, now)
        if isinstance(target, Refused):
            await _record_refusal(uow, report, target, now)
            return target
        point, agency = target
        status_id = await uow.statuses.add(
            NewStatus(
                control_point=point.id,
                task_number=point.task,
                agency=agency,
                status=report.status,
                text=storable(report.text),
                source=report.source,
                user_id=report.user_id,
                chat_id=report.chat_id,
                message_id=report.message_id,
                evidence_kind=report.evidence.kind if report.evidence else None,
                evidence_file_id=report.evidence.file_id if report.evidence else None,
                evidence_name=storable(report.evidence.name or "") or None
                if report.evidence
                else None,
            ),
            now,
        )
        closer = point.consolidator or point.lead
        co: tuple[CoExecutor, ...] = ()
        if agency == closer and len(point.agencies) > 1:
            # The lead is shown where its co-executors stand; nobody else needs the lookup.
            latest = (await uow.statuses.latest([point.id])).get(point.id, {})
            co = tuple(
                CoExecutor(code, latest[code].status if code in latest else None)
                for code in point.agencies
                if code != agency
            )
    return Recorded(
        status_id=status_id,
        point=point,
        agency=agency,
        status=report.status,
        closes_point=agency == closer and report.status == DONE,
        co_executors=co,
    )


async def _target(
    uow: UnitOfWork, runtime: PlanRuntime, report: Report, now: dt.datetime
) -> tuple[ControlPoint, str] | Refused:
    memberships = {m.agency for m in await uow.members.of_user(report.user_id)}
    if report.reminder_id is not None or report.reminder_message is not None:
        item = (
            await uow.outbox.get(report.reminder_id)
            if report.reminder_id is not None
            else await uow.outbox.find_by_message(report.chat_id, report.reminder_message or 0)
        )
        point = runtime.schedule.point(item.control_point) if item is not None else None
        if item is None or point is None or item.chat_id != report.chat_id:
            return Refused(Refusal.UNKNOWN_REMINDER)
        asked = [str(a) for a in item.payload.get("agencies", ())] or list(point.agencies)
        mine = [a for a in point.agencies if a in memberships and a in asked]
        if not mine:
            mine = [a for a in point.agencies if a in memberships]
        if not mine:
            return Refused(Refusal.NOT_MEMBER, tuple(asked), point.task)
        return point, mine[0]
    if report.task is None or not runtime.has_task(report.task):
        return Refused(Refusal.UNKNOWN_TASK, task=report.task)
    task = runtime.plan.task(report.task)
    mine = [r.code for r in task.responsible if r.code in memberships]
    if not mine:
        return Refused(Refusal.NOT_MEMBER, tuple(r.code for r in task.responsible), report.task)
    points = runtime.points_of(report.task)
    latest = await uow.statuses.latest([p.id for p in points])
    for agency in mine:
        point = _current_point(points, agency, latest)
        if point is not None:
            return point, agency
    return Refused(Refusal.NOTHING_OPEN, tuple(mine), report.task)


def _current_point(
    points: Sequence[ControlPoint], agency: str, latest: dict[str, dict[str, StatusEntry]]
) -> ControlPoint | None:
    """The earliest point of the agency that is neither closed nor reported done by it."""
    for point in sorted(points, key=lambda p: (p.effective, p.kind != "deadline", p.id)):
        if agency not in point.agencies:
            continue
        statuses = latest.get(point.id, {})
        closer = point.consolidator or point.lead
        if _done(statuses.get(closer)) or _done(statuses.get(agency)):
            continue
        return point
    return None


def _done(entry: StatusEntry | None) -> bool:
    return entry is not None and entry.status == DONE


async def _record_refusal(
    uow: UnitOfWork, report: Report, refusal: Refused, now: dt.datetime
) -> None:
    await uow.audit.record(
        at=now,
        user_id=report.user_id,
        chat_id=report.chat_id,
        action="status.report",
        allowed=False,
        detail={
            "reason": refusal.reason,
            "status": report.status,
            "task": refusal.task,
            "agencies": list(refusal.agencies),
            "text": report.text[:500],
        },
    )


class UndoResult(enum.StrEnum):
    UNDONE = "undone"
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


async def undo_status(
    db: Database, clock: Clock, *, status_id: int, user_id: int, window: dt.timedelta = UNDO_WINDOW
) -> tuple[UndoResult, StatusEntry | None]:
    now = clock.now()
    async with db.unit_of_work() as uow:
        entry = await uow.statuses.get(status_id)
        if entry is None:
            return UndoResult.UNKNOWN, None
        if entry.user_id != user_id:
            await uow.audit.record(
                at=now,
                user_id=user_id,
                chat_id=None,
                action="status.undo",
                allowed=False,
                detail={"status": status_id},
            )
            return UndoResult.NOT_YOURS, entry
        if now - entry.created_at > window:
            return UndoResult.EXPIRED, entry
        revoked = await uow.statuses.revoke(status_id, now)
        return (UndoResult.UNDONE if revoked else UndoResult.UNKNOWN), entry


async def reminder_for_message(db: Database, chat_id: int, message_id: int) -> int | None:
    """The reminder that Telegram delivered as ``message_id`` in ``chat_id``, if it was one."""
    async with db.unit_of_work() as uow:
        item = await uow.outbox.find_by_message(chat_id, message_id)
    return None if item is None else item.id
