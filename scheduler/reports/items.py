"""Report items: one per control point and responsible agency, with its state on a given day.

An item's state and the report behind it come from ``scheduler.progress``: the agency's
latest valid report, or the closer's once the closer reported the point done.

Dates are local to the plan's time zone. An item counts against its own date (the point's,
or the one an extension or a return gave it): it is due once that date is before today (the
day itself is still open), overdue when due and its agency is still chased, and on time when
its report of done came no later than the date.
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
    due_date: dt.date
    due: bool
    overdue: bool
    on_time: bool

    @property
    def moved(self) -> bool:
        """Whether the item's date is not the point's."""
        return self.due_date != self.point.effective


def assess(
    points: Iterable[ControlPoint],
    progress: Mapping[str, PointProgress],
    today: dt.date,
    tz: ZoneInfo,
) -> list[Item]:
    """The items of the points, in the points' order and then the order of their agencies."""
    items: list[Item] = []
    for point in points:
        found = progress[point.id]
        for standing in found.standings():
            finished = ITEM_STATES[standing.state].stops_chasing
            entry = standing.entry
            done_on = entry.created_at.astimezone(tz).date() if finished and entry else None
            due_date = found.due(standing.agency)
            due = due_date < today
            items.append(
                Item(
                    point=point,
                    agency=standing.agency,
                    state=standing.state,
                    entry=entry,
                    closed_by=standing.closed_by,
                    done_on=done_on,
                    due_date=due_date,
                    due=due,
                    overdue=due and not finished,
                    on_time=due and done_on is not None and done_on <= due_date,
                )
            )
    return items
