"""The controllers' dashboard: what one person may see of the plan's state, read in one go.

Who sees what: an administrator the whole plan; a controller of a controlling department
every agency's part of the tasks it controls; a member of an agency that agency's part of
its tasks (someone both sees both). Anyone else sees nothing. Everything is read in one
transaction that writes nothing: the dashboard changes no state and records no visit.
The figures are the status report's (``/report``), limited to what the person sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import Caller, LanguagePrefs, interface_language
from scheduler.plan.model import Task
from scheduler.refusals import Refusal, Why
from scheduler.reports.digest import controlled_tasks
from scheduler.reports.discipline import Discipline
from scheduler.reports.items import Item
from scheduler.reports.matrix import Cell, Coming, Late, matrix, overdue, timeline
from scheduler.storage.requests_repo import ExtensionState
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.usecases.core import Answer, Core, unknown_task
from scheduler.usecases.plan_reports import StatusReport, report_in
from scheduler.vocabulary.control import Decision, Status
from scheduler.vocabulary.history import Happened
from scheduler.vocabulary.roles import Role

TIMELINE_DAYS = 30
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Scope:
    """What one person may see: everything, the tasks they control, their agencies' parts."""

    admin: bool
    tasks: frozenset[int]
    agencies: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.admin and not self.tasks and not self.agencies

    def sees(self, task: int, agency: str) -> bool:
        return self.admin or task in self.tasks or agency in self.agencies


@dataclass(frozen=True)
class Dashboard:
    """The views of the dashboard, over what ``scope`` sees."""

    scope: Scope
    report: StatusReport
    cells: tuple[Cell, ...]
    late: tuple[Late, ...]
    coming: tuple[Coming, ...]
    discipline: tuple[Discipline, ...]


@dataclass(frozen=True)
class Event:
    """One line of a task's history: who did what for which agency, when."""

    at: dt.datetime
    happened: Happened
    agency: str
    point: str
    who: str
    text: str = ""
    status: Status | None = None
    day: dt.date | None = None


@dataclass(frozen=True)
class TaskView:
    """A task's card: its items in view at every point, and its history, newest first."""

    task: Task
    items: tuple[Item, ...]
    events: tuple[Event, ...]
    today: dt.date
    tz: dt.tzinfo


async def _scope(core: Core, uow: UnitOfWork, user_id: int) -> Scope:
    admin = await core.is_admin(uow, user_id)
    members = await uow.members.of_user(user_id)
    departments = {m.agency for m in members if m.role == Role.CONTROLLER}
    return Scope(
        admin=admin,
        tasks=controlled_tasks(core.runtime.plan, departments),
        agencies=frozenset(m.agency for m in members),
    )


async def _prefs(uow: UnitOfWork, user_id: int, telegram_language: str | None) -> LanguagePrefs:
    stored = await uow.contacts.language_prefs(user_id, None)
    return LanguagePrefs(stored.user, None, interface_language(telegram_language))


async def dashboard(
    core: Core, user_id: int, *, telegram_language: str | None = None
) -> Answer[Dashboard | Refusal]:
    """The dashboard of ``user_id``, in the language they chose, else their Telegram's."""
    runtime = core.runtime
    async with core.db.unit_of_work() as uow:
        prefs = await _prefs(uow, user_id, telegram_language)
        scope = await _scope(core, uow, user_id)
        if scope.empty:
            return Answer(Refusal.of(Why.NO_DASHBOARD), prefs)
        now = core.clock.now()
        report = (await report_in(uow, runtime, now)).limited(scope.sees)
    return Answer(
        Dashboard(
            scope=scope,
            report=report,
            cells=matrix(report.items),
            late=overdue(report.items, report.today, report.calendar),
            coming=timeline(report.items, report.today, TIMELINE_DAYS),
            discipline=tuple(report.discipline()),
        ),
        prefs,
    )


async def dashboard_task(
    core: Core, user_id: int, number: int, *, telegram_language: str | None = None
) -> Answer[TaskView | Refusal]:
    """Task ``number``'s card and history, limited to the agencies ``user_id`` sees."""
    runtime = core.runtime
    async with core.db.unit_of_work() as uow:
        prefs = await _prefs(uow, user_id, telegram_language)
        scope = await _scope(core, uow, user_id)
        if scope.empty:
            return Answer(Refusal.of(Why.NO_DASHBOARD), prefs)
        if not runtime.has_task(number):
            return Answer(unknown_task(runtime, number), prefs)
        task = runtime.plan.task(number)
        if not any(scope.sees(number, r.code) for r in task.responsible):
            return Answer(Refusal.of(Why.TASK_NOT_SHOWN, task=number), prefs)
        now = core.clock.now()
        report = (await report_in(uow, runtime, now)).limited(
            lambda t, agency: t == number and scope.sees(t, agency)
        )
        events = await _history(uow, number, scope)
    return Answer(TaskView(task, report.items, events, report.today, runtime.tz), prefs)


async def _history(uow: UnitOfWork, number: int, scope: Scope) -> tuple[Event, ...]:
    reports = [
        e
        for e in await uow.statuses.history(task_number=number, limit=HISTORY_LIMIT)
        if scope.sees(number, e.agency)
    ]
    asked = [
        x
        for x in await uow.extensions.of_task(number, limit=HISTORY_LIMIT)
        if scope.sees(number, x.agency)
    ]
    people = {e.user_id for e in reports}
    people |= {e.review.by for e in reports if e.review is not None and e.review.by}
    people |= {x.by for x in asked} | {x.decided_by for x in asked if x.decided_by}
    names = await uow.contacts.names(people)

    def who(user: int | None) -> str:
        return names.get(user, str(user)) if user else ""

    events: list[Event] = []
    for entry in reports:
        events.append(
            Event(
                entry.created_at,
                Happened.REPORTED,
                entry.agency,
                entry.control_point,
                who(entry.user_id),
                entry.text,
                status=entry.status,
            )
        )
        review = entry.review
        if review is not None:
            accepted = review.decision is Decision.ACCEPT
            events.append(
                Event(
                    review.at,
                    Happened.ACCEPTED if accepted else Happened.RETURNED,
                    entry.agency,
                    entry.control_point,
                    who(review.by),
                    review.comment,
                    day=review.new_date,
                )
            )
    for request in asked:
        events.append(
            Event(
                request.at,
                Happened.EXTENSION_ASKED,
                request.agency,
                request.control_point,
                who(request.by),
                request.reason,
                day=request.requested_due,
            )
        )
        if request.decided_at is not None:
            approved = request.state is ExtensionState.APPROVED
            events.append(
                Event(
                    request.decided_at,
                    Happened.EXTENSION_APPROVED if approved else Happened.EXTENSION_REFUSED,
                    request.agency,
                    request.control_point,
                    who(request.decided_by),
                    request.decision_reason,
                    day=request.requested_due if approved else None,
                )
            )
    events.sort(key=lambda e: e.at, reverse=True)
    return tuple(events)


async def dashboard_offer(core: Core, caller: Caller) -> Answer[Scope | Refusal]:
    """/dashboard: whether the caller has anything to see there (the button is offered)."""
    async with core.visit(caller) as visit:
        scope = await _scope(core, visit.uow, caller.user_id or 0)
        return visit.answer(Refusal.of(Why.NO_DASHBOARD) if scope.empty else scope)
