"""Scheduled jobs: the tick that plans due reminders and wakes the delivery worker."""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.services import Services, services
from scheduler.reminders.planner import TickResult
from scheduler.usecases.administration import all_admins
from scheduler.usecases.broadcasts import report_finished_broadcasts
from scheduler.usecases.plan_changes import follow_latest
from scheduler.usecases.reminders import plan_due_reminders

log = logging.getLogger("eskertu.tick")


async def run_tick(svc: Services) -> TickResult:
    # Another instance may have put a newer plan in force.
    if await follow_latest(svc.db, svc.plans, svc.factory):
        log.info("now following plan version %s", svc.plans.version)
    admins = await all_admins(svc.db, svc.settings.admin_ids)
    result = await plan_due_reminders(svc.db, svc.clock, svc.runtime, admins)
    if await report_finished_broadcasts(svc.db, svc.clock):
        svc.delivery.wake()
    if result.planned or result.missed:
        log.info(
            "tick planned %d reminders (%d missed) for %s",
            result.planned,
            result.missed,
            ", ".join(d.isoformat() for d in result.waves),
        )
    if result.planned or result.missed:
        svc.delivery.wake()
    return result


async def tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_tick(services(context))
