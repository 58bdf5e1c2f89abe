"""The summary as a PNG bar chart: one stacked bar per agency, its items coloured by state.

Drawn with matplotlib's Agg renderer through its object interface (no pyplot, so no global
figure state and no display). Its bundled DejaVu Sans has the Cyrillic and Kazakh letters;
labels carry no emoji, which that font lacks.
"""

from __future__ import annotations

import io

from bot.export.labels import as_of_text, code_shown, share_text
from bot.i18n.catalog import Translator
from bot.wording import plain_state
from scheduler.plan.model import Plan
from scheduler.usecases.plan_reports import StatusReport
from scheduler.vocabulary.control import ITEM_STATES

DPI = 100


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
