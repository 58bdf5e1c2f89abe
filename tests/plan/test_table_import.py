"""Plans kept as tables: XLSX, CSV and DOCX, Kazakh and Russian, and the decree's Word form."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli import build_parser
from bot.cli import plan as plan_cli
from bot.settings import Settings
from scheduler.plan import Plan, dump_plan, expand, load_plan
from scheduler.plan.model import (
    EventDeadline,
    OngoingDeadline,
    PeriodEndDeadline,
    PeriodUnit,
    RecurringDayDeadline,
    RecurringDeadline,
    TextSource,
    UnreadDeadline,
)
from scheduler.plan.plan_files import import_plan_file
from scheduler.plan.table_problems import TableImportError
from scheduler.plan.translations import Translations
from scheduler.workdays import WorkingCalendar

from .conftest import PLAN_JSON, SIDECAR
from .table_plans import HR, KK_ROWS, KK_TITLE, MONITORING, OFFICER, RU_ROWS, RU_TITLE
from .tables import csv_bytes, decree_docx, docx_bytes, xlsx_bytes


def _kk_xlsx() -> bytes:
    return xlsx_bytes({"Жоспар": KK_ROWS})


def _import(raw: bytes, name: str, **options: object) -> Plan:
    return import_plan_file(raw, name, **options).plan  # type: ignore[arg-type]


def _refusals(raw: bytes, name: str) -> list[str]:
    with pytest.raises(TableImportError) as caught:
        import_plan_file(raw, name)
    return [p.english() for p in caught.value.problems]


# --- the real-shaped plans ----------------------------------------------------------------


def test_a_kazakh_workbook_becomes_a_plan_with_generated_agency_codes() -> None:
    plan = _import(_kk_xlsx(), "жоспар.xlsx")
    assert plan.title.kk == KK_TITLE
    assert (plan.period.start, plan.period.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert plan.act is None and plan.controller is None
    assert [(s.number, s.title) for s in plan.sections] == [
        (1, "Ұйымдастыру іс-шаралары"),
        (2, "Бақылау және есептілік"),
    ]
    assert {a.code: a.name.kk for a in plan.agencies} == {
        "КК": OFFICER,
        "МӘЖБ": MONITORING,
        "КҚ": HR,
    }
    assert [t.number for t in plan.tasks] == list(range(1, 10))
    assert [t.section for t in plan.tasks] == [1, 1, 1, 1, 2, 2, 2, 2, 2]
    t2, t6 = plan.task(2), plan.task(6)
    assert [r.code for r in t2.responsible] == ["КК", "МӘЖБ"]
    assert [(r.code, r.lead, r.consolidator) for r in t6.responsible] == [
        ("КК", True, True),
        ("КҚ", False, False),
    ]
    deadlines = {t.number: t.deadline for t in plan.tasks}
    assert isinstance(deadlines[1], OngoingDeadline)
    assert isinstance(deadlines[2], RecurringDeadline) and deadlines[2].frequency == "quarterly"
    assert isinstance(deadlines[3], RecurringDeadline) and deadlines[3].frequency == "quarterly"
    month = deadlines[4]
    assert isinstance(month, PeriodEndDeadline)
    assert (month.unit, month.index, month.date) == (PeriodUnit.MONTH, 6, dt.date(2023, 6, 30))
    annual = deadlines[5]
    assert isinstance(annual, RecurringDeadline) and annual.anchor is not None
    assert (annual.frequency, annual.anchor.month, annual.anchor.day) == ("annual", 12, 31)
    day = deadlines[6]
    assert isinstance(day, RecurringDayDeadline)
    assert (day.frequency, day.day, day.after_period, day.reading) == ("quarterly", 5, True, None)
    event = deadlines[7]
    assert isinstance(event, EventDeadline)
    assert (event.event, event.days, event.working_days, event.event_date) == (
        "Талдау нәтижелері ұсынылғаннан кейін",
        5,
        True,
        None,
    )
    leaving = deadlines[8]
    assert isinstance(leaving, EventDeadline) and (leaving.event, leaving.days) == (
        "Шығу кезінде",
        0,
    )
    # Each reading keeps its phrase exactly as the cell has it.
    assert [t.deadline.phrase for t in plan.tasks] == [str(r[4]) for r in KK_ROWS[5:] if r[1]]


def test_the_same_plan_as_csv_and_docx_gives_the_same_plan() -> None:
    from_xlsx = _import(_kk_xlsx(), "plan.xlsx")
    from_csv = _import(csv_bytes(KK_ROWS, delimiter=","), "plan.csv")
    from_docx = _import(docx_bytes([KK_TITLE], KK_ROWS[2:], []), "plan.docx")
    assert dump_plan(from_csv) == dump_plan(from_xlsx)
    assert dump_plan(from_docx) == dump_plan(from_xlsx)


def test_a_russian_csv_with_a_bom_and_columns_in_another_order() -> None:
    plan = _import(csv_bytes(RU_ROWS, bom=True), "plan.csv")
    assert plan.title.kk == RU_TITLE
    assert plan.title.ru is not None and plan.title.ru.source is TextSource.OFFICIAL
    assert {a.code: a.name.kk for a in plan.agencies} == {
        "ЮС": "Юридическая служба",
        "СЭБ": "Служба экономической безопасности",
        "ОК": "Отдел кадров",
    }
    kinds = {t.number: t.deadline.kind for t in plan.tasks}
    assert kinds == {
        1: "ongoing",
        2: "recurring",
        3: "recurring_day",
        4: "recurring",
        5: "period_end",
        6: "period_end",
        7: "event",
        8: "event",
        9: "before_date",
    }
    report = plan.task(3).deadline
    assert isinstance(report, RecurringDayDeadline) and report.reading == "exclusive"
    answer = plan.task(8).deadline
    assert isinstance(answer, EventDeadline)
    assert (answer.event, answer.days) == ("после получения обращения", 10)
    assert plan.task(1).form.raw == "Заключения"
    title = plan.task(1).short_title.ru
    assert title is not None and title.text == plan.task(1).text


def test_a_russian_docx_and_a_semicolon_csv() -> None:
    docx_plan = _import(docx_bytes([RU_TITLE], RU_ROWS[1:], []), "план.docx")
    csv_plan = _import(csv_bytes(RU_ROWS, delimiter=";"), "план.csv")
    assert dump_plan(docx_plan) == dump_plan(csv_plan)
    assert len(docx_plan.tasks) == 9


def test_a_glossary_sheet_makes_the_cells_codes() -> None:
    rows = [
        ["2016 жылға арналған жоспар"],
        [
            "№",
            "Іс-шараның атауы",
            "Аяқтау нысаны",
            "Жауапты орындаушылар",
            "Орындау мерзімі",
            "Бақылау",
        ],
        [1, "Кеңес құру", "Бұйрық", "МСМ, ЖАО", "2016 ж., 2-ші желтоқсанға", "ІСБ"],
    ]
    glossary = [
        ["МСМ", "Мәдениет және спорт министрлігі"],
        ["ЖАО", "жергілікті атқарушы органдар"],
        ["ІСБ", "Ішкі саясат бөлімі"],
    ]
    plan = _import(xlsx_bytes({"Жоспар": rows, "Аббревиатуралар": glossary}), "p.xlsx")
    assert [a.code for a in plan.agencies] == ["МСМ", "ЖАО", "ІСБ"]
    assert [r.code for r in plan.tasks[0].responsible] == ["МСМ", "ЖАО"]
    assert plan.tasks[0].control == ["ІСБ"]
    rows[2][3] = "МСМ, ХҚ"
    [problem] = _refusals(xlsx_bytes({"Жоспар": rows, "Аббревиатуралар": glossary}), "p.xlsx")
    assert "sheet «Жоспар», row 3, column D «Жауапты орындаушылар»" in problem
    assert "unknown agency code «ХҚ»" in problem


def test_codes_stay_with_the_names_the_plan_in_force_knows() -> None:
    first = _import(_kk_xlsx(), "plan.xlsx")
    known = [a.model_copy(update={"code": a.code + "X"}) for a in first.agencies]
    again = _import(_kk_xlsx(), "plan.xlsx", known_agencies=known)
    assert [a.code for a in again.agencies] == ["ККX", "МӘЖБX", "КҚX"]


# --- control points of the new kinds, against dates worked out here -----------------------


def _weekday_holidays_2023() -> set[dt.date]:
    return {dt.date(2023, 3, 8), dt.date(2023, 3, 21), dt.date(2023, 3, 22), dt.date(2023, 3, 23)}


def _last_workday(day: dt.date, holidays: set[dt.date]) -> dt.date:
    while day.weekday() >= 5 or day in holidays:
        day -= dt.timedelta(days=1)
    return day


def test_control_points_of_the_new_kinds() -> None:
    plan = _import(_kk_xlsx(), "plan.xlsx")
    calendar = WorkingCalendar()
    points = expand(plan, calendar)
    by_task: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for p in points:
        by_task.setdefault(p.task, []).append((p.nominal, p.effective))
    # The 5th of the month after each quarter: April, July, October 2023 and January 2024.
    expected_days = [dt.date(y, m, 5) for y, m in ((2023, 4), (2023, 7), (2023, 10), (2024, 1))]
    assert [n for n, _ in by_task[6]] == expected_days
    holidays = _weekday_holidays_2023()
    quarter_ends = [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 9, 30),
        dt.date(2023, 12, 31),
    ]
    assert by_task[2] == [(d, _last_workday(d, holidays)) for d in quarter_ends]
    assert by_task[4] == [(dt.date(2023, 6, 30), dt.date(2023, 6, 30))]
    assert by_task[5] == [(dt.date(2023, 12, 31), dt.date(2023, 12, 29))]
    assert by_task[9] == [(dt.date(2023, 12, 31), dt.date(2023, 12, 29))]
    # Ongoing and undated event-relative tasks have no point of their own.
    assert 1 not in by_task and 7 not in by_task and 8 not in by_task


def test_an_event_date_gives_a_deadline_in_working_days() -> None:
    plan = _import(_kk_xlsx(), "plan.xlsx")
    task = plan.task(7)
    assert isinstance(task.deadline, EventDeadline)
    dated = task.model_copy(
        update={"deadline": task.deadline.model_copy(update={"event_date": dt.date(2023, 3, 3)})}
    )
    plan = plan.model_copy(update={"tasks": [dated if t.number == 7 else t for t in plan.tasks]})
    # Five working days after Friday 3 March 2023, with 8 March (a Wednesday) a holiday.
    day, left = dt.date(2023, 3, 3), 5
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _weekday_holidays_2023():
            left -= 1
    [point] = [p for p in expand(plan, WorkingCalendar()) if p.task == 7]
    assert day == dt.date(2023, 3, 13)
    assert (point.kind, point.nominal, point.effective) == ("deadline", day, day)


# --- the decree's Word form -----------------------------------------------------------------


def test_the_decree_as_docx_gives_the_committed_plan(seed_text: str, sidecar: Translations) -> None:
    raw = decree_docx(seed_text)
    plan = import_plan_file(raw, "C1500000005.docx", translations=sidecar).plan
    assert dump_plan(plan).encode("utf-8") == PLAN_JSON.read_bytes()


def _cli(argv: list[str]) -> int:
    args = build_parser([plan_cli.register]).parse_args(argv)
    code: int = args.handler(args, Settings.model_validate({"plan_path": PLAN_JSON}))
    return code


def test_plan_import_reads_the_decree_docx(tmp_path: Path, seed_text: str) -> None:
    source = tmp_path / "decree.docx"
    source.write_bytes(decree_docx(seed_text))
    out = tmp_path / "plan.json"
    assert (
        _cli(["plan", "import", str(source), "-o", str(out), "--translations", str(SIDECAR)]) == 0
    )
    assert out.read_bytes() == PLAN_JSON.read_bytes()


def test_a_broken_cell_of_the_decree_docx_is_named_by_row_and_column(
    seed_text: str, sidecar: Translations
) -> None:
    broken = seed_text.replace("жыл сайын", "жыл сайын мүмкіндігінше", 1)
    with pytest.raises(TableImportError) as caught:
        import_plan_file(decree_docx(broken), "d.docx", translations=sidecar)
    [problem] = caught.value.problems
    assert problem.sheet == "table 1" and problem.column == "C"
    assert problem.header == "Орындау мерзімі"
    assert "мүмкіндігінше" in problem.english()


# --- unread phrases -------------------------------------------------------------------------


def test_an_unread_phrase_stops_the_import_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.xlsx"
    rows = [list(r) for r in KK_ROWS]
    rows[7][4] = "2023 жылы шамамен"
    source.write_bytes(xlsx_bytes({"Жоспар": rows}))
    out = tmp_path / "plan.json"
    assert _cli(["plan", "import", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "sheet «Жоспар», row 8, column E «Орындау мерзімі»" in err[0]
    assert "«2023 жылы шамамен»" in err[0]
    assert not out.exists()


def test_allow_unread_keeps_the_phrase_and_validate_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.xlsx"
    rows = [list(r) for r in KK_ROWS]
    rows[7][4] = "2023 жылы шамамен"
    source.write_bytes(xlsx_bytes({"Жоспар": rows}))
    out = tmp_path / "plan.json"
    assert _cli(["plan", "import", str(source), "-o", str(out), "--allow-unread"]) == 0
    plan = load_plan(out)
    assert plan.task(3).deadline == UnreadDeadline(phrase="2023 жылы шамамен")
    assert not [p for p in expand(plan, WorkingCalendar()) if p.task == 3]
    capsys.readouterr()
    assert _cli(["plan", "validate", str(out)]) == 0
    err = capsys.readouterr().err
    assert "task 3: unread deadline «2023 жылы шамамен»" in err
    assert "task 7: waits for the date of «Талдау нәтижелері ұсынылғаннан кейін»" in err


# --- bad tables -----------------------------------------------------------------------------


def test_a_file_that_is_not_what_its_extension_says() -> None:
    assert _refusals(csv_bytes(KK_ROWS), "plan.xlsx") == ["the file is not a XLSX file"]
    assert _refusals(_kk_xlsx(), "plan.docx") == ["the file is not a DOCX file"]
    assert _refusals(b"\xff\xfe\x00binary", "plan.csv") == ["the file is not a CSV (UTF-8) file"]


def test_a_password_protected_workbook() -> None:
    # What Office writes for a password: an OLE compound file holding the encrypted package.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = "EncryptionInfo".encode("utf-16-le") + bytes(50)
    directory += "EncryptedPackage".encode("utf-16-le")
    [problem] = _refusals(header + directory + bytes(1024), "plan.xlsx")
    assert "protected with a password" in problem


def test_a_table_with_no_recognisable_header() -> None:
    rows = [["Жоспар 2023"], ["А", "Б", "В"], [1, "x", "y"]]
    [problem] = _refusals(xlsx_bytes({"Парақ1": rows}), "plan.xlsx")
    assert problem.startswith("sheet «Парақ1»: no row names the plan's columns")


def test_a_missing_required_column_is_named() -> None:
    rows = [[c for i, c in enumerate(r) if i != 2] for r in KK_ROWS]
    [problem] = _refusals(xlsx_bytes({"Жоспар": rows}), "plan.xlsx")
    assert problem == (
        "sheet «Жоспар», row 3: the header has no «Аяқтау нысаны / Форма завершения» column"
    )


def test_an_empty_row_in_the_middle_and_a_repeated_number() -> None:
    rows = [list(r) for r in KK_ROWS]
    rows.insert(7, [None] * 5)
    rows[9][0] = 2
    problems = _refusals(xlsx_bytes({"Жоспар": rows}), "plan.xlsx")
    assert problems == [
        "sheet «Жоспар», row 8: an empty row inside the table; remove it or fill it",
        "sheet «Жоспар», row 10, column A «№»: task number 2 is already used in row 7",
    ]


def test_a_cell_over_ten_thousand_characters() -> None:
    rows = [list(r) for r in KK_ROWS]
    rows[5][1] = "ә" * 10_001
    [problem] = _refusals(xlsx_bytes({"Жоспар": rows}), "plan.xlsx")
    assert problem == (
        "sheet «Жоспар», row 6, column B: the cell has 10001 characters; "
        "a cell may have at most 10000"
    )


def test_a_workbook_over_five_megabytes_or_five_thousand_rows() -> None:
    [big] = _refusals(b"PK\x03\x04" + bytes(5 * 1024 * 1024), "plan.xlsx")
    assert big == "the file has 5242884 bytes; a table may have at most 5242880"
    book = Workbook()
    sheet = book.active
    sheet.title = "Жоспар"
    for row in KK_ROWS[:4]:
        sheet.append(row)
    for n in range(1, 5001):
        sheet.append([n, "Іс-шара", "Есеп", OFFICER, "Тоқсан сайын"])
    out = io.BytesIO()
    book.save(out)
    [many] = _refusals(out.getvalue(), "plan.xlsx")
    assert many == "sheet «Жоспар», row 5001: the sheet has more than 5000 rows"
