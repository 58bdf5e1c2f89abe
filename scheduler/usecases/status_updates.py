"""Status updates: an agency member says a control point is done, in progress or has a problem.

Only members of an agency change that agency's status; anyone else is refused and the
attempt is recorded. Each report is kept verbatim with who sent it, when, and for which
agency and control point, and written to the audit log with the item's state before and
after it, in the same transaction; an undo within a few minutes withdraws it without
deleting it, and is audited too. The closer's report of done goes to the task's controllers
for acceptance when acceptance is required (``scheduler.usecases.reviews``). A question's
buttons (``Clarify``) remember the agency's latest report when they were offered: pressed
after a later report (a stale question), they record nothing and say it is recorded already.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import PointProgress, progress_of
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.status_repo import NewStatus, StatusEntry
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Answer, Core, Visit, unknown_task
from scheduler.usecases.reviews import ask_acceptance
from scheduler.usecases.stored_text import storable
from scheduler.vocabulary.control import ITEM_STATES, ItemState, Source, Status

UNDO_WINDOW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Evidence:
    """A document or photo sent with a report; Telegram's file id finds it again."""

    kind: str
    file_id: str
    name: str | None


@dataclass(frozen=True)
class Report:
    """What a member said, and where: a reminder they answered, or a task number."""

    status: Status
    text: str
    source: Source
    reminder_id: int | None = None
    reminder_message: int | None = None
    task: int | None = None
    message_id: int | None = None
    evidence: Evidence | None = None
    # An item picked by name: a point and one of its agencies.
    point_id: str | None = None
    agency: str | None = None
    # A question's button: the agency's latest report when the question was asked (0: none).
    asked_after: int | None = None


@dataclass(frozen=True)
class Reply:
    """A message sent in reply to one of the bot's: text (or a caption), perhaps a file."""

    text: str
    replied_to: int
    message_id: int
    evidence: Evidence | None = None


def report_of_reply(status: Status, reply: Reply) -> Report:
    """The report a reply to a reminder makes, once its text was read as ``status``."""
    return Report(
        status=status,
        text=reply.text,
        source=Source.REPLY,
        reminder_message=reply.replied_to,
        message_id=reply.message_id,
        evidence=reply.evidence,
    )


@dataclass(frozen=True)
class ReadAhead:
    """What reports recorded together in one transaction read for all of them at once.

    ``agencies``: each caller's agencies by user id (a caller not in it belongs to none);
    ``latest``: every agency's latest report at the points read ahead, as
    ``StatusRepository.latest`` gives it, with an empty entry for a point nobody reported on
    (a point not in it is read as usual). Each report recorded with it puts itself into
    ``latest``, so the next one sees it, as it would have read it.
    """

    agencies: Mapping[int, frozenset[str]]
    latest: dict[str, dict[str, StatusEntry]]


@dataclass(frozen=True)
class CoExecutor:
    agency: str
    status: Status | None


@dataclass(frozen=True)
class Recorded:
    """A report stored: the item's state now, and who it went to.

    ``closes_point``: the closer's report of done closed the point (no acceptance needed);
    ``controllers`` counts the chats of the controllers asked to accept it;
    ``interim_request`` is the controller's request it answered, passed on to them.
    """

    status_id: int
    point: ControlPoint
    agency: str
    status: Status
    state: ItemState
    closes_point: bool
    co_executors: tuple[CoExecutor, ...]
    controllers: int = 0
    interim_request: int | None = None


@dataclass(frozen=True)
class Clarify:
    """The reply states no single status: ask, with one button per status in ``options``.

    ``candidates`` are what the text could mean (empty when nothing was recognised);
    ``latest`` is the id of the caller's agencies' latest report at the point (0: none), for
    the buttons to carry.
    """

    reminder_id: int
    candidates: tuple[Status, ...]
    options: tuple[Status, ...]
    latest: int = 0


async def report_status(core: Core, caller: Caller, report: Report) -> Answer[Recorded | Refusal]:
    """Record ``report`` for the caller's agency at the control point it names."""
    async with core.visit(caller) as visit:
        return visit.answer(await record_report(visit, core.runtime, report))


