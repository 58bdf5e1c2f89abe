"""Snooze: a chat puts one reminder's item off until tomorrow, or for a few working days.

The chat hears nothing more of that item until then, when a reminder comes; its other items
are untouched. A snooze never passes the item's own date, and never holds back an
escalation, which goes to the controllers whatever a chat put off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import Caller
from scheduler.plan.control_points import ControlPoint
from scheduler.progress import progress_of
from scheduler.refusals import Refusal, Why
from scheduler.storage.outbox_repo import NewMessage
from scheduler.storage.requests_repo import Snooze
from scheduler.usecases.core import Answer, Core
from scheduler.vocabulary.messages import MESSAGE_KINDS, Audience, MessageKind, Phase, Slot

# The lengths a reminder's snooze buttons offer, in working days.
LENGTHS = (1, 3)


@dataclass(frozen=True)
class Snoozed:
    point: ControlPoint
    agencies: tuple[str, ...]
    until: dt.date


async def snooze(
    core: Core, caller: Caller, *, reminder_id: int, working_days: int
) -> Answer[Snoozed | Refusal]:
    """Put the reminder's item off in the caller's chat for ``working_days`` working days."""
    runtime = core.runtime
    async with core.visit(caller) as visit:
        uow = visit.uow
        row = await uow.outbox.get(reminder_id)
        point = runtime.schedule.point(row.control_point) if row is not None else None
        agencies_kind = row is not None and MESSAGE_KINDS[row.kind].audience is Audience.AGENCIES
        if row is None or point is None or row.chat_id != caller.chat_id or not agencies_kind:
            return visit.answer(Refusal.of(Why.UNKNOWN_REMINDER))
        if working_days not in LENGTHS:
            return visit.answer(Refusal.of(Why.UNKNOWN_REMINDER))
        asked = [str(a) for a in row.payload.get("agencies", ())]
        mine = {m.agency for m in await uow.members.of_user(caller.user_id or 0)}
        if caller.chat is not None and caller.chat.is_group and not mine & set(asked):
            # In a group, only the agency's own people put its reminders off for everyone.
            return visit.answer(Refusal.of(Why.NOT_MEMBER, agencies=tuple(asked), task=point.task))
        progress = (await progress_of(uow, [point], runtime.control))[point.id]
        agencies = tuple(a for a in asked if progress.chased(a))
        if not agencies:
            return visit.answer(
                Refusal.of(Why.NOTHING_OPEN, agencies=tuple(asked), task=point.task)
            )
        today = runtime.today(visit.now)
        until = runtime.calendar.add_working_days(today, working_days)
        due = min(progress.due(a) for a in agencies)
        if today < due:
            until = min(until, due)
        if until <= today:
            return visit.answer(Refusal.of(Why.SNOOZE_PAST_DATE, date=due))
        for agency in agencies:
            await uow.snoozes.add(
                Snooze(caller.chat_id or 0, point.id, agency, until),
                by=caller.user_id or 0,
                now=visit.now,
            )
        await uow.outbox.enqueue(
            [
                NewMessage(
                    chat_id=caller.chat_id or 0,
                    control_point=point.id,
                    slot=str(Slot(Phase.SNOOZED, due=until)),
                    kind=MessageKind.REMINDER,
                    due_at=runtime.schedule.send_instant(until),
                    payload={"agencies": sorted(agencies), "day": until.isoformat()},
                )
            ],
            visit.now,
        )
        await visit.record(
            "reminder.snooze",
            {"point": point.id, "agencies": list(agencies), "before": today, "after": until},
        )
        return visit.answer(Snoozed(point, agencies, until))
