"""Messages of interim requests: the request with its answer buttons, the answer, the list."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.status.render import answer_buttons
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_codes, agency_label, cut, long_date, status_label, task_title
from scheduler.plan.model import Plan
from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import OutboxItem
from scheduler.usecases.interim import InterimAsked, OpenRequest
from scheduler.vocabulary.control import Status


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def request(item: OutboxItem, plan: Plan, tr: Translator) -> Rendered:
    """A controller's request, as an agency's chat gets it, with the status buttons."""
    payload = item.payload
    lang = tr.language
    task = int(payload.get("task", 0))
    agencies = [str(a) for a in payload.get("agencies", ())]
    lines = [tr("interim.title", task=task)]
    title = task_title(plan, task, lang)
    if title:
        lines.append(f"<i>{_e(title)}</i>")
    lines += [
        "",
        tr("interim.to", agencies=agency_codes(plan, agencies, lang)),
        tr("interim.from", name=str(payload.get("name") or "—")),
        tr("interim.text", text=Raw(f"<blockquote>{_e(payload.get('text', ''))}</blockquote>")),
        "",
        tr("interim.hint"),
    ]
    return Rendered("\n".join(lines), (answer_buttons(item.id, tr),))


def answer(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """An agency's answer, as the controller who asked gets it."""
    try:
        status = Status(str(payload.get("status")))
    except ValueError:
        return Rendered(tr("interim.answer_unknown", task=int(payload.get("task", 0))))
    lines = [
        tr(
            "interim.answer",
            task=int(payload.get("task", 0)),
            agency=agency_label(plan, str(payload.get("agency", "")), tr.language),
            status=status_label(tr, status),
            name=str(payload.get("name") or "—"),
        )
    ]
    text = str(payload.get("text") or "").strip()
    if text:
        lines.append(f"<blockquote>{_e(cut(text, 3000))}</blockquote>")
    return Rendered("\n".join(lines))


def asked(result: InterimAsked, plan: Plan, tr: Translator) -> str:
    key = "interim.sent" if result.chats else "interim.sent_nowhere"
    agencies = agency_codes(plan, result.agencies, tr.language)
    return tr(key, task=result.task, agencies=agencies, chats=result.chats)


def open_requests(found: Sequence[OpenRequest], plan: Plan, tr: Translator, tz: ZoneInfo) -> str:
    if not found:
        return tr("interim.none")
    lines = [tr("interim.list_title", count=len(found))]
    for entry in found:
        waiting = [a for a in entry.agencies if a not in entry.answered]
        lines.append(
            tr(
                "interim.list_line",
                id=entry.request.id,
                date=long_date(entry.request.at.astimezone(tz).date(), tr.language),
                task=entry.request.task_number,
                text=cut(entry.request.text, 80),
                answered=agency_codes(plan, entry.answered, tr.language),
                waiting=agency_codes(plan, waiting, tr.language),
            )
        )
    return "\n".join(lines)
