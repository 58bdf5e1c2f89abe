"""Writing real-shaped plan files for the tests: XLSX, CSV and DOCX, made here, never stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from docx import Document
from docx.table import Table
from openpyxl import Workbook

Rows = Sequence[Sequence[str | int | None]]


def xlsx_bytes(sheets: dict[str, Rows], merge_single: bool = True) -> bytes:
    """A workbook with one sheet per entry; a row with one value is merged across the row."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        width = max((len(r) for r in rows), default=1)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
            filled = [v for v in row if v not in (None, "")]
            if merge_single and len(filled) == 1 and width > 1 and r > 1 and row[0] == filled[0]:
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Rows, *, delimiter: str = ";", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def docx_bytes(before: Sequence[str], rows: Rows, after: Sequence[str]) -> bytes:
    """A Word document: paragraphs, one real table (a one-value row merged), paragraphs."""
    document = Document()
    for text in before:
        document.add_paragraph(text)
    width = max(len(r) for r in rows)
    table: Table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        filled = [v for v in row if v not in (None, "")]
        if len(filled) == 1 and row[0] == filled[0] and r > 0:
            merged = table.cell(r, 0).merge(table.cell(r, width - 1))
            merged.text = str(filled[0])
            continue
        for c, value in enumerate(row):
            table.cell(r, c).text = "" if value is None else str(value)
    for text in after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DECREE_HEADER = (
    "Р/с №",
    "Іс-шараның атауы",
    "Орындау мерзімі",
    "Жауапты орындаушылар",
    "Аяқтау нысаны",
    "Бақылау",
    "Қаржыландыру көзі",
)


def decree_docx(text: str) -> bytes:
    """The decree's text as the legal database's Word download has it: the table a real table."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("\t") or "\t" in line[:2])
    glossary = next(i for i, line in enumerate(lines) if line.startswith("Ескерту:"))
    rows: list[list[str | int | None]] = [list(DECREE_HEADER)]
    cells = [line.split("\t", 1)[1].strip() for line in lines[first:glossary] if "\t" in line]
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.rstrip(".").isdigit():
            rows.append([cell, *cells[i + 1 : i + 7]])
            i += 7
        elif cell:
            rows.append([cell, None, None, None, None, None, None])
            i += 1
        else:
            i += 1
    return docx_bytes(lines[:first], rows, lines[glossary:])
