"""When the weekly digest is due, what it is keyed by, and which tasks each reader controls.

The digest of an ISO week is due from that week's chosen weekday and time on (local to the
plan's time zone) until the week ends, so a bot that was down at the chosen moment still
sends it once it is back within the same week. Its outbox key names the week, so it is
planned at most once per chat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from scheduler.plan.model import Plan
from scheduler.vocabulary.messages import MessageKind

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIGEST_SLOT = "weekly"


def week_key(day: dt.date) -> str:
    """The outbox control point of the week holding ``day``, e.g. "digest:2016-W24"."""
    year, week, _ = day.isocalendar()
    return f"{MessageKind.DIGEST}:{year}-W{week:02d}"


def scheduled_moment(now: dt.datetime, weekday: str, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The chosen moment of the ISO week that holds ``now`` (aware, in ``tz``)."""
    local = now.astimezone(tz)
    monday = local.date() - dt.timedelta(days=local.weekday())
    day = monday + dt.timedelta(days=WEEKDAYS.index(weekday))
    return dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)


def is_due(now: dt.datetime, weekday: str, at: dt.time, tz: ZoneInfo) -> bool:
    return now >= scheduled_moment(now, weekday, at, tz)


def controllers(plan: Plan) -> list[str]:
    """The controlling departments named by the plan's tasks, in order of first mention."""
    seen: dict[str, None] = {}
    for task in plan.tasks:
        for code in task.control:
            seen.setdefault(code, None)
    return list(seen)


def controlled_tasks(plan: Plan, codes: Iterable[str]) -> frozenset[int]:
    """The tasks any of ``codes`` controls."""
    wanted = set(codes)
    return frozenset(t.number for t in plan.tasks if wanted & set(t.control))
