"""The information report as CSV: UTF-8 with a byte-order mark, which Excel needs to read
Cyrillic and Kazakh letters correctly; dates in ISO form, comma-separated, CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.export.rows import Cell, report_table
from bot.i18n.catalog import Translator
from scheduler.plan.model import Plan
from scheduler.usecases.plan_reports import StatusReport

ENCODING = "utf-8-sig"


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def csv_bytes(report: StatusReport, plan: Plan, tr: Translator) -> bytes:
    table = report_table(report, plan, tr)
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    return out.getvalue().encode(ENCODING)
