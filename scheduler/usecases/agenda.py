"""A coordinator's own agenda, and the items a status typed out of the blue may be about.

/due lists, by date, the open items of the caller's agencies and of what the chat follows:
each with its state and what is expected (the deadline, or the report to the recipient).
A status typed in a private chat without replying to anything, when the caller's agencies
have open items, is answered with those items to pick from, never only with a hint.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import PointProgress, progress_of
from scheduler.refusals import Refusal, Why
from scheduler.statuses import classify
from scheduler.usecases.core import Answer, Core, Visit
from scheduler.usecases.status_updates import Recorded, Report, record_report
from scheduler.vocabulary.control import ItemState, Source, Status
from scheduler.vocabulary.subscriptions import Follow


class Window(enum.StrEnum):
    """What /due lists: every open item, those due in the next week or month (from today on),
    or those past their date."""

    OPEN = "open"
    WEEK = "week"
    MONTH = "month"
    OVERDUE = "overdue"


DAYS_AHEAD = {Window.WEEK: 7, Window.MONTH: 31}


@dataclass(frozen=True)
class AgendaItem:
    """One agency's open item: the point, its own date, its state, how many working days
    are left (negative: late)."""

    point: ControlPoint
    agency: str
    due: dt.date
    state: ItemState
    working_days_left: int


@dataclass(frozen=True)
class Agenda:
    window: Window
    today: dt.date
    items: tuple[AgendaItem, ...]


async def agenda(core: Core, caller: Caller, *, window: Window) -> Answer[Agenda]:
    """/due: the caller's agencies' and the chat's open items in ``window``, by date."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        agencies, tasks = await _scope(visit)
        points = [
            p for p in runtime.points if p.task in tasks or any(a in agencies for a in p.agencies)
        ]
        progress = await progress_of(visit.uow, points, runtime.control)
        today = runtime.today(visit.now)
        items = []
        for point in points:
            found = progress[point.id]
            if found.closed:
                continue
            for agency in point.agencies:
                if point.task not in tasks and agency not in agencies:
                    continue
                item = _item(found, agency, today, runtime)
                if item is not None and _within(item, window, today):
                    items.append(item)
        items.sort(key=lambda i: (i.due, i.point.task, i.point.id, i.agency))
        return visit.answer(Agenda(window, today, tuple(items)))


async def _scope(visit: Visit) -> tuple[set[str], set[int]]:
    """The agencies the caller belongs to or the chat follows, and the tasks it follows."""
    caller = visit.caller
    agencies = {m.agency for m in await visit.uow.members.of_user(caller.user_id or 0)}
    tasks: set[int] = set()
    for sub in await visit.uow.subscriptions.of_chat(caller.chat_id or 0):
        if sub.kind == Follow.AGENCY:
            agencies.add(sub.target)
        elif sub.target.isascii() and sub.target.isdigit():
            tasks.add(int(sub.target))
    return agencies, tasks


def _item(
    found: PointProgress, agency: str, today: dt.date, runtime: PlanRuntime
) -> AgendaItem | None:
    standing = found.standing(agency)
    if standing.state in (ItemState.DONE, ItemState.ACCEPTED):
        return None
    due = found.due(agency)
    left = runtime.calendar.working_days_between(today, due)
    return AgendaItem(found.point, agency, due, standing.state, left)


def _within(item: AgendaItem, window: Window, today: dt.date) -> bool:
    """Overdue items are their own window; a week or a month looks ahead from today."""
    if window is Window.OVERDUE:
        return item.due < today
    if window in DAYS_AHEAD:
        return today <= item.due <= today + dt.timedelta(days=DAYS_AHEAD[window])
    return True


@dataclass(frozen=True)
class Pick:
    """A status typed out of the blue, and the open items it may be about (one: to confirm)."""

    status: Status
    items: tuple[AgendaItem, ...]


async def pick_item(core: Core, caller: Caller, *, text: str) -> Answer[Pick | Refusal]:
    """The caller's open items a typed status may be about; a refusal when it states none."""
    runtime = core.runtime
    reading = classify(text) if text.strip() else None
    async with core.visit(caller) as visit:
        if reading is None or reading.status is None:
            return visit.answer(Refusal.of(Why.NOT_A_REMINDER))
        mine = {m.agency for m in await visit.uow.members.of_user(caller.user_id or 0)}
        items = await current_items(visit, runtime, mine)
        if not items:
            return visit.answer(Refusal.of(Why.NOT_A_REMINDER))
        return visit.answer(Pick(reading.status, tuple(items)))


async def current_items(
    visit: Visit, runtime: PlanRuntime, agencies: Iterable[str]
) -> list[AgendaItem]:
    """Each task's earliest point at which one of ``agencies`` is still chased, by date."""
    codes = set(agencies)
    points = sorted(
        (p for p in runtime.points if codes & set(p.agencies)),
        key=lambda p: (p.effective, p.kind != "deadline", p.id),
    )
    progress = await progress_of(visit.uow, points, runtime.control)
    today = runtime.today(visit.now)
    found: dict[tuple[int, str], AgendaItem] = {}
    for point in points:
        for agency in point.agencies:
            fresh = agency in codes and (point.task, agency) not in found
            if fresh and progress[point.id].chased(agency):
                item = _item(progress[point.id], agency, today, runtime)
                if item is not None:
                    found[(point.task, agency)] = item
    return sorted(found.values(), key=lambda i: (i.due, i.point.task, i.agency))


async def report_picked(
    core: Core,
    caller: Caller,
    *,
    point_id: str,
    agency_index: int,
    status: Status,
    text: str,
    message_id: int | None,
) -> Answer[Recorded | Refusal]:
    """The item picked for a typed status (the ``agency_index``-th agency of the point):
    recorded as if it answered that item's reminder."""
    runtime = core.runtime
    point = runtime.schedule.point(point_id)
    agencies = point.agencies if point is not None else ()
    agency = agencies[agency_index] if 0 <= agency_index < len(agencies) else None
    async with core.visit(caller) as visit:
        if agency is None:
            return visit.answer(Refusal.of(Why.UNKNOWN_REMINDER))
        report = Report(
            status=status,
            text=text,
            source=Source.BUTTON,
            point_id=point_id,
            agency=agency,
            message_id=message_id,
        )
        return visit.answer(await record_report(visit, runtime, report))
