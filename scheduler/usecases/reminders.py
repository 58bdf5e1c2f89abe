"""The reminder engine's use cases: the tick that plans what is due, and preparing one message.

A planned message is rendered when it is sent: its facts as of now (for the kinds about a
control point; None when it needs sending no more) and its chat's languages. A request to
accept a report is not sent once the report no longer waits (withdrawn, or decided).
Before that, a kind that keeps to working hours is held until the next working morning
when it comes due outside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.participants import LanguagePrefs
from scheduler.reminders.facts import ReminderFacts, reminder_facts
from scheduler.reminders.planner import TickResult, tick
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.usecases.administration import all_admins
from scheduler.usecases.core import Core
from scheduler.usecases.reviews import REVIEW_KINDS, still_awaiting
from scheduler.vocabulary.messages import MESSAGE_KINDS


@dataclass(frozen=True)
class Prepared:
    facts: ReminderFacts | None
    language: LanguagePrefs
    needed: bool = True


async def prepare(core: Core, item: OutboxItem) -> Prepared:
    """The facts of a reminder (None when it is no longer needed) and its chat's language."""
    runtime = core.runtime
    # Only reads: on SQLite it need not wait for the writers' turn.
    async with core.db.reading() as uow:
        # A group speaks its own language; a private chat its user's.
        user = item.chat_id if item.chat_id > 0 else None
        prefs = await uow.contacts.language_prefs(user, item.chat_id)
        facts, needed = None, True
        if MESSAGE_KINDS[item.kind].about_point:
            today = runtime.today(core.clock.now())
            facts = await reminder_facts(uow, item, runtime.schedule, today, runtime.control)
            needed = facts is not None
        elif item.kind in REVIEW_KINDS:
            needed = await still_awaiting(uow, runtime, int(item.payload.get("status", 0)))
    return Prepared(facts, prefs, needed)


async def plan_due_reminders(core: Core) -> TickResult:
    """The scheduled tick: plan everything that has come due into the outbox."""
    admins = await all_admins(core)
    runtime = core.runtime
    return await tick(core.db, core.clock, runtime.schedule, admins, runtime.control)


def held_until(core: Core, item: OutboxItem) -> dt.datetime | None:
    """When ``item``, due now, may go out instead; None when it may go now.

    Only the kinds that keep to working hours wait (``KindSpec.working_hours``).
    """
    if not MESSAGE_KINDS[item.kind].working_hours:
        return None
    return core.runtime.schedule.held_until(core.clock.now())
