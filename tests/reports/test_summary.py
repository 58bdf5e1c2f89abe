"""The summary numbers per agency on a crafted set of statuses, worked out by hand."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduler.clock import FakeClock
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import ControlPolicy
from scheduler.refusals import Refusal, Why
from scheduler.storage.tables import AuditRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import StatusReport, status_report
from scheduler.vocabulary.control import Decision, ItemState
from tests.reports.support import AS_OF, runtime, seed
from tests.usecases.support import core_for, person

TODAY = dt.date(2016, 7, 15)


def _points_of(rt: PlanRuntime, agency: str) -> tuple[int, int]:
    """How many control points the agency has, and how many of them are past their date."""
    mine = [p for p in rt.points if agency in p.agencies]
    return len(mine), sum(1 for p in mine if p.effective < TODAY)


async def _report(db: Database, rt: PlanRuntime) -> StatusReport:
    core = core_for(db, FakeClock(AS_OF), rt, admins=(1,))
    answer = await status_report(core, person(1), action="report.summary")
    assert isinstance(answer.result, StatusReport)
    return answer.result


# The crafted statuses predate acceptance: a done closes, as with ACCEPTANCE=off.
DONE_CLOSES = ControlPolicy(acceptance=False)


async def test_counts_per_agency(db: Database) -> None:
    rt = runtime(DONE_CLOSES)
    await seed(db)
    report = await _report(db, rt)
    by_agency = {s.agency: s for s in report.agencies}

    # МСМ: done = tasks 6 (on time), 4 (late), 9 (on time), 7's report (early, not due);
    # task 2 in progress, task 3 a problem; the revoked report counts as nothing.
    total, past = _points_of(rt, "МСМ")
    msm = by_agency["МСМ"]
    assert msm.total == total
    assert dict(msm.counts) == {
        **dict.fromkeys(ItemState, 0),
        ItemState.DONE: 4,
        ItemState.IN_PROGRESS: 1,
        ItemState.PROBLEM: 1,
        ItemState.NOT_STARTED: total - 6,
    }
    assert msm.due == past
    assert msm.overdue == past - 3
    assert msm.on_time == 2
    assert msm.on_time_share == 2 / past

    # БҒМ: its problem at task 9 is overtaken by the lead's closure.
    total, past = _points_of(rt, "БҒМ")
    bgm = by_agency["БҒМ"]
    assert bgm.counts[ItemState.DONE] == 1
    assert bgm.counts[ItemState.PROBLEM] == 0
    assert bgm.counts[ItemState.NOT_STARTED] == total - 1
    assert (bgm.due, bgm.overdue, bgm.on_time) == (past, past - 1, 1)

    # ЖАО: task 9 closed by the lead, task 5 postponed (and overdue: not done).
    total, past = _points_of(rt, "ЖАО")
    zhao = by_agency["ЖАО"]
    assert zhao.counts[ItemState.DONE] == 1
    assert zhao.counts[ItemState.POSTPONED] == 1
    assert zhao.counts[ItemState.NOT_STARTED] == total - 2
    assert (zhao.overdue, zhao.on_time) == (past - 1, 1)

    # An agency nobody heard from.
    total, past = _points_of(rt, "СІМ")
    assert dict(by_agency["СІМ"].counts)[ItemState.NOT_STARTED] == total
    assert by_agency["СІМ"].overdue == past
    assert by_agency["СІМ"].on_time_share == 0

    # Control departments and the recipient have no items of their own.
    assert not {"ПӘ", "ІСБ", "МҚБ", "МБАҰЖБ"} & set(by_agency)
    every = sum(len(p.agencies) for p in rt.points)
    assert report.totals.total == every == len(report.items)
    assert report.totals.counts[ItemState.DONE] == 4 + 1 + 1


async def test_with_acceptance_a_done_waits_until_its_controller_accepts_it(
    db: Database,
) -> None:
    rt = runtime()
    await seed(db)
    msm = {s.agency: s for s in (await _report(db, rt)).agencies}["МСМ"]
    assert msm.counts[ItemState.AWAITING_ACCEPTANCE] == 4 and msm.counts[ItemState.DONE] == 0
    assert msm.in_column("done") == 0 and msm.in_column("awaiting") == 4
    async with db.unit_of_work() as uow:
        latest = await uow.statuses.latest(["T06-deadline-2016-06-30"])
        six = latest["T06-deadline-2016-06-30"]["МСМ"].id
        await uow.reviews.decide(
            six, Decision.ACCEPT, comment="", new_date=None, by=1, chat_id=1, now=AS_OF
        )
    report = await _report(db, rt)
    msm = {s.agency: s for s in report.agencies}["МСМ"]
    assert msm.counts[ItemState.ACCEPTED] == 1 and msm.counts[ItemState.AWAITING_ACCEPTANCE] == 3
    assert msm.in_column("done") == 1
    # The co-executors of task 9 follow their lead: they wait with it.
    items = {(i.point.id, i.agency): i for i in report.items}
    assert items["T09-deadline-2016-06-30", "ЖАО"].state is ItemState.AWAITING_ACCEPTANCE
    assert items["T09-deadline-2016-06-30", "БҒМ"].state is ItemState.AWAITING_ACCEPTANCE


async def test_items_keep_the_deciding_status(db: Database) -> None:
    rt = runtime(DONE_CLOSES)
    await seed(db)
    report = await _report(db, rt)
    items = {(i.point.id, i.agency): i for i in report.items}
    closed = items["T09-deadline-2016-06-30", "ЖАО"]
    assert closed.closed_by == "МСМ" and closed.entry is not None
    assert closed.entry.agency == "МСМ"
    late = items["T04-deadline-2016-02-29", "МСМ"]
    assert late.done_on == dt.date(2016, 3, 2) and not late.on_time and not late.overdue
    revoked = items["T02-report-2015-12-02", "МСМ"]
    assert revoked.state is ItemState.NOT_STARTED and revoked.overdue
    early = items["T07-report-2016-12-20", "МСМ"]
    assert early.state is ItemState.DONE and not early.due and not early.on_time


async def test_a_non_administrator_is_refused_and_recorded(db: Database) -> None:
    rt = runtime()
    core = core_for(db, FakeClock(AS_OF), rt, admins=(1,))
    answer = await status_report(core, person(42), action="report.xlsx")
    assert isinstance(answer.result, Refusal) and answer.result.why is Why.NOT_OVERSEER
    async with db.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(AuditRow))).all()
    assert [(r.user_id, r.action, r.allowed) for r in rows] == [(42, "report.xlsx", False)]
