"""Reports for those who oversee the plan: the status picture, the weekly digest, the calendar.

The status report is for administrators only; a refused request is recorded in the audit
log, and so is every report an administrator takes. The weekly digest is planned into the
outbox, rendered per chat language when planned, once per ISO week: a durable marker
makes the planning job idempotent, and the outbox's unique key (chat, week, "weekly")
keeps a chat from getting the same week twice even when two instances plan at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from scheduler.calendar_events import revise_events
from scheduler.clock import Clock
from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal
from scheduler.reports.digest import (
    DIGEST_SLOT,
    controlled_tasks,
    controllers,
    is_due,
    scheduled_moment,
    week_key,
)
from scheduler.reports.items import Item, assess
from scheduler.reports.summary import AgencySummary, overall, summarize
from scheduler.storage.calendar_events_repo import EventRevision
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.status_repo import StatusEntry
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.core import Answer, Core, resolve_agency
from scheduler.vocabulary.messages import MessageKind

DIGEST_STATE_KEY = "report.digest.week"
# What /report asks for, by the action the audit log records for it.
REPORT_ACTIONS = {
    "summary": "report.summary",
    "xlsx": "report.xlsx",
    "csv": "report.csv",
    "usage": "report.usage",
}
UPCOMING_DAYS = 7


@dataclass(frozen=True)
class StatusReport:
    """The plan's items and their counts per agency, as of ``as_of`` (UTC)."""

    as_of: dt.datetime
    today: dt.date
    tz: ZoneInfo
    agency_order: tuple[str, ...]
    items: tuple[Item, ...]
    agencies: tuple[AgencySummary, ...]
    totals: AgencySummary

    def scoped(self, tasks: Collection[int] | None) -> StatusReport:
        """The same report limited to ``tasks`` (None keeps the whole plan)."""
        if tasks is None:
            return self
        items = tuple(i for i in self.items if i.point.task in tasks)
        return replace(
            self,
            items=items,
            agencies=tuple(summarize(items, self.agency_order)),
            totals=overall(items),
        )


def build_report(
    runtime: PlanRuntime, latest: Mapping[str, Mapping[str, StatusEntry]], now: dt.datetime
) -> StatusReport:
    """The report over every control point of the plan, from the latest statuses."""
    today = runtime.today(now)
    items = tuple(assess(runtime.points, latest, today, runtime.tz))
    order = tuple(runtime.plan.agency_codes())
    return StatusReport(
        as_of=now,
        today=today,
        tz=runtime.tz,
        agency_order=order,
        items=items,
        agencies=tuple(summarize(items, order)),
        totals=overall(items),
    )


async def _report(uow: UnitOfWork, runtime: PlanRuntime, now: dt.datetime) -> StatusReport:
    latest = await uow.statuses.latest(p.id for p in runtime.points)
    return build_report(runtime, latest, now)


async def status_report(
    core: Core, caller: Caller, *, action: str
) -> Answer[StatusReport | Refusal]:
    """The report for an administrator; anyone else is refused, and both are recorded."""
    async with core.visit(caller) as visit:
        if refused := await visit.refuse_unless_admin(action):
            return visit.answer(refused)
        await visit.record(action)
        return visit.answer(await _report(visit.uow, core.runtime, visit.now))


async def current_report(db: Database, clock: Clock, runtime: PlanRuntime) -> StatusReport:
    """The report for the operator's command line, which needs no permission check."""
    async with db.unit_of_work() as uow:
        return await _report(uow, runtime, clock.now())


@dataclass(frozen=True)
class DigestView:
    """What one digest shows: the report in the reader's scope and the week ahead."""

    week: str
    tasks: frozenset[int] | None
    report: StatusReport
    upcoming: tuple[ControlPoint, ...]


DigestRenderer = Callable[[DigestView, str], str]


@dataclass(frozen=True)
class DigestResult:
    week: str
    due: bool
    already_planned: bool
    chats: int
    planned: int


def _upcoming(
    runtime: PlanRuntime, today: dt.date, tasks: Collection[int] | None
) -> tuple[ControlPoint, ...]:
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    return tuple(
        p
        for p in runtime.points
        if today <= p.effective < end and (tasks is None or p.task in tasks)
    )


