"""When each reminder is due: an index of the plan's control points by send day.

Reminders before a point fall on fixed working days, so they are indexed once, by day.
Overdue nudges depend on how long a point has been overdue, so they are worked out for
the day asked about, from the points whose effective date lies in the recent past. A
tick therefore costs what is due that day, not the size of the plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.plan.control_points import ControlPoint
from scheduler.reminders.policy import ESCALATION, ReminderPolicy
from scheduler.workdays import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Occasion:
    """One reminder occasion: a control point and the slot (offset) it is reminded at."""

    point: ControlPoint
    slot: str

    @property
    def is_escalation(self) -> bool:
        return self.slot == ESCALATION

    @property
    def is_overdue(self) -> bool:
        return self.slot.startswith("+") or self.slot == ESCALATION


class ReminderSchedule:
    def __init__(
        self,
        points: Iterable[ControlPoint],
        calendar: WorkingCalendar,
        policy: ReminderPolicy,
        tz: ZoneInfo,
        controls: Mapping[int, Sequence[str]] | None = None,
    ) -> None:
        self.calendar = calendar
        # The controlling departments of each task, who receive its escalations.
        self.controls = {task: tuple(codes) for task, codes in (controls or {}).items()}
        self.policy = policy
        self.tz = tz
        ordered = sorted(points, key=lambda p: (p.effective, p.id))
        self.points = {p.id: p for p in ordered}
        self._effective = [p.effective for p in ordered]
        self._ordered = ordered
        before: dict[dt.date, list[Occasion]] = defaultdict(list)
        for point in ordered:
            for offset in policy.offsets:
                day = (
                    point.effective
                    if offset == 0
                    else calendar.add_working_days(point.effective, -offset)
                )
                before[day].append(Occasion(point, policy.before_slot(offset)))
        self._before = dict(before)
        # A point cannot be overdue by more working days than calendar days.
        self._overdue_lookback = dt.timedelta(
            days=max(policy.overdue_horizon, policy.escalate_after) * 7 // 5 + 14
        )

    def send_instant(self, day: dt.date) -> dt.datetime:
        """The moment (UTC) the reminders of ``day`` go out: the send time, local to the plan."""
        local = dt.datetime.combine(day, self.policy.send_time, tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def wave_days(self, after: dt.datetime, until: dt.datetime) -> list[dt.date]:
        """Working days whose send instant lies in ``(after, until]``, oldest first."""
        first = after.astimezone(self.tz).date()
        last = until.astimezone(self.tz).date()
        days = []
        day = first
        while day <= last:
            if self.calendar.is_working_day(day) and after < self.send_instant(day) <= until:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def occasions_on(self, day: dt.date) -> list[Occasion]:
        """Every occasion of ``day``: reminders before points, overdue nudges and escalations.

        Whether an agency has already reported is the planner's question, not this one's.
        """
        found = list(self._before.get(day, ()))
        found.extend(self._overdue_on(day))
        return found

    def _overdue_on(self, day: dt.date) -> Iterator[Occasion]:
        if not self.calendar.is_working_day(day):
            return
        low = bisect.bisect_left(self._effective, day - self._overdue_lookback)
        high = bisect.bisect_left(self._effective, day)
        policy = self.policy
        for point in self._ordered[low:high]:
            late = self.calendar.working_days_between(point.effective, day)
            slot = policy.overdue_slot(late)
            if slot is not None:
                yield Occasion(point, slot)
            if late == policy.escalate_after:
                yield Occasion(point, ESCALATION)

    def point(self, point_id: str) -> ControlPoint | None:
        return self.points.get(point_id)

    def points_of_task(self, task: int) -> Sequence[ControlPoint]:
        return [p for p in self._ordered if p.task == task]
