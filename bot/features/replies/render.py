"""What the bot asks in a prompt, and what it answers to a reply, whatever the reply meant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.features.extensions import render as extensions
from bot.features.reviews import render as reviews
from bot.features.status import render as status
from bot.i18n.catalog import Translator
from bot.wording import agency_label
from scheduler.plan.model import Plan
from scheduler.presentation import Rendered
from scheduler.usecases.extensions import ExtensionAsked, ExtensionDecided
from scheduler.usecases.prompts import PromptKind
from scheduler.usecases.replies import Understood
from scheduler.usecases.reviews import Decided
from scheduler.usecases.status_updates import Clarify, Recorded


def prompt(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered | None:
    """The question, sent so that the reader's app opens a reply to it."""
    try:
        kind = PromptKind(str(payload.get("kind")))
    except ValueError:
        return None
    text = tr(
        f"prompt.{kind}",
        task=int(payload.get("task", 0)),
        agency=agency_label(plan, str(payload.get("agency", "")), tr.language),
    )
    return Rendered(text, asks=True)


def answered(result: Understood, plan: Plan, tr: Translator) -> str | Rendered:
    """The answer to a reply that was understood (a refusal is rendered by the caller)."""
    if isinstance(result, Recorded):
        return status.confirmation(result, plan, tr)
    if isinstance(result, Clarify):
        return status.question(result, tr)
    if isinstance(result, Decided):
        return reviews.decided(result, plan, tr)
    if isinstance(result, ExtensionAsked):
        return extensions.asked(result, plan, tr)
    if isinstance(result, ExtensionDecided):
        return extensions.decided(result, plan, tr)
    raise TypeError(f"no rendering of {type(result).__name__}")
