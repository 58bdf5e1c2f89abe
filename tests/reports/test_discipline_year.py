"""A year of a plan's life through the real use cases, and its discipline counted twice.

Officers of every agency report on an injected clock, a day at a time, with a seeded
random generator deciding who reports, early or late, who asks for more time, and how the
administrator (the controller of every task here) decides: accepts, returns for rework
with or without a new date, grants or refuses an extension. The test keeps a ledger of
what the use cases answered and counts the discipline from it on its own terms, then
compares it with ``StatusReport.discipline()`` over several periods, on SQLite and on
PostgreSQL, with acceptance required and without it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from scheduler.clock import FakeClock
from scheduler.participants import Caller
from scheduler.plan import load_plan
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime, build_runtime
from scheduler.progress import ControlPolicy
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reports.discipline import Discipline, Period, PeriodName
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core
from scheduler.usecases.extensions import (
    ExtensionAsked,
    ExtensionDecided,
    approve_extension,
    ask_refusal,
    request_extension,
)
from scheduler.usecases.plan_reports import StatusReport, status_report
from scheduler.usecases.prompts import Prompt
from scheduler.usecases.replies import answer_reply
from scheduler.usecases.reviews import Decided, accept_report, ask_return
from scheduler.usecases.status_updates import Recorded, Reply, Report, report_status
from scheduler.vocabulary.control import Decision, ItemState, Source, Status
from scheduler.vocabulary.messages import MessageKind
from tests.reports.support import ALMATY, PLAN_PATH
from tests.usecases.support import core_for, person

ADMIN = 100
FIRST_DAY = dt.date(2015, 11, 23)
DAYS = 366
MORNING = dt.time(9, 30)
FIGURES = ("due", "on_time", "late", "open", "returns", "asked", "granted")


@dataclass
class Done:
    """A report of done as the use case recorded it."""

    status_id: int
    day: dt.date
    awaiting: bool
    decision: Decision | None = None


@dataclass
class Ledger:
    """What the use cases answered, kept by the test: the only input of its own counts."""

    done: dict[tuple[str, str], list[Done]] = field(default_factory=dict)
    returns: list[tuple[str, dt.date]] = field(default_factory=list)
    asked: dict[int, tuple[str, dt.date]] = field(default_factory=dict)
    granted: dict[tuple[str, str], dt.date] = field(default_factory=dict)
    granted_ids: set[int] = field(default_factory=set)
    refused_ids: set[int] = field(default_factory=set)
    moved_by_return: int = 0


class Year:
    """The simulation: the plan, its people, the clock and what happened."""

    def __init__(self, db: Database, acceptance: bool, seed: int) -> None:
        self.runtime = build_runtime(
            load_plan(PLAN_PATH),
            control=ControlPolicy(acceptance=acceptance),
            policy=ReminderPolicy(),
            tz=ALMATY,
        )
        self.clock = FakeClock(dt.datetime.combine(FIRST_DAY, MORNING, tzinfo=ALMATY))
        self.core: Core = core_for(db, self.clock, self.runtime, admins=(ADMIN,))
        self.db = db
        self.acceptance = acceptance
        self.random = random.Random(seed)
        self.ledger = Ledger()
        agencies = sorted({a for p in self.runtime.points for a in p.agencies})
        self.officers = {code: 1000 + n for n, code in enumerate(agencies)}
        self.message_ids = iter(range(10_000, 10_000_000))
        self.pending: set[int] = set()
        # Some agencies keep their dates better than others, and some items are forgotten.
        self.diligence = {code: self.random.uniform(0.2, 1.0) for code in agencies}
        self.forgotten = {
            (p.id, a) for p in self.runtime.points for a in p.agencies if self.random.random() < 0.1
        }

    @property
    def today(self) -> dt.date:
        return self.runtime.today(self.clock.now())

    def officer(self, agency: str) -> Caller:
        return person(self.officers[agency], agency)

    async def join(self) -> None:
        async with self.db.unit_of_work() as uow:
            for code, user in self.officers.items():
                await uow.members.add(user, code, "officer", self.clock.now(), ADMIN)

    def tick(self) -> None:
        self.clock.advance(dt.timedelta(minutes=3))

    # What the ledger says of an item, for choosing what to do next (not for the counts).
    def _finished(self, point: ControlPoint, agency: str) -> bool:
        def own(code: str) -> bool:
            reports = self.ledger.done.get((point.id, code), [])
            return bool(reports) and reports[-1].decision is not Decision.RETURN

        return own(agency) or own(point.closer)

    async def live_a_day(self) -> None:
        for point in self.runtime.points:
            for agency in point.agencies:
                if not self._finished(point, agency):
                    await self._maybe_report(point, agency)
        await self._decide_reviews()
        await self._decide_extensions()

    async def _maybe_report(self, point: ControlPoint, agency: str) -> None:
        ahead = (point.effective - self.today).days
        if ahead > 12 or (point.id, agency) in self.forgotten:
            return
        chance = 0.04 if ahead > 3 else 0.12 if ahead >= 0 else 0.05
        chance *= self.diligence[agency]
        draw = self.random.random()
        if draw < chance:
            await self._report_done(point, agency)
        elif draw < chance + 0.02:
            await self._ask_extension(point, agency)

    async def _report_done(self, point: ControlPoint, agency: str) -> None:
        report = Report(
            status=Status.DONE,
            text="орындалды",
            source=Source.COMMAND,
            point_id=point.id,
            agency=agency,
        )
        self.tick()
        answer = await report_status(self.core, self.officer(agency), report)
        found = answer.result
        if isinstance(found, Recorded):
            awaiting = found.state is ItemState.AWAITING_ACCEPTANCE
            done = Done(found.status_id, self.today, awaiting)
            self.ledger.done.setdefault((point.id, agency), []).append(done)

    async def _ask_extension(self, point: ControlPoint, agency: str) -> None:
        wanted = self.runtime.calendar.add_working_days(
            max(point.effective, self.today), self.random.randint(3, 20)
        )
        self.tick()
        answer = await request_extension(
            self.core,
            self.officer(agency),
            task=point.task,
            text=f"{wanted.isoformat()} мекемелерден жауап күтілуде",
        )
        found = answer.result
        if isinstance(found, ExtensionAsked):
            self.ledger.asked[found.request_id] = (found.agency, self.today)
            self.pending.add(found.request_id)

    async def _decide_reviews(self) -> None:
        admin = person(ADMIN, "Бақылаушы")
        for (_, agency), reports in list(self.ledger.done.items()):
            latest = reports[-1]
            if not latest.awaiting or latest.decision is not None:
                continue
            draw = self.random.random()
            if draw < 0.45:
                continue
            self.tick()
            if draw < 0.8:
                accepted = await accept_report(self.core, admin, status_id=latest.status_id)
                if isinstance(accepted.result, Decided):
                    latest.decision = Decision.ACCEPT
                continue
            asked = await ask_return(self.core, admin, status_id=latest.status_id)
            if not isinstance(asked.result, Prompt):
                continue
            text = "құжаттар толық емес"
            if self.random.random() < 0.6:
                new_date = self.runtime.calendar.add_working_days(
                    self.today, self.random.randint(2, 15)
                )
                text = f"{new_date.isoformat()} {text}"
            decided = await self._reply(admin, text)
            if isinstance(decided, Decided):
                latest.decision = Decision.RETURN
                self.ledger.returns.append((agency, self.today))
                self.ledger.moved_by_return += decided.new_date is not None

    async def _decide_extensions(self) -> None:
        admin = person(ADMIN, "Бақылаушы")
        for request_id in sorted(self.pending):
            draw = self.random.random()
            if draw < 0.4:
                continue
            self.pending.discard(request_id)
            self.tick()
            if draw < 0.8:
                approved = await approve_extension(self.core, admin, request_id=request_id)
                found = approved.result
                if isinstance(found, ExtensionDecided):
                    self.ledger.granted[found.point.id, found.agency] = found.requested_due
                    self.ledger.granted_ids.add(request_id)
                continue
            asked = await ask_refusal(self.core, admin, request_id=request_id)
            if isinstance(asked.result, Prompt):
                refused = await self._reply(admin, "негіздеме жеткіліксіз")
                if isinstance(refused, ExtensionDecided):
                    self.ledger.refused_ids.add(request_id)

    async def _reply(self, caller: Caller, text: str) -> object:
        """Deliver the prompt the caller was just sent, and answer it in a reply."""
        now = self.clock.now()
        async with self.db.unit_of_work() as uow:
            claimed = await uow.outbox.claim(
                now, "year", limit=10, lease=dt.timedelta(minutes=5), kinds=[MessageKind.PROMPT]
            )
            for item in claimed:
                await uow.outbox.mark_sent(item.id, now, next(self.message_ids), by="year")
            message = await uow.session.scalar(
                select(OutboxRow.message_id)
                .where(OutboxRow.kind == MessageKind.PROMPT, OutboxRow.chat_id == caller.chat_id)
                .order_by(OutboxRow.id.desc())
                .limit(1)
            )
        assert message is not None
        self.tick()
        reply = Reply(text, replied_to=message, message_id=next(self.message_ids))
        return (await answer_reply(self.core, caller, reply)).result

    async def report(self, period: Period | PeriodName) -> StatusReport:
        answer = await status_report(
            self.core, person(ADMIN), action="report.discipline", period=period
        )
        assert isinstance(answer.result, StatusReport)
        return answer.result


# The test's own count, from the ledger and the plan alone.


def _working_days_late(runtime: PlanRuntime, own: dt.date, until: dt.date) -> int:
    days, day = 0, own
    while day < until:
        day += dt.timedelta(days=1)
        days += runtime.calendar.is_working_day(day)
    return days


def _finished_on(year: Year, point: ControlPoint, agency: str) -> dt.date | None:
    """The day the item counts as done: its own report, else its closer's; None if open."""

    def standing(code: str) -> dt.date | None:
        reports = year.ledger.done.get((point.id, code), [])
        if not reports or reports[-1].decision is Decision.RETURN:
            return None
        return reports[-1].day

    return standing(agency) or (standing(point.closer) if agency != point.closer else None)