async def _recipients(
    uow: UnitOfWork, runtime: PlanRuntime, admins: Sequence[int]
) -> dict[int, frozenset[int] | None]:
    """Each chat and the tasks its digest covers: the whole plan for administrators."""
    scopes: dict[int, frozenset[int] | None] = dict.fromkeys(admins)
    followed: dict[int, set[str]] = {}
    for sub in await uow.subscriptions.followers(agencies=controllers(runtime.plan)):
        followed.setdefault(sub.chat_id, set()).add(sub.target)
    for chat_id, codes in sorted(followed.items()):
        if chat_id not in scopes:
            scopes[chat_id] = controlled_tasks(runtime.plan, codes)
    return scopes


async def _language(uow: UnitOfWork, chat_id: int, default: str) -> str:
    # A private chat's id is its user's id: its language is the user's; a group has its own.
    private = chat_id > 0
    prefs = await uow.contacts.language_prefs(
        chat_id if private else None, None if private else chat_id
    )
    return prefs.resolve(default)


async def plan_weekly_digest(
    core: Core,
    *,
    weekday: str,
    at: dt.time,
    default_language: str,
    render: DigestRenderer,
) -> DigestResult:
    """Plan this week's digest for the administrators and the controlling departments.

    Does nothing before the week's chosen moment, or when the week's digest is planned.
    """
    runtime, now = core.runtime, core.clock.now()
    moment = scheduled_moment(now, weekday, at, runtime.tz)
    week = week_key(moment.date())
    if not is_due(now, weekday, at, runtime.tz):
        return DigestResult(week, due=False, already_planned=False, chats=0, planned=0)
    async with core.db.unit_of_work() as uow:
        if await uow.engine_state.get(DIGEST_STATE_KEY) == week:
            return DigestResult(week, due=True, already_planned=True, chats=0, planned=0)
        report = await _report(uow, runtime, now)
        admins = [*core.admins, *await uow.admins.promoted()]
        scopes = await _recipients(uow, runtime, list(dict.fromkeys(admins)))
        texts: dict[tuple[frozenset[int] | None, str], str] = {}
        messages = []
        for chat_id, tasks in scopes.items():
            language = await _language(uow, chat_id, default_language)
            if (tasks, language) not in texts:
                view = DigestView(
                    week, tasks, report.scoped(tasks), _upcoming(runtime, report.today, tasks)
                )
                texts[tasks, language] = render(view, language)
            messages.append(
                NewMessage(
                    chat_id=chat_id,
                    control_point=week,
                    slot=DIGEST_SLOT,
                    kind=MessageKind.DIGEST,
                    due_at=now,
                    payload={"text": texts[tasks, language], "language": language},
                )
            )
        planned = await uow.outbox.enqueue(messages, now)
        await uow.engine_state.put(DIGEST_STATE_KEY, week, now)
    return DigestResult(week, due=True, already_planned=False, chats=len(scopes), planned=planned)


@dataclass(frozen=True)
class CalendarSelection:
    """The control points to put in a calendar: the whole plan's or one agency's.

    ``revisions`` gives each point's event key and revision (``scheduler.calendar_events``).
    """

    agency: str | None
    points: tuple[ControlPoint, ...]
    revisions: Mapping[str, tuple[str, EventRevision]] = field(default_factory=dict)


def calendar_points(runtime: PlanRuntime, agency: str | None) -> CalendarSelection | Refusal:
    """The control points of the agency ``agency`` names (in any of its spellings), or all."""
    if agency is None:
        return CalendarSelection(None, runtime.points)
    code = resolve_agency(runtime, agency)
    if isinstance(code, Refusal):
        return code
    return CalendarSelection(code, tuple(p for p in runtime.points if code in p.agencies))


async def calendar_for(
    core: Core, caller: Caller, *, agency: str | None
) -> Answer[CalendarSelection | Refusal]:
    """The calendar of the whole plan or of one agency, for anyone who asks.

    What each event shows is recorded first, so that an event whose point moved since the
    last file comes with a higher sequence.
    """
    runtime = core.runtime
    async with core.visit(caller) as visit:
        chosen = calendar_points(runtime, agency)
        if isinstance(chosen, Refusal):
            return visit.answer(chosen)
        revisions = await revise_events(visit.uow, runtime.points, runtime.plan, visit.now)
        return visit.answer(replace(chosen, revisions=revisions))
