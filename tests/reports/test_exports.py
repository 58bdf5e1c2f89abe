"""The exports read back: the workbook with openpyxl, the CSV with csv, the calendar with
icalendar, and the chart as a PNG."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zlib

import icalendar
import openpyxl  # type: ignore[import-untyped]

from bot.export.chart import summary_chart
from bot.export.csv_file import csv_bytes
from bot.export.ics import calendar_bytes
from bot.export.summary_text import summary_message
from bot.export.xlsx import workbook_bytes
from bot.i18n.catalog import load_catalog
from scheduler.calendar_events import event_keys
from scheduler.clock import FakeClock
from scheduler.plan.control_points import ControlPoint
from scheduler.plan_runtime import PlanRuntime
from scheduler.refusals import Refusal, Why
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import (
    CalendarSelection,
    StatusReport,
    calendar_points,
    current_report,
)
from tests.reports.support import ALMATY, AS_OF, DONE_TEXT, accept, runtime, seed

CATALOG = load_catalog()
KK = CATALOG.for_language("kk")
RU = CATALOG.for_language("ru")


async def _report(db: Database) -> tuple[PlanRuntime, StatusReport]:
    """The crafted statuses, with the reports of tasks 6 and 9 accepted and the rest waiting."""
    rt = runtime()
    await seed(db)
    for point in ("T06-deadline-2016-06-30", "T09-deadline-2016-06-30"):
        await accept(db, point, "МСМ", AS_OF)
    return rt, await current_report(db, FakeClock(AS_OF), rt)


async def test_workbook(db: Database) -> None:
    rt, report = await _report(db)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report, rt.plan, KK)))
    # The data behind the information stays, as the second sheet.
    assert book.sheetnames == ["ПӘ-ге ақпарат", "Деректер", "Жиынтық", "Атқарушылық тәртіп"]
    sheet = book.worksheets[1]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["№", "Іс-шара", "Орган коды", "Орган"]
    assert "Түсініктеме" in headers and "Растайтын құжат" in headers
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width > 0
    assert sheet.max_row - 1 == sum(len(p.agencies) for p in rt.points)

    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    col = {name: headers.index(name) for name in headers}
    six = next(r for r in rows if r[0] == 6 and r[col["Мерзімі"]] == dt.datetime(2016, 6, 30))
    # The Kazakh task text, verbatim, and the status text as it was written.
    assert six[1] == rt.plan.task(6).text
    assert six[col["Түсініктеме"]] == DONE_TEXT
    assert six[col["Растайтын құжат"]] == "хаттама.pdf"
    assert six[col["Мәртебесі"]] == "бақылаудан алынды"
    assert six[col["Мәртебе күні"]] == dt.datetime(2016, 6, 30, 18, 0)
    # A point moved off a weekend shows its date in the plan.
    moved = next(r for r in rows if r[0] == 6 and r[col["Мерзімі"]] == dt.datetime(2016, 7, 8))
    assert moved[col["Жоспардағы күні"]] == dt.datetime(2016, 7, 10)
    # The closure by the lead is named on the co-executor's row.
    zhao = next(r for r in rows if r[0] == 9 and r[2] == "ЖАО" and r[4] == "орындау мерзімі")
    assert zhao[col["Мәртебесі"]] == "бақылаудан алынды (МСМ хабарлауы бойынша)"
    four = next(r for r in rows if r[0] == 4 and r[4] == "орындау мерзімі")
    assert four[col["Мәртебесі"]] == "қабылдауды күтуде"
    summary = book.worksheets[2]
    assert summary["A1"].value == "Орган" and summary.freeze_panes == "A2"
    headers = [c.value for c in summary[1]]
    msm = next(row for row in summary.iter_rows(min_row=2) if row[0].value == "МСМ")
    # Counts are numbers, the on-time share a number shown as a percentage.
    assert all(isinstance(c.value, int) for c in msm[1:-1])
    share = msm[headers.index("Уақтылы")]
    assert isinstance(share.value, float) and 0 < share.value <= 1
    assert share.number_format == "0%"
    total = [row for row in summary.iter_rows(min_row=2)][-1]
    assert total[0].value == "Жиыны" and total[1].value == len(report.items)


async def test_the_information_sheet(db: Database) -> None:
    rt, report = await _report(db)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report, rt.plan, RU)))
    sheet = book.worksheets[0]
    # A title row: the plan and the moment, in the reader's language, across the table.
    title = sheet["A1"].value
    assert title.startswith(rt.plan.title.in_language("ru"))
    assert "по состоянию на 15 июля 2016" in title and "10:00" in title
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:G1"]
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "№",
        "Наименование мероприятия",
        "Форма завершения",
        "Срок исполнения",
        "Ответственные исполнители",
        "Ход исполнения",
        "Информация в АП",
    ]
    assert all(c.font.bold for c in sheet[2]) and sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3))
    # One row per task, its number a number.
    assert [r[0].value for r in rows] == [t.number for t in rt.plan.tasks]
    assert all(isinstance(r[0].value, int) for r in rows)
    six = rows[5]
    assert six[1].value == rt.plan.task(6).title("ru")
    assert "«2016 жылдың бірінші жартыжылдығы»" in six[3].value
    assert six[4].value.startswith("МКС — ")
    assert DONE_TEXT in six[5].value and "МКС: снято с контроля" in six[5].value
    nine = rows[8]
    # Each agency's state, the closure by the lead counting for its co-executors.
    assert nine[5].value.splitlines()[1].startswith("МОН: снято с контроля (по сообщению МКС)")
    # Widths, and long texts wrapped.
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFG"}
    assert widths["F"] > widths["B"] > widths["A"] > 0
    assert six[5].alignment.wrap_text and six[1].alignment.wrap_text
    assert not six[0].alignment.wrap_text


async def test_workbook_in_russian_uses_the_short_titles(db: Database) -> None:
    rt, report = await _report(db)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report, rt.plan, RU)))
    sheet = book.worksheets[1]
    assert sheet["B1"].value == "Мероприятие"
    titles = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert titles[6] == rt.plan.task(6).title("ru") != rt.plan.task(6).text


async def test_csv(db: Database) -> None:
    rt, report = await _report(db)
    content = csv_bytes(report, rt.plan, KK)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "№" and len(rows[0]) == 12
    assert len(rows) - 1 == sum(len(p.agencies) for p in rt.points)
    six = next(r for r in rows[1:] if r[0] == "6" and r[5] == "2016-06-30")
    assert six[1] == rt.plan.task(6).text
    assert six[8] == "2016-06-30 18:00" and six[9] == DONE_TEXT


def _events(content: bytes) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(content)
    return calendar.walk("VEVENT")


def _ics(rt: PlanRuntime, points: tuple[ControlPoint, ...], stamp: dt.datetime) -> bytes:
    return calendar_bytes(
        points,
        rt.plan,
        KK,
        name="Ескерту",
        stamp=stamp,
        calendar=rt.calendar,
        alarm_time=dt.time(9, 0),
        tz=ALMATY,
    )


def test_calendar() -> None:
    rt = runtime()
    first = _events(_ics(rt, rt.points, AS_OF))
    later = _events(_ics(rt, rt.points, AS_OF + dt.timedelta(days=3)))
    assert len(first) == len(rt.points)
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in later]
    assert len({str(e["UID"]) for e in first}) == len(rt.points)
    by_uid = {str(e["UID"]): e for e in first}
    keys = event_keys(rt.points)
    for point in rt.points:
        # The UID names the task, the kind and the point's place among them, not its date.
        event = by_uid[f"{keys[point.id]}@eskertu"]
        assert point.effective.isoformat() not in str(event["UID"])
        assert event.decoded("DTSTART") == point.effective
        assert event.decoded("DTEND") == point.effective + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == AS_OF.astimezone(dt.UTC)
        assert int(event["SEQUENCE"]) == 0
    assert keys["T06-report-2016-07-10"] == "T06-report-1"
    report = by_uid["T06-report-1@eskertu"]
    summary = str(report["SUMMARY"])
    assert summary.startswith("№6: ") and summary.endswith("— ақпарат беру (МСМ)")
    description = str(report["DESCRIPTION"])
    assert rt.plan.task(6).text in description
    assert "2016 ж., 10-шы шілдеге" in description
    # The nominal date, since the point moved off a Sunday, and the date it moved to.
    assert "10 шілде —" in description and "8 шілде күніне" in description
    alarms = report.walk("VALARM")
    assert len(alarms) == 2
    # Five working days before Friday 8 July 2016 (6 July, the Capital's Day, is a holiday)
    # is Thursday 30 June, at 09:00 in Almaty, which was UTC+6 then.
    assert alarms[0].decoded("TRIGGER") == dt.datetime(2016, 6, 30, 3, 0, tzinfo=dt.UTC)
    assert alarms[1].decoded("TRIGGER") == -dt.timedelta(hours=15)
    assert b"VTIMEZONE" not in _ics(rt, rt.points, AS_OF)


def test_calendar_of_one_agency() -> None:
    rt = runtime()
    chosen = calendar_points(rt, "мсм")
    assert isinstance(chosen, CalendarSelection) and chosen.agency == "МСМ"
    events = _events(_ics(rt, chosen.points, AS_OF))
    assert len(events) == sum(1 for p in rt.points if "МСМ" in p.agencies) < len(rt.points)
    unknown = calendar_points(rt, "XYZ")
    assert isinstance(unknown, Refusal) and unknown.why is Why.UNKNOWN_AGENCY
    assert "МСМ" in str(unknown.params["known"])


async def test_chart_is_a_png(db: Database) -> None:
    _, report = await _report(db)
    png = summary_chart(report, KK)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", png[8:16])
    width, height = struct.unpack(">II", png[16:24])
    assert kind == b"IHDR" and length == 13 and width > 300 and height > 200
    assert zlib.crc32(png[12:29]) == struct.unpack(">I", png[29:33])[0]
    assert png.endswith(b"IEND\xaeB`\x82")


async def test_summary_message_fits_and_aligns(db: Database) -> None:
    rt, report = await _report(db)
    for tr in (KK, RU, CATALOG.for_language("en")):
        text = summary_message(report, rt.plan, tr)
        assert len(text) < 4096
        table = text[text.index("<pre>") + 5 : text.index("</pre>")].splitlines()
        assert len(table) == len(report.agencies) + 2
        assert len({len(line) for line in table}) == 1
    # The last table is the English one: МСМ is «MCS» there.
    msm = next(line for line in table if line.startswith("MCS "))
    total = sum(1 for p in rt.points if "МСМ" in p.agencies)
    # Total, done or accepted, awaiting acceptance, returned, in progress.
    assert msm.split()[1:6] == [str(total), "2", "2", "0", "1"]
