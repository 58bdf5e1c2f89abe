"""The executive discipline as words and cells: the chat table, the digest's line, the
plain table of the command line and the cells of the workbook's sheet.

Every figure comes from ``StatusReport.discipline()``; this module only lays them out. An
agency with nothing due has no share, shown as «—», never as 0 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from babel.numbers import format_decimal

from bot.export.labels import code_shown
from bot.export.text_table import aligned, fitted
from bot.i18n.catalog import Translator
from bot.wording import long_date
from scheduler.plan.model import Plan
from scheduler.reports.discipline import Discipline, Period, PeriodName, overall
from scheduler.usecases.plan_reports import StatusReport

NONE = "—"
# The table's columns after the agency; in the chat the extensions share one «asked/granted».
TEXT_COLUMNS = ("due", "on_time", "late", "open", "share", "returns", "extensions", "late_days")
SHEET_COLUMNS = (
    "due",
    "on_time",
    "late",
    "open",
    "share",
    "returns",
    "asked",
    "granted",
    "late_days",
)


def percent(share: int | None) -> str:
    return NONE if share is None else f"{share}%"


def days_text(days: float | None, language: str) -> str:
    return NONE if days is None else str(format_decimal(days, format="0.0", locale=language))


def period_text(period: Period, tr: Translator, name: PeriodName | None = None) -> str:
    """«this quarter, 1 July 2016 – 15 July 2016», or the dates alone for typed ones."""
    start, end = long_date(period.start, tr.language), long_date(period.end, tr.language)
    if name is None:
        return tr.plain("discipline.period.dates", start=start, end=end)
    return tr.plain(
        "discipline.period.named", name=tr.plain(f"discipline.name.{name}"), start=start, end=end
    )


def shown_figures(report: StatusReport, plan: Plan | None, tr: Translator) -> list[Discipline]:
    """Each agency's figures, its code written in the reader's language."""
    return [replace(f, agency=code_shown(plan, f.agency, tr.language)) for f in report.discipline()]


def figures_with_total(
    report: StatusReport, plan: Plan | None, tr: Translator
) -> tuple[list[Discipline], Discipline]:
    figures = shown_figures(report, plan, tr)
    return figures, overall(figures, tr.plain("report.row.total"))


def _text_row(f: Discipline, language: str) -> list[str]:
    return [
        f.agency,
        str(f.due),
        str(f.on_time),
        str(f.late),
        str(f.overdue_open),
        percent(f.share),
        str(f.returns),
        f"{f.asked}/{f.granted}",
        days_text(f.average_late, language),
    ]


def text_cells(
    report: StatusReport, plan: Plan | None, tr: Translator
) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, one row per agency and the total row, as text."""
    headers = [tr.plain("report.col.agency")]
    headers += [tr.plain(f"discipline.col.{c}") for c in TEXT_COLUMNS]
    figures, total = figures_with_total(report, plan, tr)
    rows = [_text_row(f, tr.language) for f in figures]
    return headers, rows, _text_row(total, tr.language)


def sheet_cells(
    report: StatusReport, plan: Plan | None, tr: Translator
) -> tuple[list[str], list[list[str | int | float]]]:
    """Headers and typed cells: counts as numbers, the share in per cent, «—» for none."""
    headers = [tr.plain("report.col.agency")]
    headers += [tr.plain(f"discipline.head.{c}") for c in SHEET_COLUMNS]
    figures, total = figures_with_total(report, plan, tr)
    rows: list[list[str | int | float]] = []
    for f in [*figures, total]:
        rows.append(
            [
                f.agency,
                f.due,
                f.on_time,
                f.late,
                f.overdue_open,
                NONE if f.share is None else f.share,
                f.returns,
                f.asked,
                f.granted,
                NONE if f.average_late is None else round(f.average_late, 1),
            ]
        )
    return headers, rows


def discipline_message(
    report: StatusReport, plan: Plan | None, tr: Translator, name: PeriodName | None, room: int
) -> str:
    """The chat message: the title with the period, the table, the legend."""
    title = tr("discipline.title", period=period_text(report.period, tr, name))
    if not report.items:
        return "\n".join([title, "", tr("report.no_items")])
    legend = tr("discipline.legend")
    headers, rows, total = text_cells(report, plan, tr)
    table = fitted(headers, rows, total, tr, room - len(title) - len(legend) - 4)
    return "\n".join([title, "", table, "", legend])


def discipline_lines(report: StatusReport, plan: Plan | None, tr: Translator) -> list[str]:
    """The plain table for a terminal: the heading with the period, then the aligned rows."""
    headers, rows, total = text_cells(report, plan, tr)
    heading = tr.plain("discipline.heading", period=period_text(report.period, tr))
    return [heading, "", *aligned(headers, [*rows, total])]


def digest_line(report: StatusReport, plan: Plan | None, tr: Translator) -> str:
    """The digest's short form: each agency's on-time share over the plan so far."""
    figures: Sequence[Discipline] = shown_figures(report, plan, tr)
    shares = " · ".join(f"{f.agency} {percent(f.share)}" for f in figures) or NONE
    return tr("discipline.digest", period=period_text(report.period, tr), shares=shares)
