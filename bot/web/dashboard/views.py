"""What the dashboard's templates show, made from the use case's results in the reader's
language: agency codes, state names and colours, dates, the chart's bars.

Every word comes from the catalogs; the templates only lay these values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.export.discipline_text import days_text, percent
from bot.i18n.catalog import Translator
from bot.wording import agency_code, agency_name, long_date, plain_state, stored_moment
from scheduler.plan.model import Plan
from scheduler.reports.discipline import Discipline
from scheduler.reports.items import Item
from scheduler.usecases.dashboard import Dashboard, Event, TaskView
from scheduler.vocabulary.control import ITEM_STATES, STATUSES, ItemState
from scheduler.vocabulary.history import Happened

# The chart's geometry, in the SVG's own units; it scales to the screen's width.
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 90
CHART_WIDTH = 320


@dataclass(frozen=True)
class Shown:
    """A state as a cell shows it: the state's code, its words and its colour."""

    state: str
    label: str
    colour: str


def shown(tr: Translator, state: ItemState) -> Shown:
    return Shown(state.value, plain_state(tr, state), ITEM_STATES[state].colour)


def _short_date(day: dt.date) -> str:
    """A cell's date, narrow enough for a phone: «02.12.15»; the full one is in its title."""
    return f"{day:%d.%m.%y}"


def _item(item: Item, plan: Plan, tr: Translator) -> dict[str, Any]:
    lang = tr.language
    return {
        "point": item.point.id,
        "task": item.point.task,
        "agency": item.agency,
        "code": agency_code(plan, item.agency, lang),
        "state": shown(tr, item.state),
        "date": long_date(item.due_date, lang),
        "short": _short_date(item.due_date),
        "kind": tr.plain(f"kind.{item.point.kind}"),
        "overdue": item.overdue,
        "moved": item.moved,
        "planned": long_date(item.point.effective, lang),
        "closed_by": agency_code(plan, item.closed_by, lang) if item.closed_by else "",
    }


def legend(tr: Translator) -> list[Shown]:
    return [shown(tr, state) for state in ItemState]


def matrix_view(board: Dashboard, plan: Plan, tr: Translator) -> dict[str, Any]:
    """The rows (tasks) and columns of the matrix: the agencies with the most tasks first (on
    a phone they are the ones in view), then in the plan's order."""
    lang = tr.language
    order = {code: n for n, code in enumerate(board.report.agency_order)}
    tasks_of: dict[str, int] = {}
    for counted in board.cells:
        tasks_of[counted.agency] = tasks_of.get(counted.agency, 0) + 1
    agencies = sorted(tasks_of, key=lambda a: (-tasks_of[a], order.get(a, 1 << 20), a))
    cells = {(c.task, c.agency): c for c in board.cells}
    rows = []
    for task in sorted({c.task for c in board.cells}):
        row = []
        for agency in agencies:
            cell = cells.get((task, agency))
            row.append(None if cell is None else {**_item(cell.item, plan, tr), "open": cell.open})
        rows.append({"task": task, "title": plan.task(task).title(lang), "cells": row})
    columns = [
        {"agency": a, "code": agency_code(plan, a, lang), "name": agency_name(plan, a, lang)}
        for a in agencies
    ]
    return {"columns": columns, "rows": rows}


def late_view(board: Dashboard, plan: Plan, tr: Translator) -> list[dict[str, Any]]:
    return [
        {
            **_item(late.item, plan, tr),
            "days": late.working_days,
            "title": plan.task(late.item.point.task).title(tr.language),
        }
        for late in board.late
    ]


def timeline_view(board: Dashboard, plan: Plan, tr: Translator) -> list[dict[str, Any]]:
    days: list[dict[str, Any]] = []
    for coming in board.coming:
        if not days or days[-1]["day"] != coming.day:
            days.append(
                {"day": coming.day, "label": long_date(coming.day, tr.language), "points": []}
            )
        days[-1]["points"].append(
            {
                "task": coming.point.task,
                "title": plan.task(coming.point.task).title(tr.language),
                "kind": tr.plain(f"kind.{coming.point.kind}"),
                "parts": [_item(i, plan, tr) for i in coming.items],
            }
        )
    return days


def discipline_view(figures: Sequence[Discipline], plan: Plan, tr: Translator) -> dict[str, Any]:
    """The table's rows and an inline SVG bar chart of each agency's on-time share."""
    lang = tr.language
    rows = [
        {
            "agency": f.agency,
            "code": agency_code(plan, f.agency, lang),
            "due": f.due,
            "on_time": f.on_time,
            "late": f.late,
            "open": f.overdue_open,
            "share": percent(f.share),
            "returns": f.returns,
            "extensions": f"{f.asked}/{f.granted}",
            "late_days": days_text(f.average_late, lang),
        }
        for f in figures
    ]
    room = CHART_WIDTH - LABEL_WIDTH - 40
    bars = []
    for n, f in enumerate(figures):
        share = f.share
        bars.append(
            {
                "code": agency_code(plan, f.agency, lang),
                "y": n * (BAR_HEIGHT + BAR_GAP),
                "width": 0 if share is None else round(room * share / 100, 1),
                "share": percent(share),
                "colour": _share_colour(share),
            }
        )
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP)
    chart = {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": height,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
    return {"rows": rows, "chart": chart}


def _share_colour(share: int | None) -> str:
    """Green for most on time, amber for half, red below; grey when nothing is due."""
    if share is None:
        return ITEM_STATES[ItemState.NOT_STARTED].colour
    if share >= 80:
        return ITEM_STATES[ItemState.DONE].colour
    if share >= 50:
        return ITEM_STATES[ItemState.IN_PROGRESS].colour
    return ITEM_STATES[ItemState.PROBLEM].colour


def _event(event: Event, plan: Plan, tr: Translator, tz: dt.tzinfo) -> dict[str, Any]:
    lang = tr.language
    what = tr.plain(f"dashboard.happened.{event.happened}")
    if event.happened is Happened.REPORTED and event.status is not None:
        what = tr.plain(
            "dashboard.happened.reported_as", status=tr.plain(STATUSES[event.status].label_key)
        )
    return {
        "happened": event.happened.value,
        "when": stored_moment(event.at.astimezone(tz).isoformat(), lang),
        "what": what,
        "code": agency_code(plan, event.agency, lang),
        "who": event.who,
        "text": event.text,
        "day": long_date(event.day, lang) if event.day else "",
    }


def task_view(view: TaskView, plan: Plan, tr: Translator) -> dict[str, Any]:
    lang = tr.language
    task = view.task
    return {
        "number": task.number,
        "title": task.title(lang),
        "text": task.text,
        "deadline": task.deadline.phrase,
        "parts": [_item(i, plan, tr) for i in view.items],
        "events": [_event(e, plan, tr, view.tz) for e in view.events],
    }
