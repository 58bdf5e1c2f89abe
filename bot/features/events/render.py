"""The answer to /event: the recorded date and the deadline it gives."""

from __future__ import annotations

from bot.i18n.catalog import Translator
from bot.wording import long_date
from scheduler.usecases.event_dates import EventRecorded


def recorded(result: EventRecorded, tr: Translator) -> str:
    lang = tr.language
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
