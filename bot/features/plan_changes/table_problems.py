"""A refused plan table, told in the reader's language: each problem with its sheet, row, column.

A problem whose reason is a cell's phrase (an unread deadline, a bad code) tells that reason
from its coded cause, in place of the English words it carries for the command line.
"""

from __future__ import annotations

from bot.features.plan_changes.problems import problem_text
from bot.i18n.catalog import Translator
from scheduler.plan.model import Plan
from scheduler.plan.table_problems import CAUSE_PARAMS, TableProblem


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


def line(problem: TableProblem, tr: Translator, plan: Plan | None = None) -> str:
    """One problem as plain text, e.g. «парақ «Жоспар», 7-жол, E бағаны: …»."""
    values: dict[str, object] = dict(problem.params)
    if problem.cause is not None and problem.code in CAUSE_PARAMS:
        values[CAUSE_PARAMS[problem.code]] = problem_text(problem.cause, tr, plan)
    text = tr.plain(f"table.{problem.code}", **values)
    where = _place(problem, tr)
    return f"{where}: {text}" if where else text
