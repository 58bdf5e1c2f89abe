"""When each reminder is due: an index of the plan's control points by send day.

Reminders before a point fall on fixed working days, so they are indexed once, by day.
Overdue nudges depend on how long a point has been overdue, so they are worked out for
the day asked about, from the points whose effective date lies in the recent past. A
tick therefore costs what is due that day, not the size of the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduler.plan.control_points import ControlPoint
from scheduler.reminders.policy import ReminderPolicy
from scheduler.vocabulary.messages import MessageKind, Slot
from scheduler.workdays import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Occasion:
    """One reminder occasion: a control point and the slot (offset) it is reminded at."""

    point: ControlPoint
    slot: Slot

    @property
    def kind(self) -> MessageKind:
        return self.slot.kind


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
        self._ordered = ordered
        before: dict[dt.date, list[Occasion]] = defaultdict(list)
        for point in ordered:
            for offset, slot in policy.slots_before():
                day = (
                    point.effective
                    if offset == 0
                    else calendar.add_working_days(point.effective, -offset)
                )
                before[day].append(Occasion(point, slot))
        self._before = dict(before)
        by_effective: dict[dt.date, list[ControlPoint]] = defaultdict(list)
        for point in ordered:
            by_effective[point.effective].append(point)
        self._by_effective = dict(by_effective)
        late_slots: dict[int, tuple[Slot, ...]] = {}
        for late in range(1, policy.deepest_late() + 1):
            slots = policy.slots_after(late)
            if slots:
                late_slots[late] = slots
        self._late_slots = late_slots
        self._max_lookback = dt.timedelta(days=max(self._late_slots, default=0) * 2 + 30)

    def send_instant(self, day: dt.date) -> dt.datetime:
        """The moment (UTC) the reminders of ``day`` go out: the send time, local to the plan."""
        local = dt.datetime.combine(day, self.policy.send_time, tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def held_until(self, now: dt.datetime) -> dt.datetime | None:
        """When a reminder due at ``now`` may go out instead; None when it may go now.

        Working hours run from the send time to the end of working hours on a working day.
        Outside them a reminder waits for the next working morning's send instant: today's
        when ``now`` is early on a working day, otherwise the next working day's.
        """
        local = now.astimezone(self.tz)
        day, moment = local.date(), local.time()
        policy = self.policy
        if self.calendar.is_working_day(day):
            if policy.send_time <= moment < policy.working_hours_end:
                return None
            if moment < policy.send_time:
                return self.send_instant(day)
        return self.send_instant(self.calendar.add_working_days(day, 1))

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
        """Nudges and escalations of ``day``: walk back over the overdue slots, not the plan.

        Effective dates are working days, so a point is exactly ``n`` working days late on
        ``day`` when its effective date is the ``n``-th working day before it.
        """
        calendar = self.calendar
        if not calendar.is_working_day(day) or not self._late_slots:
            return
        deepest = max(self._late_slots)
        late, cursor = 0, day
        # One walk back over at most a year and a half of days, whatever the plan's size.
        while late < deepest:
            cursor -= dt.timedelta(days=1)
            if not calendar.is_working_day(cursor):
                if day - cursor > self._max_lookback:
                    return
                continue
            late += 1
            slots = self._late_slots.get(late)
            if slots is None:
                continue
            for point in self._by_effective.get(cursor, ()):
                for slot in slots:
                    yield Occasion(point, slot)

    def point(self, point_id: str) -> ControlPoint | None:
        return self.points.get(point_id)
