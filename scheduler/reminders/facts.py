"""What a reminder says, worked out when it is sent rather than when it was planned.

Statuses change between planning and sending: a reminder is rendered from the facts
at send time, and one that is no longer needed (the agency reported, a later reminder
for the same point is already queued, the point left the plan) is not sent at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.delivery.outbox import OutboxItem
from scheduler.plan.control_points import ControlPoint
from scheduler.reminders.schedule import ReminderSchedule
from scheduler.storage.status_repo import DONE, StatusEntry
from scheduler.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AgencyState:
    code: str
    status: str | None
    lead: bool
    consolidator: bool


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    item_id: int
    kind: str
    point: ControlPoint
    focus: tuple[str, ...]
    agencies: tuple[AgencyState, ...]
    working_days_left: int
    overdue_days: int
    not_reported: tuple[str, ...]
    shows_co_executors: bool

    @property
    def escalation(self) -> bool:
        return self.kind == "escalation"


async def reminder_facts(
    uow: UnitOfWork, item: OutboxItem, schedule: ReminderSchedule, today: dt.date
) -> ReminderFacts | None:
    """The facts to render ``item`` from, or None when it should not be sent any more."""
    point = schedule.point(item.control_point)
    if point is None:
        return None
    latest = (await uow.statuses.latest([point.id])).get(point.id, {})
    closer = point.consolidator or point.lead
    if _done(latest.get(closer)):
        return None
    planned_for = tuple(str(a) for a in item.payload.get("agencies", ()))
    focus = tuple(a for a in planned_for if a in point.agencies and not _done(latest.get(a)))
    if not focus:
        return None
    if item.kind != "escalation" and await uow.outbox.has_newer(item):
        return None
    states = tuple(
        AgencyState(
            code=code,
            status=latest[code].status if code in latest else None,
            lead=code == point.lead,
            consolidator=code == point.consolidator,
        )
        for code in point.agencies
    )
    not_reported = tuple(s.code for s in states if s.code != closer and s.status != DONE)
    left = schedule.calendar.working_days_between(today, point.effective)
    return ReminderFacts(
        item_id=item.id,
        kind=item.kind,
        point=point,
        focus=focus,
        agencies=states,
        working_days_left=max(left, 0),
        overdue_days=max(-left, 0),
        not_reported=not_reported,
        shows_co_executors=closer in focus and len(point.agencies) > 1,
    )


def _done(entry: StatusEntry | None) -> bool:
    return entry is not None and entry.status == DONE
