"""The dashboard's read models and words: the matrix's rule for a cell, the overdue list,
the timeline, and a label in every language for every kind of history line."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.i18n.catalog import LANGUAGES, load_catalog
from scheduler.reports.items import Item
from scheduler.reports.matrix import matrix, overdue, timeline
from scheduler.usecases.plan_reports import StatusReport, build_report
from scheduler.vocabulary.control import ItemState
from scheduler.vocabulary.history import Happened
from tests.reports.support import at, runtime

CATALOG = load_catalog()


def _report(moment: dt.datetime) -> StatusReport:
    return build_report(runtime(), None, moment)


def test_every_history_line_has_words_in_every_language() -> None:
    for happened in Happened:
        for language in LANGUAGES:
            assert CATALOG.plain(language, f"dashboard.happened.{happened}"), (language, happened)


def test_a_cell_holds_the_first_item_not_closed_else_the_last() -> None:
    report = _report(at(2015, 11, 16))
    items = list(report.items)
    # A task and agency with several points.
    counts: dict[tuple[int, str], int] = {}
    for item in items:
        counts[item.point.task, item.agency] = counts.get((item.point.task, item.agency), 0) + 1
    key = next(k for k, n in counts.items() if n >= 3)
    mine = [i for i in items if (i.point.task, i.agency) == key]
    others = [i for i in items if (i.point.task, i.agency) != key]

    def cell_of(chosen: list[Item]) -> Item:
        [cell] = [c for c in matrix([*others, *chosen]) if (c.task, c.agency) == key]
        return cell.item

    assert cell_of(mine) == mine[0]
    first_closed = [replace(mine[0], state=ItemState.ACCEPTED), *mine[1:]]
    assert cell_of(first_closed) == mine[1]
    awaiting = [replace(mine[0], state=ItemState.AWAITING_ACCEPTANCE), *mine[1:]]
    assert cell_of(awaiting) == awaiting[0]
    all_closed = [replace(i, state=ItemState.DONE) for i in mine]
    assert cell_of(all_closed) == all_closed[-1]
    # One cell per task and agency, tasks in order.
    cells = matrix(items)
    assert len(cells) == len(counts)
    assert [c.task for c in cells] == sorted(c.task for c in cells)


def test_the_overdue_list_counts_working_days_and_the_timeline_thirty_days() -> None:
    report = _report(at(2016, 1, 20))
    late = overdue(report.items, report.today, report.calendar)
    assert late and all(x.item.overdue for x in late)
    assert [x.item.due_date for x in late] == sorted(x.item.due_date for x in late)
    assert all(x.working_days >= 1 for x in late)
    assert len(late) == sum(1 for i in report.items if i.overdue)
    coming = timeline(report.items, report.today, 30)
    end = report.today + dt.timedelta(days=30)
    assert all(report.today <= c.day <= end for c in coming)
    assert [c.day for c in coming] == sorted(c.day for c in coming)
    within = {(i.point.id, i.agency) for i in report.items if report.today <= i.due_date <= end}
    assert {(i.point.id, i.agency) for c in coming for i in c.items} == within
