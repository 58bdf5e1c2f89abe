"""/report for administrators, /ics for anyone, and the weekly digest job.

/report gives the summary per agency as a message and a chart; /report xlsx and /report csv
send the information report as a file, optionally in another language (/report xlsx ru).
/ics [AGENCY] sends the plan's control points, or one agency's, as a calendar file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, JobQueue

from bot.export.chart import summary_chart
from bot.export.csv_file import csv_bytes
from bot.export.ics import calendar_bytes
from bot.export.labels import as_of_text
from bot.export.summary_text import digest_text, summary_message
from bot.export.xlsx import workbook_bytes
from bot.handlers.common import command_args, echo, greet
from bot.i18n.catalog import LANGUAGES, Translator
from bot.services import Services, services
from bot.settings import Settings
from scheduler.plan.model import Plan
from scheduler.reports.digest import WEEKDAYS
from scheduler.usecases.report import (
    DigestResult,
    DigestView,
    ReportRefusal,
    StatusReport,
    UnknownAgency,
    calendar_points,
    plan_weekly_digest,
    status_report,
)

log = logging.getLogger("eskertu.reports")

SUMMARY = "summary"
FILE_WRITERS: dict[str, Callable[[StatusReport, Plan, Translator], bytes]] = {
    "xlsx": workbook_bytes,
    "csv": csv_bytes,
}
DIGEST_JOB = "eskertu-weekly-digest"


def _parse(args: list[str], default_language: str) -> tuple[str, str] | None:
    """The format and the language asked for, or None when the arguments make no sense."""
    words = [a.lower() for a in args]
    fmt = words[0] if words else SUMMARY
    language = words[1] if len(words) > 1 else default_language
    if len(words) > 2 or (fmt != SUMMARY and fmt not in FILE_WRITERS) or language not in LANGUAGES:
        return None
    return fmt, language


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    svc, tr = await greet(update, context)
    asked = _parse(command_args(context), tr.language)
    result = await status_report(
        svc.db,
        svc.clock,
        svc.runtime,
        user_id=user.id,
        chat_id=chat.id,
        configured=svc.settings.admin_ids,
        action=f"report.{asked[0] if asked else 'usage'}",
    )
    if isinstance(result, ReportRefusal):
        await message.reply_text(tr("admin.refused"))
        return
    if asked is None:
        await message.reply_text(tr("report.usage"))
        return
    fmt, language = asked
    as_of = as_of_text(result.as_of, result.tz, tr.language)
    if fmt == SUMMARY:
        await message.reply_text(summary_message(result, svc.plan, tr))
        chart = await asyncio.to_thread(summary_chart, result, tr)
        await context.bot.send_photo(
            chat.id, photo=chart, caption=tr("report.chart_caption", as_of=as_of)
        )
        return
    content = await asyncio.to_thread(
        FILE_WRITERS[fmt], result, svc.plan, svc.catalog.for_language(language)
    )
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-report-{result.today.isoformat()}-{language}.{fmt}",
        caption=tr("report.file_caption", as_of=as_of),
    )


async def ics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc, tr = await greet(update, context)
    args = command_args(context)
    found = calendar_points(svc.runtime, " ".join(args) if args else None)
    if isinstance(found, UnknownAgency):
        await message.reply_text(
            tr("ics.unknown_agency", code=echo(found.code), known=", ".join(found.known))
        )
        return
    scope = found.agency or tr.plain("ics.scope_all")
    content = calendar_bytes(
        found.points,
        svc.plan,
        tr,
        name=tr.plain("ics.calname", scope=scope),
        stamp=svc.clock.now(),
        calendar=svc.runtime.calendar,
        alarm_time=svc.settings.reminder_time,
        tz=svc.runtime.tz,
    )
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-{found.agency or 'plan'}.ics",
        caption=tr("ics.caption", scope=scope, count=len(found.points)),
    )


async def run_weekly_digest(svc: Services) -> DigestResult:
    """Plan this week's digest if it is due and not planned yet; wake the sender if planned."""

    def render(view: DigestView, language: str) -> str:
        return digest_text(view, svc.plan, svc.catalog.for_language(language))

    settings = svc.settings
    result = await plan_weekly_digest(
        svc.db,
        svc.clock,
        svc.runtime,
        admins=settings.admin_ids,
        weekday=settings.digest_weekday,
        at=settings.digest_time,
        default_language=settings.default_language,
        render=render,
    )
    if result.planned:
        log.info("weekly digest %s planned for %d chats", result.week, result.planned)
        svc.delivery.wake()
    return result


async def weekly_digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_weekly_digest(services(context))


def schedule_weekly_digest(job_queue: JobQueue[Any], settings: Settings) -> None:
    """Run the digest job on the chosen day and time, and once now to catch up a missed one."""
    # PTB numbers the days from Sunday (0) to Saturday (6).
    day = (WEEKDAYS.index(settings.digest_weekday) + 1) % 7
    job_queue.run_daily(
        weekly_digest_job,
        time=settings.digest_time.replace(tzinfo=settings.tz),
        days=(day,),
        name=DIGEST_JOB,
    )
    job_queue.run_once(weekly_digest_job, when=0, name=f"{DIGEST_JOB}-catch-up")