def expected(year: Year, period: Period, today: dt.date) -> dict[str, dict[str, object]]:
    ledger, runtime = year.ledger, year.runtime
    counts: dict[str, Counter[str]] = {}
    late_days: dict[str, list[int]] = {}
    for point in runtime.points:
        for agency in point.agencies:
            row = counts.setdefault(agency, Counter())
            own = ledger.granted.get((point.id, agency), point.effective)
            if not (period.start <= own <= period.end and own < today):
                continue
            row["due"] += 1
            done = _finished_on(year, point, agency)
            kind = "open" if done is None else "on_time" if done <= own else "late"
            row[kind] += 1
            if kind != "on_time":
                days = _working_days_late(runtime, own, done or today)
                late_days.setdefault(agency, []).append(days)
    for agency, day in ledger.returns:
        if day in period:
            counts.setdefault(agency, Counter())["returns"] += 1
    for request_id, (agency, day) in ledger.asked.items():
        if day in period:
            row = counts.setdefault(agency, Counter())
            row["asked"] += 1
            row["granted"] += request_id in ledger.granted_ids
    figures: dict[str, dict[str, object]] = {}
    for agency, row in counts.items():
        days = late_days.get(agency)
        figures[agency] = {
            **{key: row[key] for key in FIGURES},
            "share": round(100 * row["on_time"] / row["due"]) if row["due"] else None,
            "average_late": round(sum(days) / len(days), 6) if days else None,
        }
    return figures


