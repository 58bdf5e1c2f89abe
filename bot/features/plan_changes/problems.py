"""Why a plan change was refused, told in the reader's language: each problem with its place.

A plan file's problem keeps its JSON path (``tasks[3].deadline.date``), a decree's names its
line, task and cell in the reader's words; a problem's cause follows it after a colon, and the
agency codes it lists are the reader's.
"""

from __future__ import annotations

from bot.i18n.catalog import Translator
from bot.wording import agency_codes
from scheduler.plan.model import Plan
from scheduler.plan.problems import PlanProblem

# Values named in the reader's words through a catalog prefix: ``problem.unit.half_year``.
WORDED = {"unit": "problem.unit.", "cell": "problem.cell."}
# Values that list agency codes: shown in the reader's language.
CODE_LISTS = ("known",)


def problem_text(problem: PlanProblem, tr: Translator, plan: Plan | None = None) -> str:
    """The problem and its cause, as plain text in the reader's language, without its place."""
    values: dict[str, object] = {}
    for name, value in problem.params.items():
        if name in WORDED:
            values[name] = tr.plain(f"{WORDED[name]}{value}")
        elif name in CODE_LISTS and isinstance(value, tuple | list) and plan is not None:
            values[name] = agency_codes(plan, [str(v) for v in value], tr.language)
        elif isinstance(value, tuple | list):
            values[name] = ", ".join(str(v) for v in value)
        else:
            values[name] = value
    text = tr.plain(f"problem.{problem.code}", **values)
    if problem.cause is not None:
        text += ": " + problem_text(problem.cause, tr, plan)
    return text


def _place(problem: PlanProblem, tr: Translator) -> str:
    parts = []
    if problem.line is not None:
        parts.append(tr.plain("problem.place.line", line=problem.line))
    if problem.task is not None and problem.cell is not None:
        cell = tr.plain(f"problem.cell.{problem.cell}")
        parts.append(tr.plain("problem.place.task_cell", task=problem.task, cell=cell))
    elif problem.task is not None:
        parts.append(tr.plain("problem.place.task", task=problem.task))
    elif problem.cell is not None:
        parts.append(tr.plain(f"problem.cell.{problem.cell}"))
    if problem.path is not None:
        parts.append(problem.path)
    return ", ".join(parts)


def problem_line(problem: PlanProblem, tr: Translator, plan: Plan | None = None) -> str:
    """One problem as plain text: its place, what is wrong, and the words in question."""
    text = problem_text(problem, tr, plan)
    if problem.phrase is not None:
        text += tr.plain("problem.place.phrase", phrase=problem.phrase)
    where = _place(problem, tr)
    return f"{where}: {text}" if where else text
