"""The information report as an Excel workbook: the rows, a sheet of counts per agency, and
a sheet of each agency's executive discipline over the report's period."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from bot.export.discipline_text import period_text, sheet_cells
from bot.export.labels import local_naive
from bot.export.rows import COLUMNS, report_table
from bot.export.summary_text import SUMMARY_COLUMNS, summary_cells
from bot.i18n.catalog import Translator
from scheduler.plan.model import Plan
from scheduler.usecases.plan_reports import StatusReport

# Characters per column; long texts wrap instead of widening the sheet.
WIDTHS = {
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
}
WRAPPED = {"title", "agency_name", "comment", "evidence", "status"}
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
SHEET_TITLE_LIMIT = 31


def _header(sheet: object, count: int, row: int = 1) -> None:
    for column in range(1, count + 1):
        cell = sheet.cell(row=row, column=column)  # type: ignore[attr-defined]
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{row + 1}"  # type: ignore[attr-defined]


def _discipline_sheet(book: Workbook, report: StatusReport, tr: Translator) -> None:
    """The heading with the period in A1, the headers in row 2, one row per agency, the total."""
    sheet = book.create_sheet(tr.plain("discipline.sheet")[:SHEET_TITLE_LIMIT])
    sheet.append([tr.plain("discipline.heading", period=period_text(report.period, tr))])
    sheet["A1"].font = Font(bold=True)
    headers, rows = sheet_cells(report, tr)
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    _header(sheet, len(headers), row=2)
    sheet.column_dimensions["A"].width = 12
    for index in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 13


def workbook_bytes(report: StatusReport, plan: Plan, tr: Translator) -> bytes:
    table = report_table(report, plan, tr)
    book = Workbook()
    sheet = book.active
    sheet.title = tr.plain("report.sheet.rows")[:SHEET_TITLE_LIMIT]
    sheet.append(list(table.headers))
    for row in table.rows:
        sheet.append(list(row))
    _header(sheet, len(table.headers))
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[column]
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=column in WRAPPED, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions

    counts = book.create_sheet(tr.plain("report.sheet.summary")[:SHEET_TITLE_LIMIT])
    headers, rows = summary_cells(report, tr)
    counts.append(headers)
    for cells in rows:
        counts.append(cells)
    _header(counts, len(headers))
    counts.column_dimensions["A"].width = 12
    for index in range(2, len(SUMMARY_COLUMNS) + 2):
        counts.column_dimensions[get_column_letter(index)].width = 12
    _discipline_sheet(book, report, tr)

    book.properties.title = tr.plain("report.file_title", as_of=report.today.isoformat())
    book.properties.creator = "Eskertu"
    stamp = local_naive(report.as_of, dt.UTC)
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
