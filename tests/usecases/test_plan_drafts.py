"""Drafts of plan changes, called directly on a real database: two instances confirming at once.

Two drafts made from the same version, confirmed at the same moment on two instances, put one
change in force; the other is refused as stale, on SQLite (whose writers take turns) as on
PostgreSQL (where the unique ``plan_versions.based_on`` settles the race).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from scheduler.clock import FakeClock
from scheduler.plan_runtime import PlanHolder
from scheduler.refusals import Refusal, Why
from scheduler.storage.tables import PlanDraftRow, PlanVersionRow
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.core import Core
from scheduler.usecases.plan_changes import plan_in_force
from scheduler.usecases.plan_drafts import Decided, Proposal, decide_draft
from scheduler.usecases.plan_edits import edit_task
from tests.reports.support import runtime
from tests.usecases.support import core_for, person

ALMATY = ZoneInfo("Asia/Almaty")
ADMIN = 601


async def _instance(db: Database, clock: FakeClock) -> Core:
    core = core_for(db, clock, runtime(), admins=(ADMIN,))
    version, plan = await plan_in_force(db, clock, core.runtime.plan)
    core.plans.replace(core.factory.build(plan), version)
    return core


async def test_two_drafts_from_one_version_confirmed_at_once_put_one_in_force(
    db: Database,
) -> None:
    clock = FakeClock(dt.datetime(2016, 6, 1, 10, 0, tzinfo=ALMATY))
    one = await _instance(db, clock)
    other = Core(
        db=db,
        clock=clock,
        plans=PlanHolder(one.runtime, one.plans.version),
        factory=one.factory,
        admins=(ADMIN,),
    )
    admin = person(ADMIN)
    drafts = []
    for task, phrase in ((6, "2016-07-15"), (9, "2016-07-20")):
        proposed = (await edit_task(one, admin, field="deadline", task=task, value=phrase)).result
        assert isinstance(proposed, Proposal)
        drafts.append(proposed.draft)

    answers = await asyncio.gather(
        decide_draft(one, admin, draft_id=drafts[0], apply=True),
        decide_draft(other, admin, draft_id=drafts[1], apply=True),
    )
    results = [a.result for a in answers]
    applied = [r for r in results if isinstance(r, Decided)]
    refused = [r for r in results if isinstance(r, Refusal)]
    assert len(applied) == 1 and len(refused) == 1
    assert refused[0].why is Why.STALE_DRAFT
    async with db.unit_of_work() as uow:
        versions = await uow.session.scalar(select(func.count()).select_from(PlanVersionRow))
        states = sorted((await uow.session.scalars(select(PlanDraftRow.state))).all())
    assert versions == 2
    assert "applied" in states and states.count("applied") == 1
