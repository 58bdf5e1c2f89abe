"""The information report's tables: the information itself, one row per task, and its data,
one row per task, agency and control point, in that order.

The information follows the progress information sent to the Presidential Administration:
the measure, its form of completion, the deadline, the responsible agencies, each agency's
state with its report's words, and the report the task sends on. The data rows hold task
number and short title, agency, control point, status with its date, the status text
verbatim as the comment, and the evidence attached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.export.labels import item_status, local_naive
from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_label, agency_name, long_date, plain_state
from scheduler.plan.model import Plan
from scheduler.reports.items import Item
from scheduler.usecases.plan_reports import StatusReport
from scheduler.vocabulary.control import ITEM_STATES, ItemState

COLUMNS = (
    "number",
    "title",
    "agency_code",
    "agency_name",
    "kind",
    "date",
    "nominal",
    "status",
    "status_date",
    "comment",
    "evidence",
    "overdue",
)

Cell = str | int | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _order(item: Item) -> tuple[int, int, dt.date, str, str]:
    point = item.point
    return (point.task, point.agencies.index(item.agency), point.effective, point.kind, point.id)


def ordered(items: Sequence[Item]) -> list[Item]:
    return sorted(items, key=_order)


def report_table(report: StatusReport, plan: Plan, tr: Translator) -> Table:
    """Headers in the translator's language and typed cells; dates are local to the plan."""
    headers = tuple(tr.plain(f"report.head.{column}") for column in COLUMNS)
    rows = []
    for item in ordered(report.items):
        point, entry = item.point, item.entry
        evidence = (entry.evidence_name or entry.evidence_kind or "") if entry else ""
        rows.append(
            (
                point.task,
                plan.task(point.task).title(tr.language),
                agency_code(plan, item.agency, tr.language),
                agency_name(plan, item.agency, tr.language),
                tr.plain(f"kind.{point.kind}"),
                point.effective,
                point.nominal if point.nominal != point.effective else None,
                item_status(tr, item, plan),
                local_naive(entry.created_at, report.tz) if entry else None,
                entry.text if entry else "",
                evidence,
                tr.plain("report.yes") if item.overdue else "",
            )
        )
    return Table(headers, tuple(rows))


# The information report's columns, one row per task (catalog key ``exports.head.<column>``).
INFORMATION_COLUMNS = (
    "number",
    "measure",
    "form",
    "deadline",
    "responsible",
    "progress",
    "information",
)


def _closed(items: Sequence[Item]) -> bool:
    return bool(items) and all(ITEM_STATES[i.state].closes for i in items)


def _current(points: dict[str, list[Item]]) -> list[Item]:
    """The items of the earliest point not closed, else of the last point."""
    ordered_points = sorted(points.values(), key=lambda items: items[0].point.effective)
    for items in ordered_points:
        if not _closed(items):
            return items
    return ordered_points[-1] if ordered_points else []


def _progress(items: Sequence[Item], plan: Plan, tr: Translator, tz: dt.tzinfo) -> str:
    """Each agency's state at the point, with the date of its report and its words."""
    lines = []
    for item in sorted(items, key=lambda i: i.point.agencies.index(i.agency)):
        entry = item.entry
        values = {
            "agency": agency_code(plan, item.agency, tr.language),
            "state": item_status(tr, item, plan),
        }
        if entry is None:
            lines.append(tr.plain("exports.progress.silent", **values))
            continue
        when = long_date(entry.created_at.astimezone(tz).date(), tr.language)
        lines.append(tr.plain("exports.progress.line", when=when, comment=entry.text, **values))
    return "\n".join(lines)


def _point_line(items: Sequence[Item], tr: Translator) -> str:
    point = items[0].point
    date = long_date(point.effective, tr.language)
    return tr.plain("exports.point", date=date, state=plain_state(tr, _point_state(items)))


def _point_state(items: Sequence[Item]) -> ItemState:
    closer = next((i for i in items if i.agency == i.point.closer), items[0])
    return closer.state


def information_table(report: StatusReport, plan: Plan, tr: Translator) -> Table:
    """One row per task, as the information to the Presidential Administration is laid out:
    the measure, its form of completion, the deadline with the current point, the agencies,
    where each of them stands with its own words, and the report the task sends on."""
    to = recipient(plan, tr.language)
    headers = tuple(
        tr.plain(f"exports.head.{column}", recipient=to) for column in INFORMATION_COLUMNS
    )
    by_task: dict[int, dict[str, dict[str, list[Item]]]] = {}
    for item in ordered(report.items):
        kinds = by_task.setdefault(item.point.task, {})
        kinds.setdefault(item.point.kind, {}).setdefault(item.point.id, []).append(item)
    rows: list[tuple[Cell, ...]] = []
    for task in plan.tasks:
        kinds = by_task.get(task.number, {})
        deadline = _current(kinds.get("deadline", {}))
        reports = _current(kinds.get("report", {}))
        due = [tr.plain("exports.phrase", phrase=task.deadline.phrase)]
        if deadline:
            due.append(_point_line(deadline, tr))
        responsible = [
            agency_label(plan, r.code, tr.language)
            + (f" {tr.plain('card.consolidator')}" if r.consolidator else "")
            for r in task.responsible
        ]
        rows.append(
            (
                task.number,
                task.title(tr.language),
                task.form.raw,
                "\n".join(due),
                "\n".join(responsible),
                _progress(deadline, plan, tr, report.tz) if deadline else "",
                _point_line(reports, tr) if reports else "",
            )
        )
    return Table(headers, tuple(rows))


def recipient(plan: Plan, language: str) -> str:
    """Who the plan's reports go to, in the reader's language («ПӘ», «АП»), for a heading."""
    found = [t.form.recipient for t in plan.tasks if t.form.recipient]
    if not found:
        return "—"
    most = max(set(found), key=found.count)
    return agency_code(plan, most, language)
