"""Reading a plan's table from a file: XLSX, CSV or DOCX, as plain rows of text.

What comes out is the same for every format: sheets of numbered rows of cell texts, and for a
Word document the paragraphs before and after its table. A file is refused before anything is
read from it when it is not what its extension says, is protected with a password, or is too
large; while reading, when a sheet has too many rows or a cell too much text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from docx import Document
from docx.table import Table
from openpyxl import load_workbook  # type: ignore[import-untyped]

from scheduler.plan.table_problems import TableImportError, TableProblem, column_letter

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL_CHARS = 10_000
FORMATS = ("xlsx", "csv", "docx")

# An Office file saved with a password is an OLE compound file holding the encrypted package.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ZIP_MAGIC = b"PK\x03\x04"
_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


@dataclass
class Row:
    number: int
    cells: list[str]

    def is_empty(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass
class Sheet:
    name: str
    rows: list[Row]


@dataclass
class TableFile:
    """The file's content: its sheets and, for a Word document, the text around the table."""

    format: str
    sheets: list[Sheet]
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def format_of(name: str) -> str | None:
    """The table format a file name's extension names, or None."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


def read_table_file(raw: bytes, fmt: str, *, name: str) -> TableFile:
    """Read ``raw`` as ``fmt``; refusals raise :class:`TableImportError`."""
    if len(raw) > MAX_FILE_BYTES:
        raise TableImportError(
            [TableProblem("too_big", {"size": len(raw), "limit": MAX_FILE_BYTES})]
        )
    if raw.startswith(_OLE_MAGIC) and _ENCRYPTION_INFO in raw:
        raise TableImportError([TableProblem("encrypted")])
    if fmt == "csv":
        return TableFile("csv", [_read_csv(raw, name)])
    if not raw.startswith(_ZIP_MAGIC) or not _has_part(raw, _MAIN_PART[fmt]):
        raise TableImportError([TableProblem("file_type", {"expected": fmt.upper()})])
    return _read_xlsx(raw) if fmt == "xlsx" else _read_docx(raw)


def _has_part(raw: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return part in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _checked_row(sheet: str, number: int, values: list[str]) -> Row:
    if number > MAX_ROWS:
        raise TableImportError(
            [TableProblem("too_many_rows", {"limit": MAX_ROWS}, sheet=sheet, row=number)]
        )
    for i, value in enumerate(values):
        if len(value) > MAX_CELL_CHARS:
            raise TableImportError(
                [
                    TableProblem(
                        "long_cell",
                        {"length": len(value), "limit": MAX_CELL_CHARS},
                        sheet=sheet,
                        row=number,
                        column=column_letter(i),
                    )
                ]
            )
    return Row(number, values)


def _read_xlsx(raw: bytes) -> TableFile:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableImportError([TableProblem("file_type", {"expected": "XLSX"})]) from None
    try:
        sheets = []
        for ws in book.worksheets:
            rows = [
                _checked_row(ws.title, i, [_text(v) for v in values])
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
            sheets.append(Sheet(ws.title, rows))
    finally:
        book.close()
    return TableFile("xlsx", sheets)


def _read_csv(raw: bytes, name: str) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableImportError([TableProblem("file_type", {"expected": "CSV (UTF-8)"})]) from None
    if "\x00" in text or raw.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise TableImportError([TableProblem("file_type", {"expected": "CSV (UTF-8)"})])
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [_checked_row(name, i, list(values)) for i, values in enumerate(reader, start=1)]
    except csv.Error:
        raise TableImportError([TableProblem("file_type", {"expected": "CSV"})]) from None
    return Sheet(name, rows)


def _delimiter(text: str) -> str:
    """«;» or «,»: whichever splits the first lines into more cells, «;» on a tie."""
    head = "\n".join(text.splitlines()[:20])
    counts: dict[str, int] = {}
    for candidate in (";", ","):
        lines = list(csv.reader(io.StringIO(head), delimiter=candidate))
        counts[candidate] = max((len(line) for line in lines), default=0)
    return ";" if counts[";"] >= counts[","] else ","


def _read_docx(raw: bytes) -> TableFile:
    try:
        document = Document(io.BytesIO(raw))
    except Exception:  # python-docx raises many kinds for a file that is not a document
        raise TableImportError([TableProblem("file_type", {"expected": "DOCX"})]) from None
    before: list[str] = []
    after: list[str] = []
    sheets: list[Sheet] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            name = f"table {len(sheets) + 1}"
            sheets.append(Sheet(name, _docx_rows(item, name)))
        else:
            (after if sheets else before).append(item.text)
    return TableFile("docx", sheets, before=before, after=after)


def _docx_rows(table: Table, name: str) -> list[Row]:
    rows = []
    for i, row in enumerate(table.rows, start=1):
        values: list[str] = []
        previous = None
        for cell in row.cells:
            # A cell merged across columns comes once per column it spans: keep it once.
            values.append("" if previous is not None and cell._tc is previous else cell.text)
            previous = cell._tc
        rows.append(_checked_row(name, i, values))
    return rows
