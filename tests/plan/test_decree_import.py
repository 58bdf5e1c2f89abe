"""Importing the seed decree: the committed plan, every task's fields, the text's traps."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from scheduler.plan import DecreeImportError, Plan, dump_plan, import_decree
from scheduler.plan.model import (
    BeforeDateDeadline,
    CompositeDeadline,
    OngoingDeadline,
    PeriodEndDeadline,
    TextSource,
)
from scheduler.plan.translations import Translations

from .conftest import PLAN_JSON


def test_reimporting_the_seed_gives_the_committed_plan_byte_for_byte(seed_plan: Plan) -> None:
    assert dump_plan(seed_plan).encode("utf-8") == PLAN_JSON.read_bytes()


def test_the_plan_metadata(seed_plan: Plan) -> None:
    assert seed_plan.title.kk.startswith("2015-2016 жылдарға арналған мемлекеттік рәміздерді")
    assert seed_plan.title.kk.endswith("жүйесін жаңғырту жөніндегі\u00a0жоспар")
    assert (seed_plan.period.start, seed_plan.period.end) == (
        dt.date(2015, 1, 1),
        dt.date(2016, 12, 31),
    )
    act = seed_plan.act
    assert (act.kind.value, act.kind_kk, act.signatory) == ("order", "өкім", "Г. Әбдіқалықова")
    assert act.issuer == "Қазақстан Республикасының Мемлекеттік хатшысы"
    assert (act.code, act.date) == ("C1500000005", None)
    assert seed_plan.controller.name == "Б.А.Майлыбаев"
    assert seed_plan.controller.position.kk == (
        "Қазақстан Республикасы Президенті Әкімшілігі Басшысының орынбасары"
    )
    assert [s.number for s in seed_plan.sections] == [1, 2, 3]
    assert seed_plan.sections[2].title == "АҚПАРАТТЫҚ СҮЙЕМЕЛДЕУ"


def test_all_18_tasks_carry_every_field(seed_plan: Plan) -> None:
    assert [t.number for t in seed_plan.tasks] == list(range(1, 19))
    codes = set(seed_plan.agency_codes())
    for task in seed_plan.tasks:
        assert task.text and task.deadline.phrase
        assert task.section in {1, 2, 3}
        assert task.responsible[0].lead
        assert not any(r.lead for r in task.responsible[1:])
        assert {r.code for r in task.responsible} <= codes
        assert task.control and set(task.control) <= codes
        assert task.form.raw and task.form.recipient == "ПӘ"
        assert task.funding.raw
        for title in (task.short_title.ru, task.short_title.en):
            assert title is not None and title.text
            assert title.source is TextSource.TRANSLATION
    kinds = {t.number: t.deadline.kind for t in seed_plan.tasks}
    assert kinds == {
        **dict.fromkeys([1, 2, 3, 5, 10], "date"),
        4: "before_date",
        **dict.fromkeys([6, 7, 9, 15, 17], "period_end"),
        **dict.fromkeys([8, 11, 14, 16], "recurring"),
        12: "composite",
        **dict.fromkeys([13, 18], "ongoing"),
    }


def test_glossary_is_verbatim_with_its_latin_i(seed_plan: Plan) -> None:
    agencies = {a.code: a for a in seed_plan.agencies}
    assert len(agencies) == 13
    # The decree writes "Әдiлет министрлiгi" with Latin i: stored as written.
    assert agencies["ӘдМ"].name.kk == "Қазақстан Республикасы Әдiлет министрлiгi"
    assert "i" in agencies["ӘдМ"].name.kk
    assert agencies["ПӘ"].name.kk == "Қазақстан Республикасы Президентінің Әкімшілігі"
    en = agencies["МСМ"].name.en
    assert en is not None and en.text.startswith("Ministry of Culture and Sport")


def test_latin_i_in_a_code_still_matches_the_glossary(seed_text: str) -> None:
    # A cell typing the Cyrillic І of СІМ as Latin I is the same agency.
    text = seed_text.replace("МСМ, ӘдМ, СІМ, ИДМ, ҚМ", "МСМ, ӘдМ, СIМ, ИДМ, ҚМ")
    plan = import_decree(text).plan
    assert [r.code for r in plan.task(1).responsible] == ["МСМ", "ӘдМ", "СІМ", "ИДМ", "ҚМ"]


def test_lead_and_consolidator(seed_plan: Plan) -> None:
    task = seed_plan.task(13)
    assert [(r.code, r.lead, r.consolidator) for r in task.responsible] == [
        ("МСМ", True, True),
        ("ЖАО", False, False),
    ]
    assert (task.lead, task.consolidator) == ("МСМ", "МСМ")
    assert seed_plan.task(12).lead == "ИДМ"
    assert seed_plan.task(12).consolidator is None


def test_reporting_phrase_without_a_comma_before_the_recipient(seed_plan: Plan) -> None:
    form = seed_plan.task(9).form
    assert "шілдеге ПӘ-ге" in form.raw
    assert form.deliverables == ["әдістемелік құралдар"]
    assert [(r.span, r.date) for r in form.report_dates] == [
        ("10-шы шілдеге", dt.date(2016, 7, 10))
    ]
    assert (form.recipient, form.report) == ("ПӘ", "ақпарат")


def test_no_break_space_in_a_reporting_phrase(seed_plan: Plan) -> None:
    form = seed_plan.task(16).form
    assert "\u00a0" in form.raw
    assert [r.date for r in form.report_dates] == [dt.date(2016, 6, 25)]


def test_two_reporting_dates_and_a_report_without_date(seed_plan: Plan) -> None:
    assert [r.date for r in seed_plan.task(11).form.report_dates] == [
        dt.date(2016, 7, 10),
        dt.date(2016, 12, 20),
    ]
    first = seed_plan.task(1).form
    assert (first.deliverables, first.report_dates, first.report) == (
        ["МСМ бұйрығы"],
        [],
        "ақпарат",
    )
    assert seed_plan.task(5).form.report == "талдамалық анықтама"


def test_ongoing_words_in_the_task_text_are_not_a_schedule(seed_plan: Plan) -> None:
    task = seed_plan.task(15)
    assert "тұрақты түрде" in task.text
    assert isinstance(task.deadline, PeriodEndDeadline)
    assert task.deadline.date == dt.date(2016, 3, 31)


def test_deadline_readings(seed_plan: Plan) -> None:
    four = seed_plan.task(4).deadline
    assert isinstance(four, BeforeDateDeadline)
    assert four.boundary == dt.date(2016, 3, 1)
    twelve = seed_plan.task(12).deadline
    assert isinstance(twelve, CompositeDeadline)
    first = twelve.parts[0].deadline
    assert isinstance(first, PeriodEndDeadline) and first.year == 2016
    assert isinstance(twelve.parts[1].deadline, OngoingDeadline)
    assert isinstance(seed_plan.task(18).deadline, OngoingDeadline)


def test_funding_programmes(seed_plan: Plan) -> None:
    programmes = {t.number: t.funding.programmes for t in seed_plan.tasks if t.funding.programmes}
    assert programmes == {
        9: ["017", "001"],
        11: ["001"],
        12: ["031", "017"],
        13: ["001"],
        15: ["033"],
        16: ["001"],
        18: ["087"],
    }
    assert not seed_plan.task(1).funding.required
    assert seed_plan.task(9).funding.required


def test_without_sidecar_titles_are_absent_and_reported(seed_text: str) -> None:
    result = import_decree(seed_text, translations=Translations())
    assert all(t.short_title.ru is None for t in result.plan.tasks)
    assert len(result.warnings) == 18
    assert result.plan.act.code is None


def test_sidecar_naming_an_unknown_task_is_refused(seed_text: str) -> None:
    sidecar = Translations.model_validate({"tasks": {"19": {"ru": "x", "en": "y"}}})
    with pytest.raises(DecreeImportError, match="task 19"):
        import_decree(seed_text, translations=sidecar)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "2015 ж., 2-ші желтоқсанға\n\tМСМ, ӘдМ",
            "2015 ж., 2-ші желтоқсанның басында\n\tМСМ, ӘдМ",
            r"task 1, deadline cell: cannot read «басында» in «2015 ж., 2-ші желтоқсанның",
        ),
        ("МСМ, ӘдМ, СІМ", "МСМ, ӘдМ, ХХМ", r"task 1, responsible cell: unknown agency code «ХХМ»"),
        ("\tІСБ, МҚБ\n", "\tІСБ, ЖЖЖ\n", r"task 2, control cell: unknown agency code «ЖЖЖ»"),
        (
            "2016 ж., 10-шы шілдеге, ПӘ-ге",
            "2016 ж., 10-шы шілдеге ортасында, ПӘ-ге",
            r"task 6, form cell: cannot read «ортасында»",
        ),
    ],
)
def test_errors_name_the_line_the_cell_and_the_phrase(
    seed_text: str, old: str, new: str, expected: str
) -> None:
    assert old in seed_text
    text = seed_text.replace(old, new, 1)
    with pytest.raises(DecreeImportError) as info:
        import_decree(text)
    message = str(info.value)
    assert re.search(expected, message), message
    assert info.value.line == _line_of(text, new.split("\n")[0].lstrip("\t"))


def test_unknown_code_lists_the_known_ones(seed_text: str) -> None:
    with pytest.raises(DecreeImportError) as info:
        import_decree(seed_text.replace("\tБҒМ, ЖАО\n", "\tБҒМ, XYZ\n"))
    assert "ӘдМ, БҒМ, ЖАО" in str(info.value)


def test_a_missing_cell_is_located(seed_text: str) -> None:
    text = seed_text.replace("\tМСМ бұйрығы; ПӘ-ге ақпарат\n", "", 1)
    with pytest.raises(DecreeImportError, match="task 1 has 5 cells") as info:
        import_decree(text)
    assert info.value.line == _line_of(text, "\n\n\t2.") + 1


def test_a_missing_glossary_is_an_error(seed_text: str) -> None:
    text = seed_text.split("Ескерту:")[0]
    with pytest.raises(DecreeImportError, match="no glossary"):
        import_decree(text)


def test_codes_come_from_the_glossary_not_from_a_list(seed_text: str) -> None:
    # Rename an agency in the glossary and in the table: the importer follows the text.
    text = seed_text.replace("ҰЭМ", "ЭКМ")
    plan = import_decree(text).plan
    assert "ЭКМ" in plan.agency_codes() and "ҰЭМ" not in plan.agency_codes()
    assert [r.code for r in plan.task(10).responsible][-1] == "ЭКМ"
