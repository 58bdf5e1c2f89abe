"""The reminder policy: when before and after a control point each agency is reminded."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from scheduler.vocabulary.messages import Phase, Slot


@dataclass(frozen=True)
class ReminderPolicy:
    """When reminders go out, in working days relative to a control point's effective date.

    ``offsets`` are working days before the point (0 is the day itself). After it, an
    overdue nudge goes out on ``overdue_first`` working days, then every ``overdue_every``
    working days (a working week), until the agency reports done. Once a point is
    ``escalate_after`` working days overdue it escalates, once, to the controlling
    department and the administrators.

    ``grace`` is how late a reminder may still go out after a downtime: ``None`` means
    "the same working day, within working hours"; otherwise a fixed span.
    """

    offsets: tuple[int, ...] = (10, 5, 3, 1, 0)
    send_time: dt.time = dt.time(9, 0)
    working_hours_end: dt.time = dt.time(18, 0)
    overdue_first: tuple[int, ...] = (1, 3)
    overdue_every: int = 5
    escalate_after: int = 5
    grace: dt.timedelta | None = None
    # Overdue nudges stop this many working days after the point, so a plan long closed
    # without a report does not nudge forever.
    overdue_horizon: int = 260

    def __post_init__(self) -> None:
        if any(o < 0 for o in self.offsets):
            raise ValueError("reminder offsets are working days before a point: use 0 or more")
        if self.overdue_every < 1 or self.escalate_after < 1:
            raise ValueError("overdue intervals must be at least one working day")
        if self.send_time >= self.working_hours_end:
            raise ValueError("the send time must fall within working hours")

    def slots_before(self) -> tuple[tuple[int, Slot], ...]:
        """Each reminder before a point: how many working days before, and its slot."""
        return tuple((offset, Slot(Phase.BEFORE, offset)) for offset in self.offsets)

    def slots_after(self, late: int) -> tuple[Slot, ...]:
        """The slots of a point that is ``late`` working days overdue: nudges, escalation."""
        found: list[Slot] = []
        nudge = self._nudge(late)
        if nudge:
            found.append(Slot(Phase.OVERDUE, late))
        if late == self.escalate_after:
            found.append(Slot(Phase.ESCALATION))
        return tuple(found)

    def slots_at(self, left: int, due: dt.date | None = None) -> tuple[Slot, ...]:
        """The slots of a day ``left`` working days before a date (negative: after it).

        ``due`` marks the slots of an item whose date was moved from the point's.
        """
        if left >= 0:
            return (Slot(Phase.BEFORE, left, due),) if left in self.offsets else ()
        return tuple(dataclasses.replace(slot, due=due) for slot in self.slots_after(-left))

    def deepest_late(self) -> int:
        """The most working days late any slot can be."""
        return max(self.overdue_horizon, self.escalate_after)

    def _nudge(self, late: int) -> bool:
        if late <= 0 or late > self.overdue_horizon:
            return False
        if late in self.overdue_first:
            return True
        last_first = max(self.overdue_first, default=0)
        return late > last_first and (late - last_first) % self.overdue_every == 0
