"""Report items: one per control point and responsible agency, with its state on a given day.

An item's state and the report behind it come from ``scheduler.progress``: the agency's
latest valid report, or the closer's once the closer has closed the point.

Dates are local to the plan's time zone: an item is due once its effective date is
before today (the day itself is still open), overdue when due and not closed, and on time
when closed no later than its effective date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.plan.control_points import ControlPoint
from scheduler.progress import PointProgress
from scheduler.storage.status_repo import StatusEntry
from scheduler.vocabulary.control import ITEM_STATES, ItemState


@dataclass(frozen=True)
class Item:
    """One agency's part of one control point, as of ``today``."""

    point: ControlPoint
    agency: str
    state: ItemState
    entry: StatusEntry | None
    closed_by: str | None
    done_on: dt.date | None
    due: bool
    overdue: bool
    on_time: bool


def assess(
    points: Iterable[ControlPoint],
    latest: Mapping[str, Mapping[str, StatusEntry]],
    today: dt.date,
    tz: ZoneInfo,
) -> list[Item]:
    """The items of the points, in the points' order and then the order of their agencies."""
    items: list[Item] = []
    for point in points:
        due = point.effective < today
        for standing in PointProgress(point, latest.get(point.id, {})).standings():
            closed = ITEM_STATES[standing.state].closes
            entry = standing.entry
            done_on = entry.created_at.astimezone(tz).date() if closed and entry else None
            items.append(
                Item(
                    point=point,
                    agency=standing.agency,
                    state=standing.state,
                    entry=entry,
                    closed_by=standing.closed_by,
                    done_on=done_on,
                    due=due,
                    overdue=due and not closed,
                    on_time=due and done_on is not None and done_on <= point.effective,
                )
            )
    return items
