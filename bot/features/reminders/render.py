"""A reminder, an overdue nudge or an escalation, as one message with answer buttons.

A reminder to an agency also offers to ask for a new date and to put it off in this chat;
an escalation, which is for the controllers, does not.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

from bot.features.extensions import callbacks as extension_callbacks
from bot.features.reminders import callbacks
from bot.features.status.render import answer_buttons
from bot.i18n.catalog import Raw, Translator
from bot.wording import agency_code, agency_codes, agency_label, long_date, plural, state_label
from scheduler.plan.model import Plan, event_readings
from scheduler.presentation import Button, Rendered
from scheduler.reminders.facts import ReminderFacts
from scheduler.usecases.snoozes import LENGTHS, Snoozed
from scheduler.vocabulary.messages import MESSAGE_KINDS, Audience


def render_reminder(facts: ReminderFacts, plan: Plan, tr: Translator) -> Rendered:
    """A reminder of any kind about one control point, with the answer buttons."""
    lang = tr.language
    point = facts.point
    task = plan.task(point.task)
    lines = [
        tr(MESSAGE_KINDS[facts.kind].heading_key, task=point.task),
        f"<i>{_escape(task.title(lang))}</i>",
        "",
        tr("reminder.line.what", what=Raw(_what(point.kind, point.recipient, plan, tr))),
        tr(
            "reminder.line.agency",
            agencies=Raw(", ".join(_escape(agency_label(plan, a, lang)) for a in facts.focus)),
        ),
        tr("reminder.line.date", date=long_date(facts.due, lang), when=Raw(_when(facts, tr))),
    ]
    if facts.moved:
        lines.append(tr("reminder.line.item_moved", original=long_date(point.effective, lang)))
    elif point.nominal != point.effective:
        lines.append(tr("reminder.line.moved", nominal=long_date(point.nominal, lang)))
    if point.kind == "deadline":
        for reading in event_readings(task.deadline):
            if reading.event_date is not None:
                lines.append(
                    tr(
                        "reminder.line.event",
                        event=reading.event,
                        date=long_date(reading.event_date, lang),
                    )
                )
    for standing in facts.agencies:
        if standing.agency in facts.focus:
            lines.append(
                tr(
                    "reminder.line.status",
                    agency=agency_code(plan, standing.agency, lang),
                    status=state_label(tr, standing.state),
                )
            )
    if facts.shows_co_executors and facts.not_reported:
        missing = agency_codes(plan, facts.not_reported, lang)
        lines.append(tr("reminder.line.missing", agencies=missing))
    lines += ["", tr("reminder.hint")]
    rows: list[tuple[Button, ...]] = [answer_buttons(facts.item_id, tr)]
    if MESSAGE_KINDS[facts.kind].audience is Audience.AGENCIES:
        rows.append(_later_row(facts.item_id, tr))
    return Rendered("\n".join(lines), tuple(rows))


def _later_row(item_id: int, tr: Translator) -> tuple[Button, ...]:
    """Ask for a new date; remind this chat again after one or a few working days."""
    extend = Button(tr.plain("button.extend"), extension_callbacks.ASK.build(item_id))
    snoozes = tuple(
        Button(_snooze_label(tr, days), callbacks.SNOOZE.build(item_id, days)) for days in LENGTHS
    )
    return (extend, *snoozes)


def _snooze_label(tr: Translator, days: int) -> str:
    # The next working day reads as "tomorrow" to whoever gets the reminder on a working day.
    if days == 1:
        return tr.plain("button.snooze_tomorrow")
    return plural(tr, "button.snooze_in", days)


def snoozed(result: Snoozed, plan: Plan, tr: Translator) -> str:
    """What the chat reads once a reminder's item is put off."""
    return tr(
        "snooze.done",
        task=result.point.task,
        agencies=agency_codes(plan, result.agencies, tr.language),
        date=long_date(result.until, tr.language),
    )


def _what(kind: str, recipient: str | None, plan: Plan, tr: Translator) -> str:
    if kind == "report":
        shown = agency_code(plan, recipient, tr.language) if recipient else ""
        return tr("reminder.what.report", recipient=shown)
    return tr("reminder.what.deadline")


def _when(facts: ReminderFacts, tr: Translator) -> str:
    if facts.overdue_days:
        return plural(tr, "reminder.overdue", facts.overdue_days)
    if facts.working_days_left == 0:
        return tr("reminder.left.today")
    return plural(tr, "reminder.left", facts.working_days_left)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def render_missed_digest(payload: Mapping[str, Any], plan: Plan, tr: Translator) -> Rendered:
    """The administrators' list of reminders that a downtime made too late to send."""
    items = payload.get("items")
    total = int(str(payload.get("total", 0)))
    lines = [tr("missed.title", total=total)]
    entries = items if isinstance(items, list) else []
    for shown, entry in enumerate(entries):
        if shown >= 40:
            lines.append(tr("missed.more", more=len(entries) - shown))
            break
        point_id = str(entry.get("point", ""))
        day = dt.date.fromisoformat(str(entry.get("day")))
        lines.append(
            tr(
                "missed.item",
                point=point_id,
                slot=str(entry.get("slot", "")),
                day=long_date(day, tr.language),
                chats=int(entry.get("chats", 0)),
            )
        )
    return Rendered("\n".join(lines))
