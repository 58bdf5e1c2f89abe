"""The discipline as shown: the workbook's sheet read back with openpyxl, the chat table, the
chart's bars, the digest's line and the command line's text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl  # type: ignore[import-untyped]
import pytest

from bot.export.chart import discipline_chart, discipline_figure
from bot.export.discipline_text import discipline_lines, discipline_message
from bot.export.summary_text import MESSAGE_LIMIT, digest_text
from bot.export.xlsx import workbook_bytes
from bot.i18n.catalog import Translator, load_catalog
from bot.wording import agency_code, long_date
from scheduler.clock import FakeClock
from scheduler.plan_runtime import PlanRuntime
from scheduler.progress import ControlPolicy
from scheduler.reports.digest import controlled_tasks
from scheduler.reports.discipline import Discipline, Period, PeriodName, overall
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import DigestView, StatusReport, current_report
from tests.reports.support import AS_OF, runtime, seed

CATALOG = load_catalog()
KK, RU, EN = (CATALOG.for_language(lang) for lang in ("kk", "ru", "en"))
JUNE = Period(dt.date(2016, 6, 1), dt.date(2016, 6, 30))


async def _report(db: Database, period: Period | None = None) -> tuple[PlanRuntime, StatusReport]:
    rt = runtime(ControlPolicy(acceptance=False))
    await seed(db)
    report = await current_report(db, FakeClock(AS_OF), rt, period)
    # Returns and extensions as the repositories count them, by agency and task.
    counted = dataclasses.replace(
        report,
        returns={("МСМ", 4): 2, ("МСМ", 6): 1, ("ЖАО", 5): 1},
        extensions={("МСМ", 4): (3, 1), ("ЖАО", 5): (1, 0)},
    )
    return rt, counted


def _rows(sheet: object) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("tr", "title", "heading", "headers"),
    [
        (
            KK,
            "Атқарушылық тәртіп",
            "Атқарушылық тәртіп, {start} – {end}",
            ["Орган", "Мерзімі келген тармақтар", "Уақтылы орындалды", "Кеш орындалды"],
        ),
        (
            RU,
            "Исполнительская дисциплина",
            "Исполнительская дисциплина, с {start} по {end}",
            ["Орган", "Пунктов со сроком в периоде", "Исполнено в срок", "Исполнено с опозданием"],
        ),
    ],
)
async def test_the_workbook_has_a_discipline_sheet(
    db: Database, tr: Translator, title: str, heading: str, headers: list[str]
) -> None:
    rt, report = await _report(db, JUNE)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report, rt.plan, tr)))
    assert book.sheetnames[3] == title
    sheet = book[title]
    language = tr.language
    dates = {"start": long_date(JUNE.start, language), "end": long_date(JUNE.end, language)}
    assert sheet["A1"].value == heading.format_map(dates) and sheet["A1"].font.bold
    header = [c.value for c in sheet[2]]
    assert header[:4] == headers and len(header) == 10
    assert all(c.font.bold for c in sheet[2]) and sheet.freeze_panes == "A3"

    figures = report.discipline()
    rows = _rows(sheet)
    assert len(rows) == len(figures) + 1
    by_agency = {row[0]: row for row in rows}
    for found in figures:
        share = "—" if found.share is None else found.share
        late = "—" if found.average_late is None else round(found.average_late, 1)
        code = agency_code(rt.plan, found.agency, tr.language)
        assert by_agency[code] == [
            code,
            found.due,
            found.on_time,
            found.late,
            found.overdue_open,
            share,
            found.returns,
            found.asked,
            found.granted,
            late,
        ]

    # June: МСМ had 6 items due, 2 done on time, 4 open; ҚМ had nothing due: no share.
    def code(agency: str) -> str:
        return agency_code(rt.plan, agency, tr.language)

    assert by_agency[code("МСМ")][1:9] == [6, 2, 0, 4, 33, 3, 3, 1]
    assert by_agency[code("ҚМ")][1:6] == [0, 0, 0, 0, "—"]
    assert by_agency[code("ЖАО")][6:9] == [1, 1, 0]
    total = rows[-1]
    assert total[0] == tr.plain("report.row.total")
    assert total[1:5] == [sum(f.due for f in figures), 4, 0, 7]
    assert total[5] == overall(figures).share == round(100 * 4 / 11)


async def test_the_chat_table(db: Database) -> None:
    rt, report = await _report(db, JUNE)
    for tr in (KK, RU, EN):
        text = discipline_message(report, rt.plan, tr, PeriodName.LAST_MONTH, MESSAGE_LIMIT)
        assert len(text) < MESSAGE_LIMIT
        assert tr.plain("discipline.name.last_month") in text
        table = text[text.index("<pre>") + 5 : text.index("</pre>")].splitlines()
        assert len(table) == len(report.discipline()) + 2
        assert len({len(line) for line in table}) == 1
    # The last table is the English one: the codes are written as an English reader writes them.
    msm = next(line for line in table if line.startswith("MCS "))
    assert msm.split() == ["MCS", "6", "2", "0", "4", "33%", "3", "3/1", "11.0"]
    nothing = next(line for line in table if line.startswith("MoF "))
    assert nothing.split() == ["MoF", "0", "0", "0", "0", "—", "0", "0/0", "—"]
    assert "0%" not in nothing
    plain = discipline_lines(report, rt.plan, RU)
    june = f"с {long_date(JUNE.start, 'ru')} по {long_date(JUNE.end, 'ru')}"
    assert plain[0] == f"Исполнительская дисциплина, {june}"
    assert any(line.split()[:2] == ["МКС", "6"] for line in plain)


def _bars(figure: object) -> dict[str, float]:
    """The agencies' share bars (the green ones), by their row's label."""
    (axes,) = figure.axes  # type: ignore[attr-defined]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    bars: dict[str, float] = {}
    for patch in axes.patches:
        if patch.get_facecolor()[:3] == (46 / 255, 125 / 255, 50 / 255):
            row = round(patch.get_y() + patch.get_height() / 2)
            bars[labels[row]] = patch.get_width()
    return bars


async def test_the_chart_shows_shares_and_no_bar_without_a_figure(db: Database) -> None:
    rt, report = await _report(db, JUNE)
    figures = {f.agency: f for f in report.discipline()}
    figure = discipline_figure(report, rt.plan, KK, PeriodName.LAST_MONTH)
    bars = _bars(figure)
    assert bars == {a: f.share for a, f in figures.items() if f.share is not None}
    assert bars["ИДМ"] == 0 and "ҚМ" not in bars
    (axes,) = figure.axes
    notes = [t.get_text() for t in axes.texts]
    none = KK.plain("discipline.chart.none")
    assert notes.count(none) == sum(1 for f in figures.values() if f.share is None) > 0
    assert "33% (2 / 6)" in notes and "0% (0 / 2)" in notes
    assert "өткен ай" in axes.get_title()
    png = discipline_chart(report, rt.plan, RU, None)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")


def _shares(text: str, key: str) -> dict[str, str]:
    line = next(line for line in text.splitlines() if line.startswith(key))
    pairs = line.split("): ", 1)[1].split(" · ")
    return dict(pair.split(" ") for pair in pairs)  # type: ignore[misc]


async def test_the_digest_names_each_agencys_share_in_its_scope(db: Database) -> None:
    rt, report = await _report(db)
    whole = DigestView("2016-W28", None, report, ())
    text = digest_text(whole, rt.plan, RU)
    shares = _shares(text, "<b>Доля исполненного в срок</b>")
    assert shares == {
        agency_code(rt.plan, f.agency, "ru"): "—" if f.share is None else f"{f.share}%"
        for f in report.discipline()
    }
    # A controller of МҚБ sees only the agencies of the tasks МҚБ controls.
    tasks = controlled_tasks(rt.plan, {"МҚБ"})
    scoped = report.scoped(tasks)
    text = digest_text(DigestView("2016-W28", tasks, scoped, ()), rt.plan, KK)
    shares = _shares(text, "<b>Уақтылы орындау үлесі</b>")
    agencies = {a for p in rt.points if p.task in tasks for a in p.agencies}
    assert set(shares) == agencies
    assert set(shares) < {f.agency for f in report.discipline()}
    assert len(text) < MESSAGE_LIMIT


def test_discipline_rows_keep_the_figures() -> None:
    found = Discipline("МСМ", 3, 1, 1, 1, 0, 0, 0, 2.5)
    assert (found.overdue, found.share) == (2, 33)
