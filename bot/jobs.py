"""Scheduled jobs: the tick that plans due reminders and wakes the delivery worker."""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.services import Services, services
from scheduler.reminders.planner import TickResult
from scheduler.usecases.reminders import plan_due_reminders

log = logging.getLogger("eskertu.tick")


async def run_tick(svc: Services) -> TickResult:
    result = await plan_due_reminders(svc.db, svc.clock, svc.runtime, svc.settings.admin_ids)
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
