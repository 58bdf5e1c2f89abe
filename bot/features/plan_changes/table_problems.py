"""A refused plan table, told in the reader's language: each problem with its sheet, row, column."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.i18n.catalog import Raw, Translator
from scheduler.plan.table_problems import TableProblem

SHOWN = 30
LIMIT = 3900


def _place(problem: TableProblem, tr: Translator) -> str:
    parts = []
    if problem.sheet is not None:
        parts.append(tr.plain("table.place.sheet", sheet=problem.sheet))
    if problem.row is not None:
        parts.append(tr.plain("table.place.row", row=problem.row))
    if problem.column is not None:
        key = "table.place.header" if problem.header else "table.place.column"
        parts.append(tr.plain(key, column=problem.column, header=problem.header or ""))
    return ", ".join(parts)


def line(problem: TableProblem, tr: Translator) -> str:
    """One problem as plain text, e.g. «парақ «Жоспар», 7-жол, E бағаны: …»."""
    text = tr.plain(f"table.{problem.code}", **dict(problem.params))
    where = _place(problem, tr)
    return f"{where}: {text}" if where else text


def rejected_table(problems: Sequence[TableProblem], tr: Translator) -> str:
    shown = "\n".join(f"• {html.escape(line(p, tr), quote=False)}" for p in problems[:SHOWN])
    text = tr("table.rejected", problems=Raw(shown))
    if len(problems) > SHOWN:
        text += "\n" + tr("missed.more", more=len(problems) - SHOWN)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"
