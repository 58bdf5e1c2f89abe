"""Preparing a planned message for sending: its facts as of now, and the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.clock import Clock
from scheduler.contacts import LanguagePrefs
from scheduler.delivery.outbox import OutboxItem
from scheduler.plan_runtime import PlanRuntime
from scheduler.reminders.facts import ReminderFacts, reminder_facts
from scheduler.reminders.planner import TickResult, tick
from scheduler.storage.unit_of_work import Database

REMINDER_KINDS = ("reminder", "overdue", "escalation")


@dataclass(frozen=True)
class Prepared:
    facts: ReminderFacts | None
    language: LanguagePrefs


async def prepare(db: Database, clock: Clock, runtime: PlanRuntime, item: OutboxItem) -> Prepared:
    """The facts of a reminder (None when it is no longer needed) and its chat's language."""
    async with db.unit_of_work() as uow:
        # A group speaks its own language; a private chat its user's.
        user = item.chat_id if item.chat_id > 0 else None
        prefs = await uow.contacts.language_prefs(user, item.chat_id)
        facts = None
        if item.kind in REMINDER_KINDS:
            facts = await reminder_facts(uow, item, runtime.schedule, runtime.today(clock.now()))
    return Prepared(facts, prefs)


async def plan_due_reminders(
    db: Database, clock: Clock, runtime: PlanRuntime, admins: tuple[int, ...]
) -> TickResult:
    """The scheduled tick: plan everything that has come due into the outbox."""
    return await tick(db, clock, runtime.schedule, admins)
