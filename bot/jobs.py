"""Every scheduled job of the bot, registered in one place: the tick, the digest, the clean-up.

The tick plans due reminders and broadcast reports into the outbox (the outbox's bell
wakes the delivery worker); the weekly digest runs on its day and once at start to catch
up a missed week; old update ids, kept to drop redeliveries, are forgotten hourly.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.export.summary_text import digest_text
from bot.services import Services, services
from scheduler.reminders.planner import TickResult
from scheduler.reports.digest import WEEKDAYS
from scheduler.usecases.broadcasts import report_finished_broadcasts
from scheduler.usecases.plan_changes import follow_latest
from scheduler.usecases.plan_reports import DigestResult, DigestView, plan_weekly_digest
from scheduler.usecases.reminders import plan_due_reminders
from scheduler.usecases.updates import forget_old_updates

log = logging.getLogger("eskertu.jobs")

TICK_JOB = "eskertu-tick"
DIGEST_JOB = "eskertu-weekly-digest"
FORGET_JOB = "eskertu-forget-updates"
FORGET_EVERY_SECONDS = 3600


def schedule_jobs(job_queue: JobQueue[Any], svc: Services) -> None:
    """Register every job; called once at start, before the job queue runs."""
    settings = svc.settings
    job_queue.run_repeating(
        tick_job,
        interval=settings.tick_seconds,
        first=0,
        name=TICK_JOB,
        # The job is added before the scheduler starts, so its first run is already late
        # when it starts; APScheduler would drop it after its 1 s grace. The tick is
        # idempotent, so a late run is always wanted, and missed runs fold into one.
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
    svc.ticks.watch()
    # PTB numbers the days from Sunday (0) to Saturday (6).
    day = (WEEKDAYS.index(settings.digest_weekday) + 1) % 7
    job_queue.run_daily(
        digest_job,
        time=settings.digest_time.replace(tzinfo=settings.tz),
        days=(day,),
        name=DIGEST_JOB,
    )
    job_queue.run_once(digest_job, when=0, name=f"{DIGEST_JOB}-catch-up")
    job_queue.run_repeating(forget_job, interval=FORGET_EVERY_SECONDS, first=60, name=FORGET_JOB)


async def run_tick(svc: Services) -> TickResult:
    core = svc.core
    # Another instance may have put a newer plan in force.
    if await follow_latest(core.db, core.plans, core.factory):
        log.info("now following plan version %s", core.plans.version)
    result = await plan_due_reminders(core)
    await report_finished_broadcasts(core)
    if result.planned or result.missed:
        log.info(
            "tick planned %d reminders (%d missed) for %s",
            result.planned,
            result.missed,
            ", ".join(d.isoformat() for d in result.waves),
        )
    return result


async def tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    started = time.perf_counter()
    try:
        await run_tick(svc)
    except Exception:
        svc.ticks.ran(time.perf_counter() - started, ok=False)
        raise
    svc.ticks.ran(time.perf_counter() - started, ok=True)


async def run_weekly_digest(svc: Services) -> DigestResult:
    """Plan this week's digest if it is due and not planned yet."""

    def render(view: DigestView, language: str) -> str:
        return digest_text(view, svc.plan, svc.catalog.for_language(language))

    settings = svc.settings
    result = await plan_weekly_digest(
        svc.core,
        weekday=settings.digest_weekday,
        at=settings.digest_time,
        default_language=settings.default_language,
        render=render,
    )
    if result.planned:
        log.info("weekly digest %s planned for %d chats", result.week, result.planned)
    return result


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_weekly_digest(services(context))


async def forget_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    forgotten = await forget_old_updates(svc.db, svc.clock)
    if forgotten:
        log.debug("forgot %d old update ids", forgotten)
