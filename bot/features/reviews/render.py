"""Messages of acceptance: the report as its controllers get it, and the decision on it."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.features.reviews import callbacks
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_label, cut, plural, stored_date, stored_moment, task_title
from scheduler.plan.model import Plan
from scheduler.presentation import Attachment, Button, Rendered
from scheduler.usecases.reviews import Decided
from scheduler.vocabulary.control import Decision

# A report's text quoted to its controllers: long enough for a real report, short enough
# to leave room for the rest of the message.
QUOTED = 3000


def _e(text: object) -> str:
    return html.escape(str(text), quote=False)


def review(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """A report of done for its controllers, verbatim, with accept and return buttons."""
    lang = tr.language
    task = int(payload.get("task", 0))
    waited = payload.get("waited")
    if waited is None:
        lines = [tr("review.title", task=task)]
    else:
        lines = [tr("review.title_waiting", task=task, waited=plural(tr, "days", int(waited)))]
    title = task_title(plan, task, lang)
    if title:
        lines.append(f"<i>{_e(title)}</i>")
    lines += [
        "",
        tr(
            "review.point",
            kind=tr(f"kind.{payload.get('kind', 'deadline')}"),
            date=stored_date(payload.get("date"), lang),
        ),
        tr("review.agency", agency=agency_label(plan, str(payload.get("agency", "")), lang)),
        tr(
            "review.by",
            name=str(payload.get("name") or "—"),
            when=stored_moment(payload.get("at"), lang),
        ),
    ]
    text = str(payload.get("text") or "").strip()
    if text:
        quoted = f"<blockquote>{_e(cut(text, QUOTED))}</blockquote>"
        lines.append(tr("review.text", text=Raw(quoted)))
    attachment = None
    file_id = payload.get("evidence_file_id")
    if file_id:
        kind = "photo" if payload.get("evidence_kind") == "photo" else "document"
        attachment = Attachment(kind, str(file_id))
        lines.append(tr("review.evidence", name=str(payload.get("evidence_name") or "—")))
    lines += ["", tr("review.hint")]
    status = int(payload.get("status", 0))
    buttons = (
        Button(tr.plain("button.accept"), callbacks.ACCEPT.build(status)),
        Button(tr.plain("button.return"), callbacks.RETURN.build(status)),
    )
    return Rendered("\n".join(lines), (buttons,), attachment=attachment)


def decision(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """The controller's decision, as the agency's chats get it."""
    lang = tr.language
    values = {
        "task": int(payload.get("task", 0)),
        "agency": agency_label(plan, str(payload.get("agency", "")), lang),
        "name": str(payload.get("name") or "—"),
        "when": stored_moment(payload.get("at"), lang),
    }
    if payload.get("decision") == Decision.ACCEPT:
        return Rendered(tr("review.accepted", **values))
    lines = [tr("review.returned", **values)]
    lines.append(tr("review.comment", comment=Raw(_e(payload.get("comment", "")))))
    new_date = payload.get("new_date")
    if new_date:
        lines.append(tr("review.new_date", date=stored_date(new_date, lang)))
    lines.append(tr("review.returned_hint"))
    return Rendered("\n".join(lines))


def decided(result: Decided, plan: Plan, tr: Translator) -> str:
    """What the controller reads once their decision is stored."""
    values = {
        "task": result.point.task,
        "agency": agency_label(plan, result.agency, tr.language),
        "told": result.told,
    }
    if result.decision is Decision.ACCEPT:
        return tr("review.accepted_done", **values)
    line = tr("review.returned_done", **values)
    if result.new_date is not None:
        line += "\n" + tr("review.new_date", date=stored_date(result.new_date, tr.language))
    return line
