"""Report items: one per control point and responsible agency, with its state on a given day.

An item's state is its agency's latest non-revoked status at the control point. When the
lead or the consolidator (the "closer") has reported the point done, the point counts as
reported, and so every co-executor's item counts as done too (closed by the closer), as
the status use case stops asking them. Postponed is a state of its own, not a problem.

Dates are local to the plan's time zone: an item is due once its effective date is
before today (the day itself is still open), overdue when due and not done, and on time
when done no later than its effective date.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.plan.control_points import ControlPoint
from scheduler.storage.status_repo import DONE, StatusEntry


class ItemState(enum.StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    PROBLEM = "problem"
    POSTPONED = "postponed"
    NOT_STARTED = "not_started"


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


def _state_of(entry: StatusEntry | None) -> ItemState:
    if entry is None:
        return ItemState.NOT_STARTED
    try:
        return ItemState(entry.status)
    except ValueError:
        # A status this report does not know is still a sign of work under way.
        return ItemState.IN_PROGRESS


def assess(
    points: Iterable[ControlPoint],
    latest: Mapping[str, Mapping[str, StatusEntry]],
    today: dt.date,
    tz: ZoneInfo,
) -> list[Item]:
    """The items of the points, in the points' order and then the order of their agencies."""
    items: list[Item] = []
    for point in points:
        statuses = latest.get(point.id, {})
        closer = point.consolidator or point.lead
        closing = statuses.get(closer)
        closed = closing is not None and closing.status == DONE
        for agency in point.agencies:
            own = statuses.get(agency)
            entry, by = own, None
            if closed and agency != closer and (own is None or own.status != DONE):
                entry, by = closing, closer
            state = _state_of(entry)
            done_on = (
                entry.created_at.astimezone(tz).date()
                if entry is not None and state is ItemState.DONE
                else None
            )
            due = point.effective < today
            items.append(
                Item(
                    point=point,
                    agency=agency,
                    state=state,
                    entry=entry,
                    closed_by=by,
                    done_on=done_on,
                    due=due,
                    overdue=due and state is not ItemState.DONE,
                    on_time=due and done_on is not None and done_on <= point.effective,
                )
            )
    return items