async def record_report(
    visit: Visit,
    runtime: PlanRuntime,
    report: Report,
    *,
    reminder: OutboxItem | None = None,
    known: ReadAhead | None = None,
) -> Recorded | Refusal:
    """Store ``report`` and say where its item stands now, or why it was not stored.

    ``reminder`` is the message the report answers, when the caller has read it already;
    ``known`` what was read ahead for it and the reports recorded with it.
    """
    uow, caller = visit.uow, visit.caller
    if caller.user is None or caller.chat is None:
        return Refusal.of(Why.UNCLEAR)
    target = await _target(uow, runtime, caller, report, reminder, known)
    if isinstance(target, Refusal):
        detail = {"task": None, "agencies": (), **target.params}
        detail.update(reason=target.why, status=report.status, text=report.text[:500])
        await visit.record("status.report", detail, allowed=False)
        return target
    point, agency = target
    # Where the item stands is all this needs; its moved dates are not read.
    if known is not None and point.id in known.latest:
        before = PointProgress.of(point, known.latest, runtime.control)
    else:
        before = (await progress_of(uow, [point], runtime.control, dates=False))[point.id]
    last = before.latest.get(agency)
    if report.asked_after is not None and last is not None and last.id > report.asked_after:
        # A question answered after the agency reported at this point: nothing new to record.
        return Refusal.of(Why.ALREADY_RECORDED, task=point.task, status=last.status)
    # A done for a closed item changes nothing; one for an item awaiting acceptance is a new
    # report (a document sent after the first message, say) that its controllers decide on.
    if report.status is Status.DONE and ITEM_STATES[before.own_state(agency)].closes:
        entry = before.latest[agency]
        made = entry.created_at.astimezone(runtime.tz).date()
        return Refusal.of(Why.ALREADY_REPORTED, task=point.task, agency=agency, date=made)
    evidence = report.evidence
    new = NewStatus(
        control_point=point.id,
        task_number=point.task,
        agency=agency,
        status=report.status,
        text=storable(report.text),
        source=report.source,
        user_id=caller.user.id,
        chat_id=caller.chat.id,
        message_id=report.message_id,
        evidence_kind=evidence.kind if evidence else None,
        evidence_file_id=evidence.file_id if evidence else None,
        evidence_name=(storable(evidence.name or "") or None) if evidence else None,
    )
    status_id = await uow.statuses.add(new, visit.now)
    # The new report is its agency's latest; the others' are as read before it.
    after = before.with_report(StatusEntry.stored(new, status_id, visit.now))
    if known is not None:
        known.latest[point.id] = dict(after.latest)
    state = after.own_state(agency)
    await visit.record(
        "status.report",
        {
            "status_id": status_id,
            "task": point.task,
            "point": point.id,
            "agency": agency,
            "source": report.source,
            "before": before.own_state(agency),
            "after": state,
            "text": report.text[:500],
        },
    )
    controllers = 0
    if state is ItemState.AWAITING_ACCEPTANCE:
        controllers = await ask_acceptance(visit, runtime, new, status_id)
    co: tuple[CoExecutor, ...] = ()
    if agency == point.closer and len(point.agencies) > 1:
        # The closer is shown where its co-executors stand; nobody else needs them.
        co = tuple(
            CoExecutor(code, after.latest[code].status if code in after.latest else None)
            for code in point.agencies
            if code != agency
        )
    return Recorded(
        status_id=status_id,
        point=point,
        agency=agency,
        status=report.status,
        state=state,
        closes_point=agency == point.closer and after.closed,
        co_executors=co,
        controllers=controllers,
    )


