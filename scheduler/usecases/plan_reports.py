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
from scheduler.plan.control_points import ControlPoint, in_force_from
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import PointProgress, progress_of, untouched
from scheduler.refusals import Refusal, Why
from scheduler.reports.digest import (
    DIGEST_SLOT,
    controlled_tasks,
    controllers,
    is_due,
    scheduled_moment,
    week_key,
)
from scheduler.reports.discipline import Discipline, Period, PeriodName, discipline, named_period
from scheduler.reports.items import Item, assess
from scheduler.reports.summary import AgencySummary, overall, summarize
from scheduler.storage.calendar_events_repo import EventRevision
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.unit_of_work import Database, UnitOfWork
from scheduler.usecases.core import Answer, Core, resolve_agency
from scheduler.usecases.oversight import tasks_controlled
from scheduler.vocabulary.messages import MessageKind
from scheduler.workdays import WorkingCalendar

DIGEST_STATE_KEY = "report.digest.week"
# What /report asks for, by the action the audit log records for it.
REPORT_ACTIONS = {
    "summary": "report.summary",
    "xlsx": "report.xlsx",
    "csv": "report.csv",
    "discipline": "report.discipline",
    "usage": "report.usage",
}
UPCOMING_DAYS = 7


@dataclass(frozen=True)
class StatusReport:
    """The plan's items and their counts per agency, as of ``as_of`` (UTC).

    ``period`` is the span its discipline figures cover; ``returns`` and ``extensions`` count,
    by agency and task, the reports returned and the extensions asked (and granted) in it;
    ``extended`` is the date the latest granted extension gave an item, by point and agency.
    """

    as_of: dt.datetime
    today: dt.date
    tz: ZoneInfo
    agency_order: tuple[str, ...]
    items: tuple[Item, ...]
    agencies: tuple[AgencySummary, ...]
    totals: AgencySummary
    period: Period
    calendar: WorkingCalendar
    returns: Mapping[tuple[str, int], int] = field(default_factory=dict)
    extensions: Mapping[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    extended: Mapping[tuple[str, str], dt.date] = field(default_factory=dict)

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
            returns={k: n for k, n in self.returns.items() if k[1] in tasks},
            extensions={k: n for k, n in self.extensions.items() if k[1] in tasks},
        )

    def limited(self, keep: Callable[[int, str], bool]) -> StatusReport:
        """The same report over the items whose task and agency ``keep`` accepts."""
        items = tuple(i for i in self.items if keep(i.point.task, i.agency))
        return replace(
            self,
            items=items,
            agencies=tuple(summarize(items, self.agency_order)),
            totals=overall(items),
            returns={k: n for k, n in self.returns.items() if keep(k[1], k[0])},
            extensions={k: n for k, n in self.extensions.items() if keep(k[1], k[0])},
        )

    def discipline(self) -> list[Discipline]:
        """Each agency's executive discipline over the period."""
        returns: dict[str, int] = {}
        for (agency, _), n in self.returns.items():
            returns[agency] = returns.get(agency, 0) + n
        extensions: dict[str, tuple[int, int]] = {}
        for (agency, _), (asked, granted) in self.extensions.items():
            before = extensions.get(agency, (0, 0))
            extensions[agency] = (before[0] + asked, before[1] + granted)
        return discipline(
            self.items,
            self.agency_order,
            self.period,
            self.today,
            self.calendar,
            returns=returns,
            extensions=extensions,
            extended=self.extended,
        )


def default_period(runtime: PlanRuntime, today: dt.date) -> Period:
    """The plan so far: from the day it took effect to today."""
    return named_period(PeriodName.PLAN, today, in_force_from(runtime.plan))


def period_of(runtime: PlanRuntime, today: dt.date, period: Period | PeriodName | None) -> Period:
    """The days a report's discipline covers: as given, as named, or the plan so far."""
    if isinstance(period, Period):
        return period
    return named_period(period or PeriodName.PLAN, today, in_force_from(runtime.plan))


def build_report(
    runtime: PlanRuntime,
    progress: Mapping[str, PointProgress] | None,
    now: dt.datetime,
    *,
    period: Period | None = None,
    returns: Mapping[tuple[str, int], int] | None = None,
    extensions: Mapping[tuple[str, int], tuple[int, int]] | None = None,
    extended: Mapping[tuple[str, str], dt.date] | None = None,
) -> StatusReport:
    """The report over every control point of the plan; None: nothing reported yet."""
    today = runtime.today(now)
    found = progress if progress is not None else untouched(runtime.points, runtime.control)
    items = tuple(assess(runtime.points, found, today, runtime.tz))
    order = tuple(runtime.plan.agency_codes())
    return StatusReport(
        as_of=now,
        today=today,
        tz=runtime.tz,
        agency_order=order,
        items=items,
        agencies=tuple(summarize(items, order)),
        totals=overall(items),
        period=period or default_period(runtime, today),
        calendar=runtime.calendar,
        returns=returns or {},
        extensions=extensions or {},
        extended=extended or {},
    )


async def _report(
    uow: UnitOfWork,
    runtime: PlanRuntime,
    now: dt.datetime,
    period: Period | PeriodName | None = None,
) -> StatusReport:
    progress = await progress_of(uow, runtime.points, runtime.control)
    span = period_of(runtime, runtime.today(now), period)
    granted = await uow.item_deadlines.current(progress, cause="extension")
    start = dt.datetime.combine(span.start, dt.time(0), tzinfo=runtime.tz)
    end = dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time(0), tzinfo=runtime.tz)
    return build_report(
        runtime,
        progress,
        now,
        period=span,
        returns=await uow.reviews.returns(start, end),
        extensions=await uow.extensions.counts(start, end),
        extended={(p, a): due for p, dues in granted.items() for a, due in dues.items()},
    )


async def report_in(
    uow: UnitOfWork, runtime: PlanRuntime, now: dt.datetime, period: Period | None = None
) -> StatusReport:
    """The whole plan's report, read within the caller's unit of work; no rights checked."""
    return await _report(uow, runtime, now, period)


async def status_report(
    core: Core, caller: Caller, *, action: str, period: Period | PeriodName | None = None
) -> Answer[StatusReport | Refusal]:
    """The report for an administrator, or for a controller over the tasks they control;
    anyone else is refused, and both are recorded. Its discipline covers ``period``: the
    days given, a period named as of today, or by default the plan so far."""
    async with core.visit(caller) as visit:
        tasks = await tasks_controlled(visit)
        if tasks is not None and not tasks:
            await visit.record(action, allowed=False)
            return visit.answer(Refusal.of(Why.NOT_OVERSEER))
        await visit.record(action)
        report = await _report(visit.uow, core.runtime, visit.now, period)
        return visit.answer(report.scoped(tasks))


async def current_report(
    db: Database, clock: Clock, runtime: PlanRuntime, period: Period | None = None
) -> StatusReport:
    """The report for the operator's command line, which needs no permission check."""
    async with db.unit_of_work() as uow:
        return await _report(uow, runtime, clock.now(), period)


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
