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
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from scheduler.plan.model import PeriodUnit, Plan, period_end
from scheduler.plan.problems import PlanProblem, first_model_problem, model_problem

# Task numbers are stored with each status report in a 32-bit column.
MAX_TASK_NUMBER = 2**31 - 1
# Windows editors start UTF-8 files with a byte-order mark; it carries no content.
BOM = "\ufeff"


# One problem of a plan file: ``path`` is its place, e.g. ``tasks[3].deadline.date`` or ``12:5``.
Problem = PlanProblem


def _problem(path: str, kind: str, /, **params: object) -> Problem:
    return PlanProblem(kind, params, path=path)


class PlanError(Exception):
    """A plan that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(p) for p in problems))


def first_error(exc: ValidationError) -> PlanProblem:
    """The first thing a model refused, where and why: «tasks.0.number: …»."""
    return first_model_problem(exc.errors(include_url=False))


def load_plan(path: Path | str) -> Plan:
    """Read and check a plan file, raising :class:`PlanError` with every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(
            [_problem("file", "plan.unreadable_file", file=str(path), reason=exc.strerror)],
            str(path),
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
            raise PlanError([_problem(f"byte {exc.start}", "plan.not_utf8")], source) from None
    try:
        data = json.loads(raw.removeprefix(BOM))
    except json.JSONDecodeError as exc:
        raise PlanError(
            [_problem(f"{exc.lineno}:{exc.colno}", "plan.malformed", detail=exc.msg)], source
        ) from None
    except RecursionError:
        raise PlanError([_problem("(top level)", "plan.too_deep")], source) from None
    except ValueError:
        # What json.loads raises besides a decoding error: an integer of thousands of digits.
        raise PlanError([_problem("(top level)", "plan.number_too_long")], source) from None
    problems = validate(data)
    if problems:
        raise PlanError(problems, source)
    return Plan.model_validate(data)


def validate(data: object) -> list[Problem]:
    """Every problem of a parsed plan (the result of ``json.loads``); empty when it is valid."""
    problems = _model_problems(data)
    if isinstance(data, dict):
        problems.extend(_rule_problems(data))
    return sorted(set(problems), key=lambda p: (_sort_key(p.path or ""), p.message))


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
            model_problem(err, _path(err["loc"], data)) for err in exc.errors(include_url=False)
        ]
    return []


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
            problems.append(_problem("timezone", "plan.timezone", zone=zone))
    tasks = data.get("tasks")
    if isinstance(tasks, list) and not tasks:
        problems.append(_problem("tasks", "plan.no_tasks"))
    seen: dict[int, int] = {}
    for i, task in enumerate(tasks if isinstance(tasks, list) else []):
        if not isinstance(task, dict):
            continue
        at = f"tasks[{i}]"
        number = task.get("number")
        if isinstance(number, int) and number > MAX_TASK_NUMBER:
            problems.append(
                _problem(
                    f"{at}.number", "plan.number_too_large", number=number, limit=MAX_TASK_NUMBER
                )
            )
        elif isinstance(number, int):
            if number in seen:
                problems.append(
                    _problem(
                        f"{at}.number", "plan.duplicate_number", number=number, first=seen[number]
                    )
                )
            else:
                seen[number] = i
        section = task.get("section")
        if isinstance(section, int) and sections is not None and section not in sections:
            problems.append(_problem(f"{at}.section", "plan.no_section", section=section))
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
                problems.append(_problem(f"agencies[{i}].code", "plan.duplicate_code", code=code))
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
                problems.append(
                    _problem(f"sections[{i}].number", "plan.duplicate_section", number=number)
                )
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
        problems.append(
            _problem(
                "period.end", "plan.period_reversed", end=end.isoformat(), start=start.isoformat()
            )
        )
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
    known = tuple(sorted(codes))
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
                    _problem(
                        f"{at}.responsible[{j}].consolidator",
                        "plan.second_consolidator",
                        first=consolidator,
                    )
                )
        code = item.get("code")
        if isinstance(code, str) and code not in codes:
            problems.append(
                _problem(f"{at}.responsible[{j}].code", "plan.unknown_code", code=code, known=known)
            )
        lead = item.get("lead")
        if isinstance(lead, bool) and lead != (j == 0):
            problems.append(_problem(f"{at}.responsible[{j}].lead", "plan.lead_first"))
    control = task.get("control")
    for j, code in enumerate(control if isinstance(control, list) else []):
        if isinstance(code, str) and code not in codes:
            problems.append(
                _problem(f"{at}.control[{j}]", "plan.unknown_code", code=code, known=known)
            )
    form = task.get("form")
    recipient = form.get("recipient") if isinstance(form, dict) else None
    if isinstance(recipient, str) and recipient not in codes:
        problems.append(
            _problem(f"{at}.form.recipient", "plan.unknown_code", code=recipient, known=known)
        )
    return problems


def _task_dates(task: dict[str, Any], at: str, period: tuple[dt.date, dt.date]) -> list[Problem]:
    problems: list[Problem] = []
    start, end = period
    for where, day, what in _dated_fields(task, at):
        if day < start:
            problems.append(
                _problem(where, f"plan.{what}_before", day=day.isoformat(), start=start.isoformat())
            )
        elif day > end:
            problems.append(
                _problem(where, f"plan.{what}_after", day=day.isoformat(), end=end.isoformat())
            )
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
            yield f"{at}.form.report_dates[{k}].date", day, "report"


def _deadline_dates(deadline: dict[str, Any], at: str) -> Iterator[tuple[str, dt.date, str]]:
    for key in ("date", "boundary"):
        day = _as_date(deadline.get(key))
        if day is not None:
            yield f"{at}.{key}", day, "deadline"


def _period_end_consistency(deadline: dict[str, Any], at: str) -> list[Problem]:
    if deadline.get("kind") != "period_end":
        return []
    unit, index, year = deadline.get("unit"), deadline.get("index"), deadline.get("year")
    day = _as_date(deadline.get("date"))
    if unit not in set(PeriodUnit) or not isinstance(index, int) or not isinstance(year, int):
        return []
    count = {"year": 1, "half_year": 2, "quarter": 4, "month": 12}[str(unit)]
    if not 1 <= index <= count:
        return [_problem(f"{at}.index", "plan.no_such_period", unit=str(unit), index=index)]
    if not 1 <= year <= 9999:
        return [_problem(f"{at}.year", "plan.year_out_of_range", year=year)]
    expected = period_end(PeriodUnit(unit), index, year)
    if day is not None and day != expected:
        return [
            _problem(
                f"{at}.date",
                "plan.not_period_end",
                day=day.isoformat(),
                unit=str(unit),
                index=index,
                year=year,
                expected=expected.isoformat(),
            )
        ]
    return []
