"""The information report as an Excel workbook a ministry can send on.

The workbook is built from ``SHEETS``, one entry per sheet, in order: the information itself
(a title row naming the plan and the moment it stands at, then one row per task), the data
behind it (one row per task, agency and control point), the counts per agency, and each
agency's executive discipline over the report's period. Another sheet is one more entry.
Cells are typed: numbers as numbers, dates as dates, shares as percentages; columns have
widths, long texts wrap, and the header rows stay in view.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from bot.export.discipline_text import period_text, sheet_cells
from bot.export.labels import as_of_text, local_naive
from bot.export.rows import (
    COLUMNS,
    INFORMATION_COLUMNS,
    Cell,
    Table,
    information_table,
    report_table,
)
from bot.export.summary_text import SUMMARY_COLUMNS
from bot.i18n.catalog import Translator
from bot.wording import agency_code
from scheduler.plan.model import Plan
from scheduler.reports.summary import AgencySummary
from scheduler.usecases.plan_reports import StatusReport
from scheduler.vocabulary.control import summary_columns

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
PERCENT_FORMAT = "0%"
SHEET_TITLE_LIMIT = 31
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Context:
    """What every sheet is written from."""

    report: StatusReport
    plan: Plan
    tr: Translator


@dataclass(frozen=True)
class Layout:
    """How a table sits on its sheet: its columns' widths, which of them wrap, and how many
    rows (the title, the header) stay in view."""

    widths: Mapping[str, float]
    wrapped: frozenset[str] = frozenset()
    title: str | None = None


def _write(sheet: Any, table: Table, columns: Sequence[str], layout: Layout) -> None:
    top = 1
    if layout.title is not None:
        sheet.cell(row=1, column=1, value=layout.title).font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.row_dimensions[1].height = 36
        sheet.cell(row=1, column=1).alignment = WRAP
        top = 2
    for index, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=top, column=index, value=header)
        cell.font = Font(bold=True)
        cell.alignment = WRAP
    for offset, row in enumerate(table.rows, start=top + 1):
        for index, value in enumerate(row, start=1):
            _typed(sheet.cell(row=offset, column=index), value)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = layout.widths[column]
        for cell in sheet[letter][top:]:
            cell.alignment = WRAP if column in layout.wrapped else TOP
    sheet.freeze_panes = f"A{top + 1}"


def _typed(cell: Any, value: Cell | float) -> None:
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def information_sheet(sheet: Any, context: Context) -> None:
    report, plan, tr = context.report, context.plan, context.tr
    table = information_table(report, plan, tr)
    title = tr.plain(
        "exports.title",
        plan=plan.title.in_language(tr.language),
        as_of=as_of_text(report.as_of, report.tz, tr.language),
    )
    layout = Layout(
        widths={
            "number": 6,
            "measure": 48,
            "form": 28,
            "deadline": 24,
            "responsible": 32,
            "progress": 60,
            "information": 26,
        },
        wrapped=frozenset(INFORMATION_COLUMNS) - {"number"},
        title=title,
    )
    _write(sheet, table, INFORMATION_COLUMNS, layout)


def data_sheet(sheet: Any, context: Context) -> None:
    table = report_table(context.report, context.plan, context.tr)
    layout = Layout(
        widths={
            "number": 6,
            "title": 60,
            "agency_code": 10,
            "agency_name": 34,
            "kind": 16,
            "date": 12,
            "nominal": 12,
            "status": 22,
            "status_date": 17,
            "comment": 50,
            "evidence": 24,
            "overdue": 10,
        },
        wrapped=frozenset({"title", "agency_name", "comment", "evidence", "status"}),
    )
    _write(sheet, table, COLUMNS, layout)
    sheet.auto_filter.ref = sheet.dimensions


def _counts(summary: AgencySummary) -> list[Cell | float]:
    return [
        summary.total,
        *(summary.in_column(column) for column in summary_columns()),
        summary.overdue,
        summary.on_time_share,
    ]


def summary_sheet(sheet: Any, context: Context) -> None:
    report, plan, tr = context.report, context.plan, context.tr
    columns = ("agency", *SUMMARY_COLUMNS)
    headers = tuple(tr.plain(f"report.col.{column}") for column in columns)
    rows: list[tuple[Any, ...]] = [
        (agency_code(plan, s.agency, tr.language), *_counts(s)) for s in report.agencies
    ]
    rows.append((tr.plain("report.row.total"), *_counts(report.totals)))
    layout = Layout(widths=dict.fromkeys(columns, 12.0) | {"agency": 14.0})
    _write(sheet, Table(headers, tuple(rows)), columns, layout)
    share = get_column_letter(columns.index("on_time") + 1)
    for cell in sheet[share][1:]:
        cell.number_format = PERCENT_FORMAT


def discipline_sheet(sheet: Any, context: Context) -> None:
    """The heading with the period, the headers, one row per agency, and the total."""
    report, tr = context.report, context.tr
    headers, rows = sheet_cells(report, context.plan, tr)
    columns = tuple(f"c{n}" for n in range(len(headers)))
    layout = Layout(
        widths=dict.fromkeys(columns, 13.0) | {"c0": 12.0},
        title=tr.plain("discipline.heading", period=period_text(report.period, tr)),
    )
    cells: list[tuple[Any, ...]] = [tuple(row) for row in rows]
    _write(sheet, Table(tuple(headers), tuple(cells)), columns, layout)


SheetWriter = Callable[[Any, Context], None]
# The sheets of the workbook, in order: the catalog key of each one's name, and its writer.
SHEETS: tuple[tuple[str, SheetWriter], ...] = (
    ("report.sheet.rows", information_sheet),
    ("exports.sheet.data", data_sheet),
    ("report.sheet.summary", summary_sheet),
    ("discipline.sheet", discipline_sheet),
)


def workbook_bytes(report: StatusReport, plan: Plan, tr: Translator) -> bytes:
    context = Context(report, plan, tr)
    book = Workbook()
    book.remove(book.active)
    for name, write in SHEETS:
        write(book.create_sheet(tr.plain(name)[:SHEET_TITLE_LIMIT]), context)
    book.properties.title = tr.plain("report.file_title", as_of=report.today.isoformat())
    book.properties.creator = "Eskertu"
    book.properties.language = tr.language
    stamp = local_naive(report.as_of, dt.UTC)
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
