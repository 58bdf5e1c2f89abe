"""What a reminder says, worked out when it is sent rather than when it was planned.

Statuses change between planning and sending: a reminder is rendered from the facts
at send time, and one that is no longer needed (the agency reported, a later reminder
for the same point is already queued, the point left the plan) is not sent at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.progress import ControlPolicy, ItemStanding, progress_of
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.vocabulary.messages import MESSAGE_KINDS, MessageKind, Phase, Slot


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    """A reminder as of now: its point, the agencies it is about, and how late or early.

    ``focus`` are the agencies the chat is reminded about that are still chased;
    ``agencies`` every responsible agency's item; ``not_reported`` the co-executors the
    closer still waits for, shown when the closer is in focus. ``due`` is the date the
    reminder counts from: the point's, or the one an extension or a return gave the item.
    """

    item_id: int
    kind: MessageKind
    point: ControlPoint
    focus: tuple[str, ...]
    agencies: tuple[ItemStanding, ...]
    working_days_left: int
    overdue_days: int
    not_reported: tuple[str, ...]
    due: dt.date

    @property
    def shows_co_executors(self) -> bool:
        return self.point.closer in self.focus and len(self.point.agencies) > 1

    @property
    def moved(self) -> bool:
        """Whether the item's date is not the point's."""
        return self.due != self.point.effective


async def reminder_facts(
    uow: UnitOfWork,
    item: OutboxItem,
    schedule: ReminderSchedule,
    today: dt.date,
    control: ControlPolicy,
) -> ReminderFacts | None:
    """The facts to render ``item`` from, or None when it should not be sent any more."""
    point = schedule.point(item.control_point)
    if point is None:
        return None
    progress = (await progress_of(uow, [point], control))[point.id]
    chased = set(progress.chased_agencies())
    slot = Slot.parse(item.slot)
    planned = (str(a) for a in item.payload.get("agencies", ()))
    # A reminder counts from the date it was planned against; once an item's date moves, the
    # reminders of its old date are not needed (those of the new one are planned).
    focus = tuple(
        a
        for a in planned
        if a in chased and (slot.phase is Phase.SNOOZED or progress.dues.get(a) == slot.due)
    )
    if not focus:
        return None
    if MESSAGE_KINDS[item.kind].superseded and await uow.outbox.has_newer(item):
        return None
    due = progress.due(focus[0])
    left = schedule.calendar.working_days_between(today, due)
    late = item.kind is MessageKind.REMINDER and left < 0
    return ReminderFacts(
        item_id=item.id,
        kind=MessageKind.OVERDUE if late else item.kind,
        point=point,
        focus=focus,
        agencies=progress.standings(),
        working_days_left=max(left, 0),
        overdue_days=max(-left, 0),
        not_reported=progress.unreported_co_executors(),
        due=due,
    )
