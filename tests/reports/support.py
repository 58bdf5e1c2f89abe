"""Shared pieces of the report tests: the real plan's runtime and a set of crafted statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.plan import load_plan
from scheduler.plan_runtime import PlanRuntime, build_runtime
from scheduler.progress import DEFAULT_CONTROL, ControlPolicy
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.status_repo import NewStatus
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.control import Decision

ROOT = Path(__file__).resolve().parents[2]
PLAN_PATH = ROOT / "data" / "plan.json"
ALMATY = ZoneInfo("Asia/Almaty")
# Friday 15 July 2016, 10:00 in Almaty: the reports in these tests stand at this moment.
AS_OF = dt.datetime(2016, 7, 15, 10, 0, tzinfo=ALMATY)
DONE_TEXT = "Орындалды, хаттама №3 қоса беріледі"


def runtime(control: ControlPolicy = DEFAULT_CONTROL) -> PlanRuntime:
    return build_runtime(load_plan(PLAN_PATH), policy=ReminderPolicy(), tz=ALMATY, control=control)


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=ALMATY)


async def add(
    db: Database,
    point: str,
    agency: str,
    status: str,
    when: dt.datetime,
    text: str = "",
    evidence: str | None = None,
) -> int:
    task = int(point[1:3])
    async with db.unit_of_work() as uow:
        return await uow.statuses.add(
            NewStatus(
                control_point=point,
                task_number=task,
                agency=agency,
                status=status,
                text=text or status,
                source="text",
                user_id=9001,
                chat_id=9001,
                evidence_kind="document" if evidence else None,
                evidence_file_id="file-1" if evidence else None,
                evidence_name=evidence,
            ),
            when,
        )


async def seed(db: Database) -> None:
    """Done on time, done late, in progress, problem, postponed, revoked, closed by the lead.

    Everything else has no status at all.
    """
    # МСМ: task 6 done on its very day (evening, local time): on time.
    await add(
        db, "T06-deadline-2016-06-30", "МСМ", "done", at(2016, 6, 30, 18), DONE_TEXT, "хаттама.pdf"
    )
    # МСМ: task 4, due 29 February 2016, done on 2 March: late.
    await add(db, "T04-deadline-2016-02-29", "МСМ", "done", at(2016, 3, 2))
    # МСМ: task 2 in progress, task 3 with a problem (first in progress, then the problem).
    await add(db, "T02-deadline-2015-12-02", "МСМ", "in_progress", at(2015, 11, 30))
    await add(db, "T03-deadline-2015-12-02", "МСМ", "in_progress", at(2015, 11, 20))
    await add(db, "T03-deadline-2015-12-02", "МСМ", "problem", at(2015, 12, 1), "қаржы жоқ")
    # МСМ: the report of task 2 said done, then withdrawn: as if nothing was said.
    revoked = await add(db, "T02-report-2015-12-02", "МСМ", "done", at(2015, 12, 1))
    async with db.unit_of_work() as uow:
        await uow.statuses.revoke(revoked, at(2015, 12, 1, 13))
    # Task 9 (МСМ leads, БҒМ and ЖАО co-execute): БҒМ had a problem, then the lead closed it
    # on time; the closure counts for БҒМ and ЖАО too.
    await add(db, "T09-deadline-2016-06-30", "БҒМ", "problem", at(2016, 6, 20))
    await add(db, "T09-deadline-2016-06-30", "МСМ", "done", at(2016, 6, 29))
    # ЖАО postponed its part of task 5 (МСМ leads, nothing from МСМ).
    await add(db, "T05-deadline-2016-03-01", "ЖАО", "postponed", at(2016, 2, 25))
    # МСМ reported task 7's December report done early: done, but not due yet.
    await add(db, "T07-report-2016-12-20", "МСМ", "done", at(2016, 7, 10))


async def accept(db: Database, point: str, agency: str, when: dt.datetime, by: int = 1) -> None:
    """The controller ``by`` accepts the agency's latest report at ``point``."""
    async with db.unit_of_work() as uow:
        entry = (await uow.statuses.latest([point]))[point][agency]
        await uow.reviews.decide(
            entry.id, Decision.ACCEPT, comment="", new_date=None, by=by, chat_id=by, now=when
        )