def measured(found: list[Discipline]) -> dict[str, dict[str, object]]:
    return {
        f.agency: {
            "due": f.due,
            "on_time": f.on_time,
            "late": f.late,
            "open": f.overdue_open,
            "returns": f.returns,
            "asked": f.asked,
            "granted": f.granted,
            "share": f.share,
            "average_late": None if f.average_late is None else round(f.average_late, 6),
        }
        for f in found
    }


def _windows(rng: random.Random, today: dt.date) -> Iterator[Period]:
    for _ in range(4):
        start = FIRST_DAY + dt.timedelta(days=rng.randint(0, DAYS - 40))
        yield Period(start, min(today, start + dt.timedelta(days=rng.randint(1, 120))))


@pytest.mark.parametrize(("acceptance", "seed"), [(True, 2015), (False, 2016)])
async def test_a_year_of_discipline(db: Database, acceptance: bool, seed: int) -> None:
    year = Year(db, acceptance, seed)
    await year.join()
    checked = 0
    for day in range(DAYS):
        year.clock.set(
            dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), MORNING, tzinfo=ALMATY)
        )
        await year.live_a_day()
        if day % 61 == 60:
            report = await year.report(PeriodName.PLAN)
            assert measured(report.discipline()) == expected(year, report.period, report.today)
            checked += 1

    ledger, today = year.ledger, year.today
    # The year saw every kind of event, so the comparison below means something.
    reports = [d for ds in ledger.done.values() for d in ds]
    assert len(reports) > 30
    assert len(ledger.asked) >= 5 and ledger.granted_ids and ledger.refused_ids
    if acceptance:
        assert len(ledger.returns) >= 3 and ledger.moved_by_return >= 1
        assert any(d.decision is Decision.ACCEPT for d in reports)
    else:
        assert ledger.returns == [] and not any(d.awaiting for d in reports)

    periods: list[Period | PeriodName] = [*PeriodName, *_windows(year.random, today)]
    shares: set[int | None] = set()
    for period in periods:
        report = await year.report(period)
        found = report.discipline()
        assert measured(found) == expected(year, report.period, today), period
        shares |= {f.share for f in found}
        checked += 1
    assert checked >= len(periods) + 5
    # Agencies with nothing due somewhere, and measured shares strictly between the ends.
    assert None in shares and any(s is not None and 0 < s < 100 for s in shares)
    whole = await year.report(PeriodName.PLAN)
    assert sum(f.late for f in whole.discipline()) > 0
    assert sum(f.on_time for f in whole.discipline()) > 0
    assert sum(f.overdue_open for f in whole.discipline()) > 0