async def _target(
    uow: UnitOfWork,
    runtime: PlanRuntime,
    caller: Caller,
    report: Report,
    reminder: OutboxItem | None,
    known: ReadAhead | None,
) -> tuple[ControlPoint, str] | Refusal:
    if known is None:
        memberships = {m.agency for m in await uow.members.of_user(caller.user_id or 0)}
    else:
        memberships = set(known.agencies.get(caller.user_id or 0, ()))
    if report.point_id is not None:
        point = runtime.schedule.point(report.point_id)
        if point is None or report.agency not in point.agencies:
            return Refusal.of(Why.UNKNOWN_REMINDER)
        if report.agency not in memberships:
            return Refusal.of(Why.NOT_MEMBER, agencies=(report.agency,), task=point.task)
        return point, report.agency
    if report.reminder_id is not None or report.reminder_message is not None:
        if reminder is not None:
            item: OutboxItem | None = reminder
        elif report.reminder_id is not None:
            item = await uow.outbox.get(report.reminder_id)
        else:
            item = await uow.outbox.find_by_message(
                caller.chat_id or 0, report.reminder_message or 0
            )
        point = runtime.schedule.point(item.control_point) if item is not None else None
        if item is None or point is None or item.chat_id != caller.chat_id:
            return Refusal.of(Why.UNKNOWN_REMINDER)
        asked = [str(a) for a in item.payload.get("agencies", ())] or list(point.agencies)
        mine = [a for a in point.agencies if a in memberships and a in asked]
        if not mine:
            mine = [a for a in point.agencies if a in memberships]
        if not mine:
            return Refusal.of(Why.NOT_MEMBER, agencies=tuple(asked), task=point.task)
        return point, mine[0]
    if report.task is None or not runtime.has_task(report.task):
        return unknown_task(runtime, report.task)
    task = runtime.plan.task(report.task)
    mine = [r.code for r in task.responsible if r.code in memberships]
    if not mine:
        agencies = tuple(r.code for r in task.responsible)
        return Refusal.of(Why.NOT_MEMBER, agencies=agencies, task=report.task)
    points = sorted(
        runtime.points_of(report.task), key=lambda p: (p.effective, p.kind != "deadline", p.id)
    )
    progress = await progress_of(uow, points, runtime.control)
    for agency in mine:
        # The earliest point at which the agency is still chased.
        for point in points:
            if agency in point.agencies and progress[point.id].chased(agency):
                return point, agency
    return Refusal.of(Why.NOTHING_OPEN, agencies=tuple(mine), task=report.task)


async def latest_of_mine(uow: UnitOfWork, caller: Caller, point_id: str) -> int:
    """The id of the latest valid report at the point by an agency the caller belongs to."""
    mine = {m.agency for m in await uow.members.of_user(caller.user_id or 0)}
    latest = (await uow.statuses.latest([point_id])).get(point_id, {})
    return max((e.id for agency, e in latest.items() if agency in mine), default=0)


class UndoResult(enum.StrEnum):
    UNDONE = "undone"
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"


async def undo_status(
    core: Core, caller: Caller, *, status_id: int, window: dt.timedelta = UNDO_WINDOW
) -> Answer[UndoResult]:
    """Withdraw the caller's own report within ``window``; anyone else's is refused."""
    async with core.visit(caller) as visit:
        return visit.answer(await _undo(visit, status_id, window))


async def _undo(visit: Visit, status_id: int, window: dt.timedelta) -> UndoResult:
    entry = await visit.uow.statuses.get(status_id)
    if entry is None:
        return UndoResult.UNKNOWN
    if entry.user_id != visit.caller.user_id:
        await visit.record("status.undo", {"status": status_id}, allowed=False)
        return UndoResult.NOT_YOURS
    if visit.now - entry.created_at > window:
        return UndoResult.EXPIRED
    revoked = await visit.uow.statuses.revoke(status_id, visit.now)
    if revoked is None:
        return UndoResult.UNKNOWN
    point = revoked.control_point
    back = (await visit.uow.statuses.latest([point])).get(point, {}).get(revoked.agency)
    await visit.record(
        "status.undo",
        {
            "status": status_id,
            "task": revoked.task_number,
            "point": point,
            "agency": revoked.agency,
            "before": revoked.status,
            "after": back.status if back is not None else None,
        },
    )
    return UndoResult.UNDONE
