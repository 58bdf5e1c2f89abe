"""The discipline message with its period buttons, as /report and a press of one send it,
the chart's caption, and why typed dates make no period."""

from __future__ import annotations

import datetime as dt

from bot.export.discipline_text import discipline_message, period_text
from bot.export.summary_text import MESSAGE_LIMIT
from bot.features.reports.callbacks import period_data
from bot.i18n.catalog import Translator
from bot.wording import long_date
from scheduler.plan.model import Plan
from scheduler.presentation import Button, Rendered
from scheduler.reports.discipline import PeriodName, PeriodProblem
from scheduler.usecases.plan_reports import StatusReport

# Two buttons a row: the names are long in Kazakh and Russian.
BUTTON_ROWS = (
    (PeriodName.PLAN, PeriodName.QUARTER),
    (PeriodName.MONTH, PeriodName.LAST_MONTH),
)


def _button(name: PeriodName, chosen: PeriodName | None, tr: Translator) -> Button:
    label = tr.plain(f"discipline.button.{name}")
    if name is chosen:
        label = tr.plain("discipline.button.chosen", label=label)
    return Button(label, period_data(name))


def discipline_view(
    report: StatusReport, plan: Plan, tr: Translator, chosen: PeriodName | None
) -> Rendered:
    """The table over the report's period; ``chosen`` is the button that period came from."""
    buttons = tuple(tuple(_button(n, chosen, tr) for n in row) for row in BUTTON_ROWS)
    return Rendered(discipline_message(report, plan, tr, chosen, MESSAGE_LIMIT), buttons)


def chart_caption(report: StatusReport, tr: Translator, chosen: PeriodName | None) -> str:
    return tr("discipline.chart_caption", period=period_text(report.period, tr, chosen))


def period_problem(problem: PeriodProblem, tr: Translator) -> str:
    """«2016-13-01 is not a date …», «the period ends before it starts …»."""
    values = {
        k: long_date(v, tr.language) if isinstance(v, dt.date) else v
        for k, v in problem.params.items()
    }
    return tr(f"report.period.{problem.trouble}", **values)
