"""/report for administrators, /ics for anyone.

/report gives the summary per agency as a message and a chart; /report xlsx and /report csv
send the information report as a file, optionally in another language (/report xlsx ru).
/ics [AGENCY] sends the plan's control points, or one agency's, as a calendar file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.export.chart import summary_chart
from bot.export.csv_file import csv_bytes
from bot.export.ics import calendar_bytes
from bot.export.labels import as_of_text
from bot.export.summary_text import summary_message
from bot.export.xlsx import workbook_bytes
from bot.features.requests import Command, command
from bot.i18n.catalog import LANGUAGES, Translator
from bot.wording import agency_code
from scheduler.plan.model import Plan
from scheduler.refusals import Refusal
from scheduler.usecases.plan_reports import (
    REPORT_ACTIONS,
    StatusReport,
    calendar_for,
    status_report,
)

SUMMARY = "summary"
FILE_WRITERS: dict[str, Callable[[StatusReport, Plan, Translator], bytes]] = {
    "xlsx": workbook_bytes,
    "csv": csv_bytes,
}


def _parse(args: list[str]) -> tuple[str, str | None] | None:
    """The format and the language asked for, or None when the arguments make no sense."""
    words = [a.lower() for a in args]
    fmt = words[0] if words else SUMMARY
    language = words[1] if len(words) > 1 else None
    if len(words) > 2 or (fmt != SUMMARY and fmt not in FILE_WRITERS):
        return None
    if language is not None and language not in LANGUAGES:
        return None
    return fmt, language


@command
async def report(request: Command) -> None:
    svc, chat = request.svc, request.update.effective_chat
    asked = _parse(request.args)
    action = REPORT_ACTIONS[asked[0] if asked else "usage"]
    answer = await status_report(svc.core, request.caller, action=action)
    tr, result = svc.tr(answer), answer.result
    if isinstance(result, Refusal):
        await request.send(request.refusal_text(tr, result))
        return
    if asked is None or chat is None:
        await request.send(tr("report.usage"))
        return
    fmt, language = asked
    as_of = as_of_text(result.as_of, result.tz, tr.language)
    bot = request.context.bot
    if fmt == SUMMARY:
        await request.send(summary_message(result, svc.plan, tr))
        chart = await asyncio.to_thread(summary_chart, result, tr, svc.plan)
        await bot.send_photo(chat.id, photo=chart, caption=tr("report.chart_caption", as_of=as_of))
        return
    language = language or tr.language
    content = await asyncio.to_thread(
        FILE_WRITERS[fmt], result, svc.plan, svc.catalog.for_language(language)
    )
    await bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-report-{result.today.isoformat()}-{language}.{fmt}",
        caption=tr("report.file_caption", as_of=as_of),
    )


@command
async def ics(request: Command) -> None:
    svc, chat = request.svc, request.update.effective_chat
    agency = " ".join(request.args) or None
    answer = await calendar_for(svc.core, request.caller, agency=agency)
    tr, found = svc.tr(answer), answer.result
    if isinstance(found, Refusal):
        await request.send(request.refusal_text(tr, found))
        return
    if chat is None:
        return
    code = agency_code(svc.plan, found.agency, tr.language) if found.agency else None
    scope = code or tr.plain("ics.scope_all")
    content = calendar_bytes(
        found.points,
        svc.plan,
        tr,
        name=tr.plain("ics.calname", scope=scope),
        stamp=svc.clock.now(),
        calendar=svc.runtime.calendar,
        alarm_time=svc.settings.reminder_time,
        tz=svc.runtime.tz,
        revisions=found.revisions,
    )
    await request.context.bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-{code or 'plan'}.ics",
        caption=tr("ics.caption", scope=scope, count=len(found.points)),
    )
