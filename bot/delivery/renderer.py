"""Rendering an outbox row at send time, in the recipient chat's language."""

from __future__ import annotations

from bot.i18n.catalog import Catalog
from bot.render import admin
from bot.render.reminder import render_missed_digest, render_reminder
from scheduler.clock import Clock
from scheduler.delivery.outbox import OutboxItem
from scheduler.delivery.outcomes import Rendered
from scheduler.plan_runtime import PlanHolder
from scheduler.reminders.planner import MISSED_DIGEST
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.broadcasts import BROADCAST, BROADCAST_REPORT
from scheduler.usecases.plan_changes import PLAN_CHANGE
from scheduler.usecases.reminders import REMINDER_KINDS, prepare


class OutboxRenderer:
    """The worker's ``render``: None means the message is no longer needed."""

    def __init__(
        self, db: Database, clock: Clock, plans: PlanHolder, catalog: Catalog, default: str
    ) -> None:
        self._db = db
        self._clock = clock
        self._plans = plans
        self._catalog = catalog
        self._default = default

    async def __call__(self, item: OutboxItem) -> Rendered | None:
        runtime = self._plans.current
        prepared = await prepare(self._db, self._clock, runtime, item)
        tr = self._catalog.for_language(prepared.language.resolve(self._default))
        if item.kind in REMINDER_KINDS:
            if prepared.facts is None:
                return None
            return render_reminder(prepared.facts, runtime.plan, tr)
        if item.kind == MISSED_DIGEST:
            return render_missed_digest(dict(item.payload), runtime.plan, tr)
        if item.kind == PLAN_CHANGE:
            return admin.plan_change(item.payload, runtime.plan, tr)
        if item.kind == BROADCAST:
            return admin.broadcast(item.payload, tr)
        if item.kind == BROADCAST_REPORT:
            return admin.broadcast_report(item.payload, tr)
        text = item.payload.get("text")
        return Rendered(str(text)) if text else None
