"""Messages of extensions: the request as the controllers get it, and the answer to it."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.features.extensions import callbacks
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_label, long_date, stored_date, task_title
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.usecases.extensions import ExtensionAsked, ExtensionDecided


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def _dates(payload: Mapping[str, Any], tr: Translator) -> list[str]:
    lang = tr.language
    lines = [
        tr(
            "extension.dates",
            current=stored_date(payload.get("current"), lang),
            requested=stored_date(payload.get("requested"), lang),
        )
    ]
    if payload.get("original") != payload.get("current"):
        lines.append(tr("extension.original", date=stored_date(payload.get("original"), lang)))
    return lines


def request(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """An agency's request for a new date, with approve and refuse buttons."""
    lang = tr.language
    task = int(payload.get("task", 0))
    lines = [tr("extension.title", task=task)]
    title = task_title(plan, task, lang)
    if title:
        lines.append(f"<i>{_e(title)}</i>")
    lines += [
        "",
        tr("extension.kind", kind=tr(f"kind.{payload.get('kind', 'deadline')}")),
        tr("review.agency", agency=agency_label(plan, str(payload.get("agency", "")), lang)),
        *_dates(payload, tr),
        tr("extension.reason", reason=Raw(_e(payload.get("reason", "")))),
        tr("extension.asked_by", name=str(payload.get("name") or "—")),
    ]
    if payload.get("late"):
        lines.append(tr("extension.late"))
    number = int(payload.get("request", 0))
    buttons = (
        Button(tr.plain("button.approve"), callbacks.APPROVE.build(number)),
        Button(tr.plain("button.refuse"), callbacks.REFUSE.build(number)),
    )
    return Rendered("\n".join(lines), (buttons,))


def decision(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """The controller's answer, as the agency's chats get it."""
    lang = tr.language
    values = {
        "task": int(payload.get("task", 0)),
        "agency": agency_label(plan, str(payload.get("agency", "")), lang),
        "date": stored_date(payload.get("requested"), lang),
        "name": str(payload.get("name") or "—"),
    }
    if payload.get("approved"):
        lines = [tr("extension.approved", **values)]
        lines.append(tr("extension.original", date=stored_date(payload.get("original"), lang)))
    else:
        lines = [tr("extension.refused", **values)]
        lines.append(tr("extension.reason", reason=Raw(_e(payload.get("reason", "")))))
        lines.append(tr("extension.still", date=stored_date(payload.get("current"), lang)))
    return Rendered("\n".join(lines))


def asked(result: ExtensionAsked, plan: Plan, tr: Translator) -> str:
    """What the member reads once the request went to the controllers."""
    lang = tr.language
    lines = [
        tr(
            "extension.sent",
            task=result.point.task,
            agency=agency_label(plan, result.agency, lang),
            current=long_date(result.current_due, lang),
            requested=long_date(result.requested_due, lang),
            chats=result.controllers,
        )
    ]
    if result.late:
        lines.append(tr("extension.late"))
    return "\n".join(lines)


def decided(result: ExtensionDecided, plan: Plan, tr: Translator) -> str:
    """What the controller reads once the decision is stored."""
    key = "extension.approved_done" if result.approved else "extension.refused_done"
    return tr(
        key,
        task=result.point.task,
        agency=agency_label(plan, result.agency, tr.language),
        date=long_date(result.requested_due, tr.language),
        told=result.told,
    )
