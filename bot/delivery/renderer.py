"""Rendering an outbox row at send time, in the recipient chat's language.

Each kind of message has its renderer here, in one table; a kind about a control point
is rendered from its facts as of now, and not at all once it is no longer needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from bot.features.broadcasts import render as broadcasts
from bot.features.plan_changes import render as plan_changes
from bot.features.reminders.render import render_missed_digest, render_reminder
from bot.i18n.catalog import Catalog, Translator
from scheduler.plan.model import Plan
from scheduler.presentation import Rendered
from scheduler.reminders.facts import ReminderFacts
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.usecases.core import Core
from scheduler.usecases.reminders import prepare
from scheduler.vocabulary.messages import MessageKind

PayloadRenderer = Callable[[Mapping[str, Any], Plan, Translator], Rendered | None]


def _text(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered | None:
    """A message rendered when it was planned (the weekly digest): its text as it was."""
    text = payload.get("text")
    return Rendered(str(text)) if text else None


# The kinds that are not about a control point, each with its renderer.
PAYLOAD_RENDERERS: Mapping[MessageKind, PayloadRenderer] = MappingProxyType(
    {
        MessageKind.MISSED_DIGEST: render_missed_digest,
        MessageKind.PLAN_CHANGE: plan_changes.plan_change,
        MessageKind.BROADCAST: broadcasts.broadcast,
        MessageKind.BROADCAST_REPORT: broadcasts.broadcast_report,
        MessageKind.DIGEST: _text,
    }
)
FactsRenderer = Callable[[ReminderFacts, Plan, Translator], Rendered]
# The kinds about a control point, each with its renderer of the facts as of now.
FACTS_RENDERERS: Mapping[MessageKind, FactsRenderer] = MappingProxyType(
    {
        MessageKind.REMINDER: render_reminder,
        MessageKind.OVERDUE: render_reminder,
        MessageKind.ESCALATION: render_reminder,
    }
)


class OutboxRenderer:
    """The worker's ``render``: None means the message is no longer needed."""

    def __init__(self, core: Core, catalog: Catalog, default: str) -> None:
        self._core = core
        self._catalog = catalog
        self._default = default

    async def __call__(self, item: OutboxItem) -> Rendered | None:
        prepared = await prepare(self._core, item)
        plan = self._core.runtime.plan
        tr = self._catalog.for_language(prepared.language.resolve(self._default))
        if item.kind in FACTS_RENDERERS:
            if prepared.facts is None:
                return None
            return FACTS_RENDERERS[item.kind](prepared.facts, plan, tr)
        return PAYLOAD_RENDERERS[item.kind](item.payload, plan, tr)
