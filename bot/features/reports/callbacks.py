"""Callback data of the discipline's period buttons: ``dsc:<period>``.

``<period>`` is the name of a period the core works out as of the day of the press (the
plan so far, this quarter, this month, last month), so an old message still gives the
figures as they stand now.
"""

from __future__ import annotations

from bot.features.callback_data import CallbackKind
from scheduler.reports.discipline import PeriodName

PERIOD = CallbackKind("dsc", ("|".join(name.value for name in PeriodName),))


def period_data(name: PeriodName) -> str:
    return PERIOD.build(name.value)


def period_named(fields: tuple[str, ...]) -> PeriodName:
    return PeriodName(fields[0])
