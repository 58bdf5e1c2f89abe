"""Checking a plan file: every problem, each named by its place in the file.

:func:`validate` checks parsed JSON against the models and then the rules the models cannot
express (known agency codes, unique task numbers, dates inside the plan's period, ...), so one
run reports all problems at once. :func:`load_plan` is what the bot and the CLI call; it raises
:class:`PlanError` carrying the same list an administrator sees when an upload is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from scheduler.plan.model import PeriodUnit, Plan, period_end

# Task numbers are stored with each status report in a 32-bit column.
MAX_TASK_NUMBER = 2**31 - 1
# Windows editors start UTF-8 files with a byte-order mark; it carries no content.
BOM = "\ufeff"


@dataclass(frozen=True)
class Problem:
    """One problem: ``path`` is its place, e.g. ``tasks[3].deadline.date`` or ``12:5``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PlanError(Exception):
    """A plan that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(p) for p in problems))


def first_error(exc: ValidationError) -> str:
    """The first thing a model refused, where and why: «tasks.0.number: …»."""
    first = exc.errors(include_url=False)[0]
    return ".".join(str(p) for p in first["loc"]) + ": " + str(first["msg"])


def load_plan(path: Path | str) -> Plan:
    """Read and check a plan file, raising :class:`PlanError` with every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(
            [Problem("file", f"cannot read {path}: {exc.strerror}")], str(path)
        ) from None
    return parse_plan(raw, source=str(path))


