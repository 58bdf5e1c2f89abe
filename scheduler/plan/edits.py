"""Edits of one task: its deadline, reporting dates or agencies, and the date of its event.

Each edit reads its input with the same grammar as the importer and returns a new plan
that passed the same validation as a plan file; a bad edit raises :class:`EditError`
with the problems, each coded (:mod:`scheduler.plan.problems`) to be told in the reader's
language, and the plan in force stays as it was. Agencies may be named in any of their
spellings (``scheduler.agencies``).
"""

from __future__ import annotations

import datetime as dt

from scheduler.agencies import AgencyIndex
from scheduler.plan.decree_import import DecreeImportError, parse_responsible
from scheduler.plan.kazakh_dates import PhraseError, parse_deadline, parse_report_dates
from scheduler.plan.model import (
    CompositeDeadline,
    DateDeadline,
    EventDeadline,
    Plan,
    ReportDate,
    Task,
    event_readings,
)
from scheduler.plan.problems import PlanProblem
from scheduler.plan.validation import validate


class EditError(Exception):
    """The edit cannot be made; ``problems`` say why, each by its code."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _task(plan: Plan, number: int) -> Task:
    try:
        return plan.task(number)
    except KeyError:
        raise EditError([PlanProblem("edit.no_task", {"task": number})]) from None


def _year_hint(plan: Plan, task: Task) -> int | None:
    years = {r.date.year for r in task.form.report_dates}
    if len(years) == 1:
        return years.pop()
    if plan.period.start.year == plan.period.end.year:
        return plan.period.start.year
    return None


def change_deadline(plan: Plan, number: int, phrase: str) -> Plan:
    """The task's deadline read from ``phrase``: Kazakh as in the decree, or an ISO date."""
    task = _task(plan, number)
    phrase = phrase.strip()
    try:
        reading = DateDeadline(phrase=phrase, date=dt.date.fromisoformat(phrase))
    except ValueError:
        try:
            reading = parse_deadline(phrase, year_hint=_year_hint(plan, task))  # type: ignore[assignment]
        except PhraseError as exc:
            problem = PlanProblem("edit.deadline", {"phrase": phrase}, cause=exc.problem)
            raise EditError([problem]) from None
    return _replace(plan, task.model_copy(update={"deadline": reading}))


def change_reports(plan: Plan, number: int, phrase: str) -> Plan:
    """The task's reporting dates read from ``phrase``, e.g. "2016 ж., 10 шілдеге"."""
    task = _task(plan, number)
    phrase = phrase.strip()
    try:
        spans = parse_report_dates(phrase, year_hint=_year_hint(plan, task))
    except PhraseError as exc:
        problem = PlanProblem("edit.reports", {"phrase": phrase}, cause=exc.problem)
        raise EditError([problem]) from None
    dates = [ReportDate(phrase=phrase, span=s.span, date=s.date) for s in spans]
    form = task.form.model_copy(update={"report_dates": dates})
    return _replace(plan, task.model_copy(update={"form": form}))


def change_agencies(plan: Plan, number: int, value: str) -> Plan:
    """The task's responsible agencies, lead first: "МСМ (жинақтау), ЖАО", «МКС (свод), МИО»."""
    task = _task(plan, number)
    index = AgencyIndex.of_plan(plan)
    try:
        responsible = parse_responsible(value, plan.agency_codes(), index.resolve)
    except DecreeImportError as exc:
        cause = PlanProblem(exc.problem.code, exc.problem.params)
        raise EditError([PlanProblem("edit.agencies", {"phrase": value}, cause=cause)]) from None
    return _replace(plan, task.model_copy(update={"responsible": responsible}))


def record_event(plan: Plan, number: int, day: dt.date) -> Plan:
    """The plan with ``day`` as the date of the event task ``number``'s deadline follows."""
    task = _task(plan, number)
    if not event_readings(task.deadline):
        raise EditError([PlanProblem("edit.not_event", {"task": number})])

    def dated(reading: EventDeadline) -> EventDeadline:
        return reading.model_copy(update={"event_date": day})

    deadline = task.deadline
    new: CompositeDeadline | EventDeadline
    if isinstance(deadline, CompositeDeadline):
        parts = [
            p.model_copy(update={"deadline": dated(p.deadline)})
            if isinstance(p.deadline, EventDeadline)
            else p
            for p in deadline.parts
        ]
        new = deadline.model_copy(update={"parts": parts})
    else:
        assert isinstance(deadline, EventDeadline)
        new = dated(deadline)
    return _replace(plan, task.model_copy(update={"deadline": new}))


def _replace(plan: Plan, task: Task) -> Plan:
    tasks = [task if t.number == task.number else t for t in plan.tasks]
    candidate = plan.model_copy(update={"tasks": tasks})
    problems = validate(candidate.model_dump(mode="json"))
    if problems:
        raise EditError(problems)
    return Plan.model_validate(candidate.model_dump(mode="json"))
