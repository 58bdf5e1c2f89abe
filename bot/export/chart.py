"""The report as PNG bar charts: the summary, one stacked bar per agency with its items
coloured by state; and the discipline, one bar per agency of its on-time share.

Drawn with matplotlib's Agg renderer through its object interface (no pyplot, so no global
figure state and no display). Its bundled DejaVu Sans has the Cyrillic and Kazakh letters;
labels carry no emoji, which that font lacks.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.export.discipline_text import percent, period_text, shown_figures
from bot.export.labels import as_of_text, code_shown, share_text
from bot.i18n.catalog import Translator
from bot.wording import plain_state
from scheduler.plan.model import Plan
from scheduler.reports.discipline import PeriodName
from scheduler.usecases.plan_reports import StatusReport
from scheduler.vocabulary.control import ITEM_STATES, ItemState

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 100
SHARE_COLOUR = ITEM_STATES[ItemState.DONE].colour
# An agency with nothing due gets no bar, only its note, in the colour of "not started".
NO_FIGURE_COLOUR = "#78909c"
TRACK_COLOUR = "#eceff1"


def summary_chart(report: StatusReport, tr: Translator, plan: Plan | None = None) -> bytes:
    """PNG bytes of the chart; an empty plan gives a chart with its title only."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    summaries = list(report.agencies)
    height = 2.2 + 0.45 * max(len(summaries), 1)
    figure = Figure(figsize=(10, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [code_shown(plan, s.agency, tr.language) for s in summaries]
    positions = list(range(len(summaries)))
    left = [0] * len(summaries)
    for state, spec in ITEM_STATES.items():
        widths = [s.counts[state] for s in summaries]
        axes.barh(
            positions,
            widths,
            left=left,
            color=spec.colour,
            label=plain_state(tr, state),
            height=0.6,
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    longest = max(left, default=0)
    for y, summary in zip(positions, summaries, strict=True):
        note = tr.plain(
            "report.chart.note",
            overdue=summary.overdue,
            on_time=share_text(summary.on_time_share),
        )
        axes.text(summary.total + longest * 0.01 + 0.1, y, note, va="center", fontsize=8)
    axes.set_yticks(positions, names)
    axes.invert_yaxis()
    axes.set_xlim(0, max(longest * 1.35, 1))
    axes.set_xlabel(tr.plain("report.chart.axis"))
    axes.set_title(
        tr.plain("report.chart.title", as_of=as_of_text(report.as_of, report.tz, tr.language)),
        fontsize=11,
    )
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncols=len(ITEM_STATES),
        fontsize=8,
        frameon=False,
    )
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def discipline_figure(
    report: StatusReport, plan: Plan | None, tr: Translator, name: PeriodName | None
) -> Figure:
    """The discipline chart as a figure: a bar of each agency's on-time share, 0–100 %.

    An agency with no item due in the period has no bar and says so beside its name.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figures = shown_figures(report, plan, tr)
    height = 2.0 + 0.42 * max(len(figures), 1)
    figure = Figure(figsize=(10, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(figures)))
    shares = [f.share for f in figures]
    counted = [y for y, s in zip(positions, shares, strict=True) if s is not None]
    # A faint track to 100 % sets a measured 0 % apart from an agency with no figure.
    axes.barh(counted, [100] * len(counted), color=TRACK_COLOUR, height=0.6)
    axes.barh(counted, [s for s in shares if s is not None], color=SHARE_COLOUR, height=0.6)
    for y, found in zip(positions, figures, strict=True):
        if found.share is None:
            note = tr.plain("discipline.chart.none")
            axes.text(1, y, note, va="center", fontsize=8, color=NO_FIGURE_COLOUR)
        else:
            note = tr.plain(
                "discipline.chart.note",
                share=percent(found.share),
                on_time=found.on_time,
                due=found.due,
            )
            axes.text(found.share + 1, y, note, va="center", fontsize=8)
    axes.set_yticks(positions, [f.agency for f in figures])
    # Top to bottom in the table's order, with room for rows that have no bar to size them.
    axes.set_ylim(max(len(figures), 1) - 0.5, -0.5)
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel(tr.plain("discipline.chart.axis"))
    axes.set_title(
        tr.plain("discipline.chart.title", period=period_text(report.period, tr, name)),
        fontsize=11,
    )
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def discipline_chart(
    report: StatusReport, plan: Plan | None, tr: Translator, name: PeriodName | None
) -> bytes:
    """PNG bytes of the discipline chart."""
    out = io.BytesIO()
    discipline_figure(report, plan, tr, name).savefig(out, format="png", dpi=DPI)
    return out.getvalue()
