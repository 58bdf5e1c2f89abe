"""Replies to /event: the recorded date and the deadline it gives, or why nothing changed."""

from __future__ import annotations

from bot.i18n.catalog import Translator
from bot.render.common import long_date
from scheduler.usecases.event_dates import EventRecorded, EventRefused, NotEntitled


def event_reply(result: EventRecorded | EventRefused | NotEntitled, tr: Translator) -> str:
    lang = tr.language
    if isinstance(result, NotEntitled):
        return tr("event.not_entitled", agencies=", ".join(result.agencies))
    if isinstance(result, EventRefused):
        return tr(f"event.refused.{result.code}", detail=result.detail)
    due = long_date(result.due, lang) if result.due is not None else "—"
    return tr(
        "event.recorded",
        task=result.task,
        event=result.event,
        date=long_date(result.event_date, lang),
        due=due,
        version=result.version,
        chats=result.notified_chats,
    )
