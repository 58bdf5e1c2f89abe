"""Pieces every rendered message shares: dates, plural forms, agency names, status labels."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date

from bot.i18n.catalog import Raw, Translator
from scheduler.plan.model import Plan

STATUS_KEYS = ("done", "in_progress", "problem", "postponed")


def long_date(day: dt.date, language: str) -> str:
    return str(format_date(day, "long", locale=language))


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


def agency_label(plan: Plan, code: str, language: str) -> str:
    """The code and the name, e.g. «МСМ — Ministry of Culture and Sport»."""
    name = agency_name(plan, code, language)
    return code if name == code else f"{code} — {name}"


def status_label(tr: Translator, status: str | None) -> str:
    return tr(f"status.{status}" if status in STATUS_KEYS else "status.none")


def joined(items: list[str]) -> Raw:
    return Raw(", ".join(items))
