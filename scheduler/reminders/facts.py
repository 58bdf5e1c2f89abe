"""What a reminder says, worked out when it is sent rather than when it was planned.

Statuses change between planning and sending: a reminder is rendered from the facts
at send time, and one that is no longer needed (the agency reported, a later reminder
for the same point is already queued, the point left the plan) is not sent at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.progress import ItemStanding, PointProgress
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.vocabulary.messages import MESSAGE_KINDS, MessageKind


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    """A reminder as of now: its point, the agencies it is about, and how late or early.

    ``focus`` are the agencies the chat is reminded about that are still chased;
    ``agencies`` every responsible agency's item; ``not_reported`` the co-executors the
    closer still waits for, shown when the closer is in focus.
    """

    item_id: int
    kind: MessageKind
    point: ControlPoint
    focus: tuple[str, ...]
    agencies: tuple[ItemStanding, ...]
    working_days_left: int
    overdue_days: int
    not_reported: tuple[str, ...]

    @property
    def shows_co_executors(self) -> bool:
        return self.point.closer in self.focus and len(self.point.agencies) > 1


async def reminder_facts(
    uow: UnitOfWork, item: OutboxItem, schedule: ReminderSchedule, today: dt.date
) -> ReminderFacts | None:
    """The facts to render ``item`` from, or None when it should not be sent any more."""
    point = schedule.point(item.control_point)
    if point is None:
        return None
    progress = PointProgress.of(point, await uow.statuses.latest([point.id]))
    chased = set(progress.chased_agencies())
    focus = tuple(a for a in (str(a) for a in item.payload.get("agencies", ())) if a in chased)
    if not focus:
        return None
    if MESSAGE_KINDS[item.kind].superseded and await uow.outbox.has_newer(item):
        return None
    left = schedule.calendar.working_days_between(today, point.effective)
    return ReminderFacts(
        item_id=item.id,
        kind=item.kind,
        point=point,
        focus=focus,
        agencies=progress.standings(),
        working_days_left=max(left, 0),
        overdue_days=max(-left, 0),
        not_reported=progress.unreported_co_executors(),
    )
