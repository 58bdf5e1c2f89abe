"""Why a table cannot be imported: each problem a code, its parameters and its place.

The bot renders a problem from the message catalogs by its code (``table.<code>``) in the
reader's language; the CLI prints :meth:`TableProblem.english`. The place names the sheet
(a workbook's sheet, the CSV file, or "table N" of a Word document), the row and the column.
A problem whose reason lies in a cell's phrase carries it as its ``cause``, coded too
(:mod:`scheduler.plan.problems`), which the bot tells in place of the English words of
``CAUSE_PARAMS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scheduler.plan.problems import PlanProblem

# English wording of each code, for the command line and the logs.
ENGLISH = {
    "file_type": "the file is not a {expected} file",
    "encrypted": "the file is protected with a password; save it without one and send it again",
    "too_big": "the file has {size} bytes; a table may have at most {limit}",
    "over_limit": "the file has more than {limit} bytes; a table may have at most {limit}",
    "too_many_rows": "the sheet has more than {limit} rows",
    "long_cell": "the cell has {length} characters; a cell may have at most {limit}",
    "no_header": "no row names the plan's columns ({columns})",
    "missing_column": "the header has no «{column}» column",
    "empty_row": "an empty row inside the table; remove it or fill it",
    "repeated_number": "task number {number} is already used in row {first}",
    "bad_number": "«{value}» is not a task number",
    "empty_cell": "the cell is empty",
    "unread_deadline": "cannot read the deadline «{phrase}»: {reason} (--allow-unread keeps it)",
    "unknown_code": "unknown agency code «{code}» (the glossary defines: {known})",
    "bad_glossary": "a glossary line must read «CODE – name»: «{text}»",
    "no_tasks": "the table has no tasks",
    "no_year": "the plan names no year: write it in the title above the table",
    "bad_cell": "{message} in «{text}»",
    "invalid": "{message}",
}


# The parameter whose English words a problem's cause stands for, by the problem's code.
CAUSE_PARAMS = {"unread_deadline": "reason", "bad_cell": "message", "invalid": "message"}


@dataclass(frozen=True)
class TableProblem:
    """One problem; ``row`` counts from 1 as spreadsheets do, ``column`` is a letter (A, B …)."""

    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    cause: PlanProblem | None = None

    def place(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet «{self.sheet}»")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            named = f" «{self.header}»" if self.header else ""
            parts.append(f"column {self.column}{named}")
        return ", ".join(parts)

    def english(self) -> str:
        text = ENGLISH[self.code].format_map(dict(self.params))
        where = self.place()
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.english()


class TableImportError(Exception):
    """A table that cannot be imported; ``problems`` lists every reason, nothing is kept."""

    def __init__(self, problems: Sequence[TableProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.english() for p in self.problems))


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: A … Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
