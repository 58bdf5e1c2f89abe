"""Messages of broadcasts: the preview with its buttons, the broadcast, its delivery report."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.features.broadcasts import callbacks
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, cut
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.usecases.broadcasts import Draft


def broadcast(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    body = html.escape(str(payload.get("body", "")), quote=False)
    return Rendered(tr("broadcast.header", body=Raw(body)))


def broadcast_report(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    return Rendered(
        tr(
            "broadcast.report",
            id=int(payload["broadcast"]),
            sent=int(payload.get("sent", 0)),
            failed=int(payload.get("failed", 0)),
            blocked=int(payload.get("blocked", 0)),
        )
    )


def broadcast_preview(draft: Draft, body: str, plan: Plan, tr: Translator) -> Rendered:
    target = agency_code(plan, draft.target, tr.language) if draft.audience == "agency" else ""
    audience = tr(f"audience.{draft.audience}", target=target or draft.target)
    text = tr(
        "broadcast.preview",
        audience=audience,
        recipients=draft.recipients,
        body=Raw(html.escape(cut(body, 3000), quote=False)),
    )
    buttons = (
        Button(tr.plain("broadcast.send"), callbacks.BROADCAST.build(callbacks.SEND, draft.id)),
        Button(tr.plain("broadcast.drop"), callbacks.BROADCAST.build(callbacks.DROP, draft.id)),
    )
    return Rendered(text, (buttons,))
