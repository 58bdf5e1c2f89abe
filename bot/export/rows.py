"""The information report's rows: one per task, agency and control point, in that order.

The shape follows the progress information sent to the Presidential Administration:
task number and short title, agency, control point, status with its date, the status
text verbatim as the comment, and the evidence attached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.export.labels import item_status, local_naive
from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_name
from scheduler.plan.model import Plan
from scheduler.reports.items import Item
from scheduler.usecases.plan_reports import StatusReport

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
