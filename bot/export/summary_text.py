"""The summary as Telegram text: an aligned table per agency in <pre>, and the weekly digest.

Both stay under Telegram's 4096 characters: rows and list lines that would not fit are
left out with a note saying how many.
"""

from __future__ import annotations

from bot.export.discipline_text import digest_line
from bot.export.labels import as_of_text, code_shown, item_status, share_text
from bot.export.text_table import fitted
from bot.i18n.catalog import Translator
from bot.wording import agency_codes, long_date
from scheduler.plan.model import Plan, event_readings
from scheduler.reports.items import Item
from scheduler.reports.summary import AgencySummary
from scheduler.usecases.plan_reports import DigestView, StatusReport
from scheduler.vocabulary.control import ItemState, summary_columns

# The summary's columns: the total, one per state column (states may share one: done and
# accepted do), then the overdue and on-time figures.
SUMMARY_COLUMNS = ("total", *summary_columns(), "overdue", "on_time")
# Telegram's limit is 4096 characters; the margin covers the markup it strips.
MESSAGE_LIMIT = 3900
LIST_LIMIT = 15


def _values(summary: AgencySummary) -> list[str]:
    return [
        str(summary.total),
        *(str(summary.in_column(column)) for column in summary_columns()),
        str(summary.overdue),
        share_text(summary.on_time_share),
    ]


def summary_cells(
    report: StatusReport, tr: Translator, plan: Plan | None = None
) -> tuple[list[str], list[list[str]]]:
    """The counts per agency as plain cells, with a last row for the whole plan."""
    headers = [tr.plain("report.col.agency")] + [
        tr.plain(f"report.col.{column}") for column in SUMMARY_COLUMNS
    ]
    rows = [[code_shown(plan, s.agency, tr.language), *_values(s)] for s in report.agencies]
    rows.append([tr.plain("report.row.total"), *_values(report.totals)])
    return headers, rows


def _table(report: StatusReport, plan: Plan, tr: Translator, room: int) -> str:
    """The aligned table, dropping agency rows from the end until it fits in ``room``."""
    headers, rows = summary_cells(report, tr, plan)
    return fitted(headers, rows[:-1], rows[-1], tr, room)


def summary_message(report: StatusReport, plan: Plan, tr: Translator) -> str:
    title = tr("report.title", as_of=as_of_text(report.as_of, report.tz, tr.language))
    if not report.items:
        return "\n".join([title, "", tr("report.no_items")])
    legend = "\n".join([tr("report.legend"), *undated_notes(plan, tr)])
    room = MESSAGE_LIMIT - len(title) - len(legend) - 4
    return "\n".join([title, "", _table(report, plan, tr, room), "", legend])


def undated_notes(plan: Plan, tr: Translator) -> list[str]:
    """The tasks the counts leave out: those waiting for their event's date, those unread."""
    waiting = [
        t.number
        for t in plan.event_tasks()
        if any(r.event_date is None for r in event_readings(t.deadline))
    ]
    unread = [t.number for t in plan.unread_tasks()]
    notes = []
    if waiting:
        notes.append(tr("report.waiting_events", tasks=", ".join(f"№{n}" for n in waiting)))
    if unread:
        notes.append(tr("report.unread", tasks=", ".join(f"№{n}" for n in unread)))
    return notes


def _bounded(lines: list[str], tr: Translator, limit: int) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], tr("digest.more", count=len(lines) - limit)]


def _agency_state(item: Item, plan: Plan, tr: Translator) -> str:
    """The agency's code, with its state when it has said anything at all."""
    code = code_shown(plan, item.agency, tr.language)
    if item.state is ItemState.NOT_STARTED:
        return code
    return f"{code} ({item_status(tr, item, plan)})"


def digest_text(view: DigestView, plan: Plan, tr: Translator) -> str:
    """The week's digest: the counts, each agency's on-time share, what is overdue, and what
    falls due in the next days."""
    report, lang = view.report, tr.language
    parts = [
        tr(
            "digest.title",
            week=view.week.partition(":")[2],
            as_of=as_of_text(report.as_of, report.tz, lang),
        )
    ]
    if view.tasks is not None:
        numbers = ", ".join(f"№{n}" for n in sorted(view.tasks))
        parts.append(tr("digest.scope", tasks=numbers or "—"))
    overdue = [i for i in report.items if i.overdue]
    by_point: dict[str, list[Item]] = {}
    for item in overdue:
        by_point.setdefault(item.point.id, []).append(item)
    overdue_lines = [
        tr(
            "digest.overdue_line",
            task=items[0].point.task,
            kind=tr.plain(f"kind.{items[0].point.kind}"),
            date=long_date(items[0].point.effective, lang),
            agencies=", ".join(_agency_state(i, plan, tr) for i in items),
        )
        for items in sorted(
            by_point.values(), key=lambda g: (g[0].point.effective, g[0].point.task)
        )
    ]
    upcoming_lines = [
        tr(
            "digest.upcoming_line",
            task=p.task,
            kind=tr.plain(f"kind.{p.kind}"),
            date=long_date(p.effective, lang),
            agencies=agency_codes(plan, p.agencies, lang),
        )
        for p in view.upcoming
    ]
    limit = LIST_LIMIT
    while True:
        body = [*parts, ""]
        if report.items:
            body.append(_table(report, plan, tr, MESSAGE_LIMIT // 2))
            body += ["", digest_line(report, plan, tr)]
        body += ["", tr("digest.overdue_heading", count=len(overdue))]
        body += _bounded(overdue_lines, tr, limit) or [tr("digest.overdue_none")]
        body += ["", tr("digest.upcoming_heading")]
        body += _bounded(upcoming_lines, tr, limit) or [tr("digest.upcoming_none")]
        body += ["", tr("report.legend")]
        text = "\n".join(body)
        if len(text) <= MESSAGE_LIMIT or limit == 0:
            return text
        limit -= 1