def parse_plan(raw: bytes | str, *, source: str | None = None) -> Plan:
    """Parse and check a plan given as JSON text, e.g. a file an administrator uploaded.

    A leading byte-order mark is accepted and ignored.
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlanError(
                [Problem(f"byte {exc.start}", "the file is not UTF-8 text")], source
            ) from None
    try:
        data = json.loads(raw.removeprefix(BOM))
    except json.JSONDecodeError as exc:
        raise PlanError(
            [Problem(f"{exc.lineno}:{exc.colno}", f"malformed JSON: {exc.msg}")], source
        ) from None
    except RecursionError:
        raise PlanError(
            [Problem("(top level)", "malformed JSON: nested too deeply to read")], source
        ) from None
    except ValueError:
        # What json.loads raises besides a decoding error: an integer of thousands of digits.
        raise PlanError(
            [Problem("(top level)", "malformed JSON: a number too long to read")], source
        ) from None
    problems = validate(data)
    if problems:
        raise PlanError(problems, source)
    return Plan.model_validate(data)


def validate(data: object) -> list[Problem]:
    """Every problem of a parsed plan (the result of ``json.loads``); empty when it is valid."""
    problems = _model_problems(data)
    if isinstance(data, dict):
        problems.extend(_rule_problems(data))
    return sorted(set(problems), key=lambda p: (_sort_key(p.path), p.message))


def _sort_key(path: str) -> tuple[object, ...]:
    parts: list[object] = []
    for piece in path.replace("[", ".[").split("."):
        if piece.startswith("[") and piece.endswith("]") and piece[1:-1].isdigit():
            parts.append((0, int(piece[1:-1]), ""))
        else:
            parts.append((1, 0, piece))
    return tuple(parts)


# --- shape: the models ------------------------------------------------------------------------


def _model_problems(data: object) -> list[Problem]:
    try:
        Plan.model_validate(data)
    except ValidationError as exc:
        return [
            Problem(_path(err["loc"], data), _message(err)) for err in exc.errors(include_url=False)
        ]
    return []


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        return "missing field"
    if "input" in err and err["type"] not in ("union_tag_invalid", "model_type"):
        return f"{msg} (found {json.dumps(err['input'], ensure_ascii=False)[:80]})"
    return msg


def _path(loc: tuple[int | str, ...], data: object) -> str:
    """A pydantic location as a JSON path, without the union tags pydantic inserts."""
    out = ""
    node: object = data
    tag_skipped_for: int | None = None
    for element in loc:
        if isinstance(element, int):
            out += f"[{element}]"
            node = (
                node[element]
                if isinstance(node, list) and -len(node) <= element < len(node)
                else None
            )
            tag_skipped_for = None
            continue
        if isinstance(node, dict) and node.get("kind") == element and tag_skipped_for != id(node):
            tag_skipped_for = id(node)
            continue
        out += f".{element}" if out else str(element)
        node = node.get(element) if isinstance(node, dict) else None
        tag_skipped_for = None
    return out or "(top level)"


# --- rules: what the models cannot say --------------------------------------------------------


def _rule_problems(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    codes = _agency_codes(data, problems)
    sections = _section_numbers(data, problems)
    period = _period(data, problems)
    zone = data.get("timezone")
    if isinstance(zone, str):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Problem("timezone", f"unknown time zone {zone!r}"))
    tasks = data.get("tasks")
    if isinstance(tasks, list) and not tasks:
        problems.append(Problem("tasks", "the plan has no tasks"))
    seen: dict[int, int] = {}
    for i, task in enumerate(tasks if isinstance(tasks, list) else []):
        if not isinstance(task, dict):
            continue
        at = f"tasks[{i}]"
        number = task.get("number")
        if isinstance(number, int) and number > MAX_TASK_NUMBER:
            problems.append(
                Problem(f"{at}.number", f"{number} is too large (at most {MAX_TASK_NUMBER})")
            )
        elif isinstance(number, int):
            if number in seen:
                problems.append(
                    Problem(
                        f"{at}.number", f"duplicate task number {number} (as tasks[{seen[number]}])"
                    )
                )
            else:
                seen[number] = i
        section = task.get("section")
        if isinstance(section, int) and sections is not None and section not in sections:
            problems.append(Problem(f"{at}.section", f"no section {section} in sections"))
        problems.extend(_task_codes(task, at, codes))
        if period is not None:
            problems.extend(_task_dates(task, at, period))
    return problems


def _agency_codes(data: dict[str, Any], problems: list[Problem]) -> set[str] | None:
    agencies = data.get("agencies")
    if not isinstance(agencies, list):
        return None
    codes: set[str] = set()
    for i, agency in enumerate(agencies):
        code = agency.get("code") if isinstance(agency, dict) else None
        if isinstance(code, str):
            if code in codes:
                problems.append(Problem(f"agencies[{i}].code", f"duplicate agency code {code}"))
            codes.add(code)
    return codes


def _section_numbers(data: dict[str, Any], problems: list[Problem]) -> set[int] | None:
    sections = data.get("sections")
    if not isinstance(sections, list):
        return None
    numbers: set[int] = set()
    for i, section in enumerate(sections):
        number = section.get("number") if isinstance(section, dict) else None
        if isinstance(number, int):
            if number in numbers:
                problems.append(Problem(f"sections[{i}].number", f"duplicate section {number}"))
            numbers.add(number)
    return numbers


def _period(data: dict[str, Any], problems: list[Problem]) -> tuple[dt.date, dt.date] | None:
    period = data.get("period")
    if not isinstance(period, dict):
        return None
    start, end = _as_date(period.get("start")), _as_date(period.get("end"))
    if start is None or end is None:
        return None
    if end < start:
        problems.append(Problem("period.end", f"{end} is before the start {start}"))
        return None
    return start, end


def _as_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _task_codes(task: dict[str, Any], at: str, codes: set[str] | None) -> list[Problem]:
    if codes is None:
        return []
    problems: list[Problem] = []
    known = ", ".join(sorted(codes))
    responsible = task.get("responsible")
    consolidator: int | None = None
    for j, item in enumerate(responsible if isinstance(responsible, list) else []):
        if not isinstance(item, dict):
            continue
        if item.get("consolidator") is True:
            if consolidator is None:
                consolidator = j
            else:
                problems.append(
                    Problem(
                        f"{at}.responsible[{j}].consolidator",
                        f"only one agency consolidates (already responsible[{consolidator}])",
                    )
                )
        code = item.get("code")
        if isinstance(code, str) and code not in codes:
            problems.append(
                Problem(
                    f"{at}.responsible[{j}].code", f"unknown agency code {code} (known: {known})"
                )
            )
        lead = item.get("lead")
        if isinstance(lead, bool) and lead != (j == 0):
            problems.append(
                Problem(f"{at}.responsible[{j}].lead", "the first agency named, and only it, leads")
            )
    control = task.get("control")
    for j, code in enumerate(control if isinstance(control, list) else []):
        if isinstance(code, str) and code not in codes:
            problems.append(
                Problem(f"{at}.control[{j}]", f"unknown agency code {code} (known: {known})")
            )
    form = task.get("form")
    recipient = form.get("recipient") if isinstance(form, dict) else None
    if isinstance(recipient, str) and recipient not in codes:
        problems.append(
            Problem(f"{at}.form.recipient", f"unknown agency code {recipient} (known: {known})")
        )
    return problems


def _task_dates(task: dict[str, Any], at: str, period: tuple[dt.date, dt.date]) -> list[Problem]:
    problems: list[Problem] = []
    start, end = period
    for where, day, what in _dated_fields(task, at):
        if day < start:
            problems.append(Problem(where, f"{what} {day} is before the plan starts ({start})"))
        elif day > end:
            problems.append(Problem(where, f"{what} {day} is after the plan ends ({end})"))
    deadline = task.get("deadline")
    if isinstance(deadline, dict):
        problems.extend(_period_end_consistency(deadline, f"{at}.deadline"))
        parts = deadline.get("parts") if deadline.get("kind") == "composite" else None
        for k, part in enumerate(parts if isinstance(parts, list) else []):
            inner = part.get("deadline") if isinstance(part, dict) else None
            if isinstance(inner, dict):
                problems.extend(
                    _period_end_consistency(inner, f"{at}.deadline.parts[{k}].deadline")
                )
    return problems


def _dated_fields(task: dict[str, Any], at: str) -> Iterator[tuple[str, dt.date, str]]:
    deadline = task.get("deadline")
    if isinstance(deadline, dict):
        yield from _deadline_dates(deadline, f"{at}.deadline")
        parts = deadline.get("parts") if deadline.get("kind") == "composite" else None
        for k, part in enumerate(parts if isinstance(parts, list) else []):
            inner = part.get("deadline") if isinstance(part, dict) else None
            if isinstance(inner, dict):
                yield from _deadline_dates(inner, f"{at}.deadline.parts[{k}].deadline")
    form = task.get("form")
    reports = form.get("report_dates") if isinstance(form, dict) else None
    for k, report in enumerate(reports if isinstance(reports, list) else []):
        day = _as_date(report.get("date")) if isinstance(report, dict) else None
        if day is not None:
            yield f"{at}.form.report_dates[{k}].date", day, "the reporting date"


def _deadline_dates(deadline: dict[str, Any], at: str) -> Iterator[tuple[str, dt.date, str]]:
    for key in ("date", "boundary"):
        day = _as_date(deadline.get(key))
        if day is not None:
            yield f"{at}.{key}", day, "the deadline"


def _period_end_consistency(deadline: dict[str, Any], at: str) -> list[Problem]:
    if deadline.get("kind") != "period_end":
        return []
    unit, index, year = deadline.get("unit"), deadline.get("index"), deadline.get("year")
    day = _as_date(deadline.get("date"))
    if unit not in set(PeriodUnit) or not isinstance(index, int) or not isinstance(year, int):
        return []
    count = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}[str(unit)]
    if not 1 <= index <= count:
        return [Problem(f"{at}.index", f"a year has no {unit} number {index}")]
    if not 1 <= year <= 9999:
        return [Problem(f"{at}.year", f"year {year} is out of range")]
    expected = period_end(PeriodUnit(unit), index, year)
    if day is not None and day != expected:
        return [
            Problem(f"{at}.date", f"{day} is not the end of {unit} {index} of {year} ({expected})")
        ]
    return []
