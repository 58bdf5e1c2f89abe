"""/report for administrators and controllers, /ics for anyone.

/report gives the summary per agency as a message and a chart, then the executive
discipline as a message with period buttons and a chart; /report discipline gives the
discipline alone. /report xlsx and /report csv send the information report as a file,
optionally in another language (/report xlsx ru). Each takes a period for the discipline:
plan, quarter, month, last_month, or two dates (/report discipline 2016-01-01 2016-06-30).
/ics [AGENCY] sends the plan's control points, or one agency's, as a calendar file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from bot.export.chart import discipline_chart, summary_chart
from bot.export.csv_file import csv_bytes
from bot.export.ics import calendar_bytes
from bot.export.labels import as_of_text
from bot.export.summary_text import summary_message
from bot.export.xlsx import workbook_bytes
from bot.features.reports import callbacks
from bot.features.reports.render import chart_caption, discipline_view, period_problem
from bot.features.requests import Command, Press, Request, button, command
from bot.features.telegram_io import edit_or_keep, keyboard
from bot.i18n.catalog import LANGUAGES, Translator
from bot.wording import agency_code
from scheduler.plan.model import Plan
from scheduler.refusals import Refusal
from scheduler.reports.discipline import Period, PeriodName, PeriodProblem, period_between
from scheduler.usecases.plan_reports import (
    REPORT_ACTIONS,
    StatusReport,
    calendar_for,
    status_report,
)

SUMMARY = "summary"
DISCIPLINE = "discipline"
FILE_WRITERS: dict[str, Callable[[StatusReport, Plan, Translator], bytes]] = {
    "xlsx": workbook_bytes,
    "csv": csv_bytes,
}
PERIOD_NAMES = {name.value: name for name in PeriodName}


@dataclass(frozen=True)
class Asked:
    """What /report was asked for: the format, the file's language, the discipline's period."""

    fmt: str
    language: str | None = None
    period: Period | PeriodName | None = None

    @property
    def chosen(self) -> PeriodName | None:
        """The period button that stands for the period asked, if one does."""
        if self.period is None:
            return PeriodName.PLAN
        return self.period if isinstance(self.period, PeriodName) else None


def _parse(args: list[str]) -> Asked | PeriodProblem | None:
    """What the arguments ask for; a problem with typed dates; None when they make no sense.

    ``[summary|discipline|xlsx|csv] [kk|ru|en, files only] [PERIOD | FROM TO]``
    """
    words = [a.lower() for a in args]
    fmt = SUMMARY
    if words and (words[0] in (SUMMARY, DISCIPLINE) or words[0] in FILE_WRITERS):
        fmt = words.pop(0)
    language = None
    if fmt in FILE_WRITERS and words and words[0] in LANGUAGES:
        language = words.pop(0)
    if not words:
        return Asked(fmt, language)
    if len(words) == 1 and words[0] in PERIOD_NAMES:
        return Asked(fmt, language, PERIOD_NAMES[words[0]])
    if len(words) == 2:
        found = period_between(*words)
        return found if isinstance(found, PeriodProblem) else Asked(fmt, language, found)
    return None


@command
async def report(request: Command) -> None:
    svc, chat = request.svc, request.update.effective_chat
    asked = _parse(request.args)
    wanted = asked if isinstance(asked, Asked) else None
    action = REPORT_ACTIONS[wanted.fmt if wanted else "usage"]
    period = wanted.period if wanted else None
    answer = await status_report(svc.core, request.caller, action=action, period=period)
    tr, result = svc.tr(answer), answer.result
    if isinstance(result, Refusal):
        await request.send(request.refusal_text(tr, result))
        return
    if isinstance(asked, PeriodProblem):
        await request.send(period_problem(asked, tr))
        return
    if wanted is None or chat is None:
        await request.send(tr("report.usage"))
        return
    as_of = as_of_text(result.as_of, result.tz, tr.language)
    bot = request.context.bot
    if wanted.fmt == SUMMARY:
        await request.send(summary_message(result, svc.plan, tr))
        chart = await asyncio.to_thread(summary_chart, result, tr, svc.plan)
        await bot.send_photo(chat.id, photo=chart, caption=tr("report.chart_caption", as_of=as_of))
    if wanted.fmt in (SUMMARY, DISCIPLINE):
        await request.send(discipline_view(result, svc.plan, tr, wanted.chosen))
        await _send_discipline_chart(request, result, tr, wanted.chosen)
        return
    language = wanted.language or tr.language
    content = await asyncio.to_thread(
        FILE_WRITERS[wanted.fmt], result, svc.plan, svc.catalog.for_language(language)
    )
    await bot.send_document(
        chat.id,
        document=content,
        filename=f"eskertu-report-{result.today.isoformat()}-{language}.{wanted.fmt}",
        caption=tr("report.file_caption", as_of=as_of),
    )


@button(callbacks.PERIOD)
async def discipline_period(press: Press) -> None:
    """A period button under the discipline: the same message over that period, and its chart."""
    chosen = callbacks.period_named(press.fields)
    answer = await status_report(
        press.core, press.caller, action=REPORT_ACTIONS[DISCIPLINE], period=chosen
    )
    result = answer.result
    if isinstance(result, Refusal):
        await press.refuse(answer, result)
        return
    await press.query.answer()
    tr = press.tr(answer)
    shown = discipline_view(result, press.svc.plan, tr, chosen)
    await edit_or_keep(press.query, shown.text, keyboard(shown.buttons))
    await _send_discipline_chart(press, result, tr, chosen)


async def _send_discipline_chart(
    request: Request, result: StatusReport, tr: Translator, chosen: PeriodName | None
) -> None:
    chat = request.update.effective_chat
    if chat is None:
        return
    chart = await asyncio.to_thread(discipline_chart, result, request.svc.plan, tr, chosen)
    caption = chart_caption(result, tr, chosen)
    await request.context.bot.send_photo(chat.id, photo=chart, caption=caption)


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
