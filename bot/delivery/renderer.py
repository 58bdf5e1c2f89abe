"""Rendering an outbox row at send time, in the recipient chat's language.

Each kind of message has its renderer here, in one table; a kind about a control point
is rendered from its facts as of now, and not at all once it is no longer needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from bot.features.broadcasts import render as broadcasts
from bot.features.extensions import render as extensions
from bot.features.interim import render as interim
from bot.features.plan_changes import render as plan_changes
from bot.features.reminders.render import render_missed_digest, render_reminder
from bot.features.replies import render as replies
from bot.features.reviews import render as reviews
from bot.i18n.catalog import Catalog, Translator
from scheduler.plan.model import Plan
from scheduler.presentation import Rendered
from scheduler.reminders.facts import ReminderFacts
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.usecases.core import Core
from scheduler.usecases.reminders import prepare
from scheduler.vocabulary.messages import MessageKind

PayloadRenderer = Callable[[OutboxItem, Plan, Translator], Rendered | None]


def _payload(
    render: Callable[[Mapping[str, Any], Plan, Translator], Rendered | None],
) -> PayloadRenderer:
    """A renderer of the message's payload alone."""
    return lambda item, plan, tr: render(item.payload, plan, tr)


def _text(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered | None:
    """A message rendered when it was planned (the weekly digest): its text as it was."""
    text = payload.get("text")
    return Rendered(str(text)) if text else None


# The kinds that are not about a control point, each with its renderer.
PAYLOAD_RENDERERS: Mapping[MessageKind, PayloadRenderer] = MappingProxyType(
    {
        MessageKind.MISSED_DIGEST: _payload(render_missed_digest),
        MessageKind.PLAN_CHANGE: _payload(plan_changes.plan_change),
        MessageKind.BROADCAST: _payload(broadcasts.broadcast),
        MessageKind.BROADCAST_REPORT: _payload(broadcasts.broadcast_report),
        MessageKind.DIGEST: _payload(_text),
        MessageKind.REVIEW: _payload(reviews.review),
        MessageKind.REVIEW_REMINDER: _payload(reviews.review),
        MessageKind.REVIEW_DECISION: _payload(reviews.decision),
        MessageKind.EXTENSION_REQUEST: _payload(extensions.request),
        MessageKind.EXTENSION_DECISION: _payload(extensions.decision),
        MessageKind.INTERIM_REQUEST: interim.request,
        MessageKind.INTERIM_ANSWER: _payload(interim.answer),
        MessageKind.PROMPT: _payload(replies.prompt),
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
        if not prepared.needed:
            return None
        plan = self._core.runtime.plan
        tr = self._catalog.for_language(prepared.language.resolve(self._default))
        if prepared.facts is not None:
            return FACTS_RENDERERS[item.kind](prepared.facts, plan, tr)
        return PAYLOAD_RENDERERS[item.kind](item, plan, tr)
