"""Words every feature's messages share: dates, plural forms, agency names, states, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.dates import format_date

from bot.i18n.catalog import Raw, Translator
from scheduler.plan.model import Plan
from scheduler.refusals import Refusal
from scheduler.vocabulary.control import ITEM_STATES, STATUSES, ItemState, Status, state_of


def long_date(day: dt.date, language: str) -> str:
    return str(format_date(day, "long", locale=language))


def stored_moment(text: object, language: str) -> str:
    """A moment kept in a message's payload as ISO text in the plan's zone, as its readers
    tell the time: «2 декабря 2015 г., 10:15»; an unreadable one as it was kept."""
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return f"{long_date(moment.date(), language)}, {moment:%H:%M}"


def stored_date(text: object, language: str) -> str:
    """A date kept in a payload as ISO text, in words; an unreadable one as it was kept."""
    try:
        return long_date(dt.date.fromisoformat(str(text)), language)
    except ValueError:
        return str(text)


def task_title(plan: Plan, number: int, language: str) -> str:
    """The task's title in ``language``; empty when the plan no longer has the task."""
    try:
        return plan.task(number).title(language)
    except KeyError:
        return ""


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural(tr: Translator, key: str, n: int) -> str:
    """The message ``key.<form>`` for ``n``, with the plural form the language needs."""
    form = _locale(tr.language).plural_form(n)
    if form not in ("one", "few", "many"):
        form = "other"
    return tr(f"{key}.{form}", n=n)


def agency_name(plan: Plan, code: str, language: str) -> str:
    for agency in plan.agencies:
        if agency.code == code:
            return agency.name.in_language(language)
    return code


def agency_code(plan: Plan, code: str, language: str) -> str:
    """The plan's code as the reader writes it: «МСМ», «МКС» or «MCS»."""
    for agency in plan.agencies:
        if agency.code == code:
            return agency.code_in(language)
    return code


def agency_codes(plan: Plan, codes: Iterable[str], language: str) -> str:
    """Codes in the reader's language, comma-separated («МКС, МИО»); «—» for none."""
    return ", ".join(agency_code(plan, code, language) for code in codes) or "—"


def agency_label(plan: Plan, code: str, language: str) -> str:
    """The code and the name in the reader's language, e.g. «MCS — Ministry of Culture and
    Sport»."""
    name = agency_name(plan, code, language)
    shown = agency_code(plan, code, language)
    return shown if name == code else f"{shown} — {name}"


def status_label(tr: Translator, status: Status) -> str:
    """A reported status in a sentence, with its mark: «✅ done»."""
    return tr(STATUSES[status].label_key)


def state_label(tr: Translator, state: ItemState) -> str:
    """An item's state in chat, with its mark; «— not reported yet» before any report."""
    return tr(ITEM_STATES[state].label_key)


def reported_label(tr: Translator, status: Status | None) -> str:
    """The state the latest report gives, in chat (None: nothing reported)."""
    return state_label(tr, state_of(status))


def plain_state(tr: Translator, state: ItemState) -> str:
    """The state in words, without marks, for charts and spreadsheets."""
    return tr.plain(ITEM_STATES[state].plain_key)


def refusal_text(
    tr: Translator, refusal: Refusal, *, plain: bool = False, plan: Plan | None = None
) -> str:
    """A refusal in the reader's language, from the catalog message ``refusal.<code>``.

    ``plain`` for places Telegram shows without markup, such as a button's answer. With the
    ``plan``, the agency codes it names are shown in the reader's language.
    """
    values = {
        name: echo(value) if name in TYPED and isinstance(value, str) else _value(value, tr)
        for name, value in refusal.params.items()
    }
    for name, value in refusal.params.items():
        if isinstance(value, Status):
            values[name] = tr.plain(STATUSES[value].label_key)
    if plan is not None:
        for name in AGENCY_PARAMS:
            found = refusal.params.get(name)
            if isinstance(found, tuple | list):
                values[name] = agency_codes(plan, [str(c) for c in found], tr.language)
            elif isinstance(found, str) and found:
                values[name] = agency_code(plan, found, tr.language)
    key = f"refusal.{refusal.why}"
    return tr.plain(key, **values) if plain else tr(key, **values)


# Refusal values that quote what the user typed: cut short, as every quoted argument is.
TYPED = ("code", "role")
# Refusal values that list agency codes: shown in the reader's language.
AGENCY_PARAMS = ("agencies", "known", "departments", "agency")


def echo(text: str, limit: int = 64) -> str:
    """What the user typed, cut short enough to quote back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(value: object, tr: Translator) -> object:
    if isinstance(value, dt.date):
        return long_date(value, tr.language)
    if isinstance(value, tuple | list | set | frozenset):
        items: Iterable[object] = sorted(value) if isinstance(value, set | frozenset) else value
        return ", ".join(str(v) for v in items) or "—"
    return "?" if value is None else value


def local_time(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """A moment as the reader's wall clock in the plan's zone: «2016-06-30 09:00»."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# Telegram allows 4096 characters; long messages stop short of that.
MESSAGE_LIMIT = 3900


def cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when anything was left out."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def joined(items: list[str]) -> Raw:
    return Raw(", ".join(items))
