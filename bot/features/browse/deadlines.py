"""A deadline's reading in words, for the task card: every kind the plan model knows."""

from __future__ import annotations

import datetime as dt
import html

from babel.dates import format_date

from bot.i18n.catalog import Translator
from bot.wording import long_date, plural
from scheduler.plan.model import (
    BeforeDateDeadline,
    CompositeDeadline,
    DateDeadline,
    EventDeadline,
    MonthDay,
    PeriodEndDeadline,
    RecurringDayDeadline,
    RecurringDeadline,
    SimpleDeadline,
    Task,
    UnreadDeadline,
)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def day_of_year(day: MonthDay, language: str) -> str:
    """A day and month without a year, e.g. «31 желтоқсан», «31 декабря», «31 December»."""
    # 2000 is a leap year, so an anchor on 29 February has a date to be formatted from.
    return str(format_date(dt.date(2000, day.month, day.day), "d MMMM", locale=language))


def reading(task: Task, tr: Translator) -> str:
    """The reading of the task's deadline as HTML: parts of a composite one joined by «;»."""
    deadline = task.deadline
    if isinstance(deadline, CompositeDeadline):
        return "; ".join(
            f"{_e(part.label)} — {_simple(part.deadline, task.number, tr)}"
            for part in deadline.parts
        )
    if isinstance(deadline, UnreadDeadline):
        return tr("reading.unread", task=task.number)
    return _simple(deadline, task.number, tr)


def allowance(deadline: EventDeadline, tr: Translator) -> str:
    """How long after its event the task is due: «on the day», «within 5 working days»."""
    if not deadline.days:
        return tr("reading.allowance.none")
    unit = "working" if deadline.working_days else "calendar"
    return plural(tr, f"reading.allowance.{unit}", deadline.days)


def _simple(deadline: SimpleDeadline, task: int, tr: Translator) -> str:
    lang = tr.language
    if isinstance(deadline, BeforeDateDeadline):
        return tr(
            f"reading.before_date.{deadline.reading.value}",
            date=long_date(deadline.boundary, lang),
            due=long_date(deadline.due(), lang),
        )
    if isinstance(deadline, DateDeadline | PeriodEndDeadline):
        return tr(f"reading.{deadline.kind}", date=long_date(deadline.due(), lang))
    if isinstance(deadline, RecurringDeadline):
        if deadline.anchor is not None:
            return tr("reading.recurring.anchor", day=day_of_year(deadline.anchor, lang))
        return tr(f"reading.recurring.{deadline.frequency.value}")
    if isinstance(deadline, RecurringDayDeadline):
        where = "after" if deadline.after_period else "same"
        text = tr(f"reading.recurring_day.{where}.{deadline.frequency.value}", day=deadline.day)
        if deadline.reading is not None:
            text += " " + tr(f"reading.day_before.{deadline.reading.value}", day=deadline.day)
        return text
    if isinstance(deadline, EventDeadline):
        if deadline.event_date is None:
            return tr(
                "reading.event.waiting",
                event=deadline.event,
                allowance=allowance(deadline, tr),
                task=task,
            )
        return tr(
            "reading.event.dated",
            event=deadline.event,
            date=long_date(deadline.event_date, lang),
            allowance=allowance(deadline, tr),
        )
    return tr("reading.ongoing")
