"""Importing a plan from a file of any supported kind: the decree's text, XLSX, CSV or DOCX.

A Word document that holds a whole decree (the approving paragraphs before its table, the
glossary after it, as the legal database gives it for download) is read as the decree: its
table's rows are laid out as the decree's text has them and imported by the same importer, so
both forms give the same plan. Any other table goes to :mod:`scheduler.plan.table_import`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.plan.decree_import import CELLS, DecreeImportError, ImportResult, import_decree
from scheduler.plan.model import Agency, Reading
from scheduler.plan.problems import PlanProblem
from scheduler.plan.table_files import Sheet, TableFile, format_of, read_table_file
from scheduler.plan.table_import import import_table, match_header
from scheduler.plan.table_problems import TableImportError, TableProblem, column_letter
from scheduler.plan.textmatch import fold
from scheduler.plan.translations import Translations

SUFFIXES = ("txt", "xlsx", "csv", "docx")
# The decree's own column order, after the number: the order of ``CELLS``.
_DECREE_COLUMNS = ("number", *CELLS)
_APPROVES = re.compile(r"қоса\s+беріліп\s+отырған.+бекітілсін", re.DOTALL)
_GLOSSARY = re.compile(r"\s*ескерту\s*:\s*аббревиатура")


def import_plan_file(
    raw: bytes,
    name: str,
    *,
    translations: Translations | None = None,
    before_reading: Reading = Reading.EXCLUSIVE,
    allow_unread: bool = False,
    known_agencies: Sequence[Agency] = (),
) -> ImportResult:
    """Import ``raw``, its kind told by the extension of ``name``.

    Raises :class:`DecreeImportError` for a decree's text and :class:`TableImportError` for a
    table or a document; either names the place of every problem.
    """
    fmt = format_of(name)
    if fmt is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DecreeImportError(PlanProblem("plan.not_utf8")) from None
        return import_decree(text, translations=translations, before_reading=before_reading)
    table = read_table_file(raw, fmt, name=name.rsplit("/", 1)[-1])
    if is_decree(table):
        return _import_decree_document(table, translations, before_reading)
    return import_table(
        table,
        source_name=name.rsplit("/", 1)[-1],
        before_reading=before_reading,
        allow_unread=allow_unread,
        known_agencies=known_agencies,
    )


def is_decree(table: TableFile) -> bool:
    """Whether a document holds a whole decree: it approves the plan and has the glossary."""
    if table.format != "docx" or not table.sheets:
        return False
    approves = _APPROVES.search(fold("\n".join(table.before))) is not None
    return approves and any(_GLOSSARY.match(fold(p)) for p in table.after)


@dataclass(frozen=True)
class _Place:
    sheet: str
    row: int
    column: int | None
    header: str | None


def decree_text(table: TableFile) -> tuple[str, dict[int, _Place]]:
    """The decree's text as the text importer reads it, and where each table line came from."""
    sheet = table.sheets[0]
    lines: list[str] = [line for p in table.before for line in p.split("\n")]
    places: dict[int, _Place] = {}
    rows = sheet.rows
    columns, titles = _decree_columns(sheet)
    if titles:
        rows = rows[1:]
    if rows and all(c.strip().rstrip(".") == str(i) for i, c in enumerate(rows[0].cells, 1)):
        rows = rows[1:]
    sections = 0
    for row in rows:
        filled = [c for c in row.cells if c.strip()]
        if not filled:
            continue
        if len(filled) == 1:
            sections += 1
            title = filled[0].replace("\n", " ").strip()
            if not re.match(r"\d+\.\s", title):
                title = f"{sections}. {title}"
            places[len(lines) + 1] = _Place(sheet.name, row.number, None, None)
            lines.append("\t" + title)
            continue
        for column in _DECREE_COLUMNS:
            index = columns.get(column)
            value = row.cells[index] if index is not None and index < len(row.cells) else ""
            header = titles.get(index) if index is not None else None
            places[len(lines) + 1] = _Place(sheet.name, row.number, index, header)
            # The text's layout holds a cell on one line: a break inside a cell becomes a space.
            lines.append("\t" + value.replace("\n", " "))
    lines.extend(line for p in table.after for line in p.split("\n"))
    return "\n".join(lines) + "\n", places


def _decree_columns(sheet: Sheet) -> tuple[dict[str, int], dict[int, str]]:
    """Columns named by the table's header row, or the decree's own order without one."""
    if sheet.rows:
        columns: dict[str, int] = {}
        titles: dict[int, str] = {}
        for i, cell in enumerate(sheet.rows[0].cells):
            found = match_header(cell)
            if found is not None and found not in columns:
                columns[found] = i
                titles[i] = " ".join(cell.split())
        if len(columns) >= 3:
            return columns, titles
    return {column: i for i, column in enumerate(_DECREE_COLUMNS)}, {}


def _import_decree_document(
    table: TableFile, translations: Translations | None, before_reading: Reading
) -> ImportResult:
    text, places = decree_text(table)
    try:
        return import_decree(text, translations=translations, before_reading=before_reading)
    except DecreeImportError as exc:
        place = places.get(exc.line) if exc.line is not None else None
        params = {"message": exc.message, "text": exc.phrase or ""}
        if place is None:
            message = str(exc) if exc.line is None else exc.message
            raise TableImportError(
                [TableProblem("invalid", {"message": message}, cause=exc.problem)]
            ) from None
        raise TableImportError(
            [
                TableProblem(
                    "bad_cell" if exc.phrase else "invalid",
                    params,
                    sheet=place.sheet,
                    row=place.row,
                    column=column_letter(place.column) if place.column is not None else None,
                    header=place.header,
                    cause=exc.problem,
                )
            ]
        ) from None
