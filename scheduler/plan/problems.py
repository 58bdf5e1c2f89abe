"""Why a plan, a deadline phrase, a decree or an edit cannot be used: a code, its values, its place.

The bot renders a problem from the message catalogs by its code (``problem.<code>``) in the
reader's language; the command line prints :meth:`PlanProblem.english`. The place is a plan
file's JSON path (``tasks[3].deadline.date``, ``12:5``), or a decree's line, task and cell;
the words in question follow as ``phrase``. A problem may have a ``cause``: an edit of a
deadline that fails because its phrase cannot be read says so, then why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# English wording of each code, for the command line, the logs and the tests.
ENGLISH: Mapping[str, str] = {
    # the date grammar
    "phrase.unsupported": "«{words}» (from/within) is not part of the deadline grammar",
    "phrase.unreadable": "cannot read «{words}»",
    "phrase.not_a_month": "«{words}» is not a month",
    "phrase.no_such_day": "there is no day {day}",
    "phrase.several_years": "the deadline names several years ({years})",
    "phrase.no_year": "the deadline has no year and the row gives none to borrow",
    "phrase.no_label": "the part «{part}» has no label of the form «label – deadline»",
    "phrase.several_events": "a deadline follows at most one event",
    "phrase.empty": "the deadline is empty",
    "phrase.unlabelled_dates": "a deadline with several dates must be written as labelled parts",
    "phrase.ongoing_combined": "«тұрақты» (ongoing) cannot be combined with other dates",
    "phrase.no_date": "found no date in the deadline",
    "phrase.several_dates": "found more than one date in the deadline",
    "phrase.day_needs_frequency": (
        "a day of every month needs a frequency («ай сайын», «ежемесячно»)"
    ),
    "phrase.limit_repeated": "«дейін» or «кешіктірмей» is repeated",
    "phrase.limits_contradict": "«дейін» and «кешіктірмей» contradict each other",
    "phrase.no_later_needs_day": (
        "«кешіктірмей» (no later than) needs a day and a month, or a quarter"
    ),
    "phrase.several_frequencies": "the deadline names more than one frequency",
    "phrase.frequency_alone": "the frequency is joined to nothing",
    "phrase.yearly_day_with_year": "a day of every year is written without its year",
    "phrase.before_period": "«дейін» (before) a quarter or half-year is not a day",
    "phrase.recurring_shape": (
        "a recurring deadline takes at most a day and a month (annual tasks only)"
    ),
    "phrase.no_day_in_month": "there is no day {day} in a month",
    "phrase.not_a_report_date": "«{words}» is not a reporting date",
    "phrase.no_report_day": "no day and month in the reporting phrase",
    "phrase.report_no_year": "the reporting date has no year and the row gives none to borrow",
    "phrase.day_not_before": "a day is needed, not «before» a day",
    "phrase.day_needed": "a day with its month is needed",
    "phrase.date_not_event": (
        "«{event}» is relative to a date, not to an event: write the date itself"
    ),
    # a plan file
    "plan.unreadable_file": "cannot read {file}: {reason}",
    "plan.not_utf8": "the file is not UTF-8 text",
    "plan.malformed": "malformed JSON: {detail}",
    "plan.too_deep": "malformed JSON: nested too deeply to read",
    "plan.number_too_long": "malformed JSON: a number too long to read",
    "plan.too_big": "the file has {size} bytes; a plan file may have at most {limit}",
    "plan.over_limit": "the file has more than {limit} bytes; a plan file may have at most {limit}",
    "plan.missing": "missing field",
    "plan.extra": "{detail}",
    "plan.wrong_type": "{detail}",
    "plan.bad_date": "{detail}",
    "plan.out_of_range": "{detail}",
    "plan.too_short": "{detail}",
    "plan.too_long": "{detail}",
    "plan.not_allowed": "{detail}",
    "plan.unknown_kind": "{detail}",
    "plan.pattern": "{detail}",
    "plan.invalid": "{detail}",
    "plan.timezone": "unknown time zone '{zone}'",
    "plan.no_tasks": "the plan has no tasks",
    "plan.number_too_large": "{number} is too large (at most {limit})",
    "plan.duplicate_number": "duplicate task number {number} (as tasks[{first}])",
    "plan.no_section": "no section {section} in sections",
    "plan.duplicate_code": "duplicate agency code {code}",
    "plan.duplicate_section": "duplicate section {number}",
    "plan.period_reversed": "{end} is before the start {start}",
    "plan.second_consolidator": "only one agency consolidates (already responsible[{first}])",
    "plan.unknown_code": "unknown agency code {code} (known: {known})",
    "plan.lead_first": "the first agency named, and only it, leads",
    "plan.deadline_before": "the deadline {day} is before the plan starts ({start})",
    "plan.deadline_after": "the deadline {day} is after the plan ends ({end})",
    "plan.report_before": "the reporting date {day} is before the plan starts ({start})",
    "plan.report_after": "the reporting date {day} is after the plan ends ({end})",
    "plan.no_such_period": "a year has no {unit} number {index}",
    "plan.year_out_of_range": "year {year} is out of range",
    "plan.not_period_end": "{day} is not the end of {unit} {index} of {year} ({expected})",
    # an edit of one task
    "edit.no_task": "there is no task {task} in the plan",
    "edit.deadline": "deadline «{phrase}»",
    "edit.reports": "reporting dates «{phrase}»",
    "edit.agencies": "agencies «{phrase}»",
    "edit.not_event": "the deadline of task {task} does not follow an event",
    "edit.event_date": "the date «{phrase}»",
    # a decree's text, and the cells a table shares with it
    "decree.no_glossary": "no glossary («Ескерту: аббревиатуралардың жазылуы:») found",
    "decree.no_table": "no table (lines starting with a tab) before the glossary",
    "decree.invalid_plan": "the imported plan is not valid: {problems}",
    "decree.glossary_line": "a glossary line must read «CODE – name»",
    "decree.code_twice": "the code {code} is already defined on line {first}",
    "decree.no_codes": "the glossary defines no agency codes",
    "decree.stray_text": "text outside the table's cells",
    "decree.task_before_section": "a task comes before any section",
    "decree.cell_missing": (
        "task {number} has {count} cells instead of {expected} (the {cell} cell is missing)"
    ),
    "decree.cells_count": "task {number} has {count} cells instead of {expected}",
    "decree.too_many_cells": "task {number} has more than {expected} cells",
    "decree.expected_heading": "expected a section heading «N. TITLE» or a task number «N.»",
    "decree.no_tasks": "the table has no tasks",
    "decree.empty_cell": "the cell is empty",
    "decree.unknown_code": "unknown agency code «{code}» (the glossary defines: {known})",
    "decree.unreadable_code": "cannot read «{item}» as an agency code",
    "decree.unknown_note": (
        "unknown note «({note})» after an agency code; only «(жинақтау)» is known"
    ),
    "decree.named_twice": "the agency {code} is named twice",
    "decree.no_agency": "no responsible agency",
    "decree.stray_code": "unknown agency code «{code}»",
    "decree.two_recipients": "reports go to two recipients ({first}, {second})",
    "decree.no_approval": (
        "the preamble does not approve a plan («Қоса беріліп отырған ... бекітілсін»)"
    ),
    "decree.title_no_years": "the plan's title names no years",
    "decree.years_order": "the plan's years are out of order",
    "decree.no_act": "the preamble does not name the act («Осы өкімнің ...»)",
    "decree.no_controller": "no paragraph puts anyone in control («бақылау ... жүктелсін»)",
    "decree.signature_position": "the signature names no position",
    "decree.no_signature": "no signature («Position   I. Surname») after the paragraphs",
    "decree.sidecar_agency": "the translations name agency {code}, which the glossary lacks",
    "decree.sidecar_task": "the translations name task {task}, which the table lacks",
}

# The catalog names the decree's cells in the reader's language (``problem.cell.<name>``).
CELL_NAMES = ("text", "deadline", "responsible", "form", "control", "funding")

Params = Mapping[str, object]


def _english_value(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class PlanProblem:
    """One problem: its code, the values its message needs, why it happened and where."""

    code: str
    params: Params = field(default_factory=dict)
    cause: PlanProblem | None = None
    path: str | None = None
    line: int | None = None
    task: int | None = None
    cell: str | None = None
    phrase: str | None = None

    def __post_init__(self) -> None:
        if self.code not in ENGLISH:
            raise ValueError(f"no such problem code: {self.code}")

    def __hash__(self) -> int:
        # The values are a mapping, which has no hash; the whole text says what the problem is.
        return hash((self.code, self.english()))

    @property
    def message(self) -> str:
        """The problem in English without its place, its cause after a colon."""
        text = ENGLISH[self.code].format_map({k: _english_value(v) for k, v in self.params.items()})
        return f"{text}: {self.cause.message}" if self.cause is not None else text

    def place(self) -> str:
        """Where, in English: «line 72, task 8, deadline cell», a JSON path, or both."""
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.task is not None and self.cell is not None:
            parts.append(f"task {self.task}, {self.cell} cell")
        elif self.task is not None:
            parts.append(f"task {self.task}")
        elif self.cell is not None:
            parts.append(self.cell)
        if self.path is not None:
            parts.append(self.path)
        return ", ".join(parts)

    def english(self) -> str:
        where = self.place()
        phrase = f" in «{self.phrase}»" if self.phrase is not None else ""
        return f"{where}: {self.message}{phrase}" if where else f"{self.message}{phrase}"

    def __str__(self) -> str:
        return self.english()

    def at(self, **place: Any) -> PlanProblem:
        """The same problem at a place (``path``, ``line``, ``task``, ``cell``, ``phrase``)."""
        return replace(self, **place)


# Pydantic's error types, by the problem code that tells a reader what is wrong.
_MODEL_CODES = {
    "missing": "plan.missing",
    "extra_forbidden": "plan.extra",
    "greater_than": "plan.out_of_range",
    "greater_than_equal": "plan.out_of_range",
    "less_than": "plan.out_of_range",
    "less_than_equal": "plan.out_of_range",
    "too_short": "plan.too_short",
    "string_too_short": "plan.too_short",
    "too_long": "plan.too_long",
    "string_too_long": "plan.too_long",
    "literal_error": "plan.not_allowed",
    "enum": "plan.not_allowed",
    "union_tag_invalid": "plan.unknown_kind",
    "union_tag_not_found": "plan.unknown_kind",
    "string_pattern_mismatch": "plan.pattern",
}


def model_problem(
    error: Mapping[str, Any], path: str | None = None, *, quote_input: bool = True
) -> PlanProblem:
    """One error of a pydantic model as a coded problem; ``detail`` keeps pydantic's words,
    with the value it refused when ``quote_input``."""
    kind = str(error["type"])
    detail = str(error["msg"]).removeprefix("Value error, ")
    found = "—"
    if kind == "union_tag_invalid":
        found = str((error.get("ctx") or {}).get("tag", "—"))
    elif "input" in error:
        found = json.dumps(error["input"], ensure_ascii=False, default=str)[:80]
    if kind == "missing":
        detail = "missing field"
    elif quote_input and "input" in error and kind not in ("union_tag_invalid", "model_type"):
        detail = f"{detail} (found {found})"
    code = _MODEL_CODES.get(kind)
    if code is None:
        if kind.startswith("date") or kind.startswith("datetime"):
            code = "plan.bad_date"
        elif kind.endswith(("_type", "_parsing")) or kind.startswith(("int_", "float_", "bool_")):
            code = "plan.wrong_type"
        else:
            code = "plan.invalid"
    return PlanProblem(code, {"detail": detail, "found": found}, path=path)


def first_model_problem(errors: list[Any]) -> PlanProblem:
    """The first thing a model refused, where and why, with the place as pydantic gives it."""
    first = errors[0]
    return model_problem(first, ".".join(str(p) for p in first["loc"]), quote_input=False)
