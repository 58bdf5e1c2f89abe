"""The agency resolver: every spelling of every agency names it, and nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.agencies import AgencyIndex
from scheduler.plan import load_plan
from scheduler.plan.model import Abbreviations, Agency, LocalizedText, Names, TextSource

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data" / "plan.json")
INDEX = AgencyIndex.of_plan(PLAN)


def _agency(code: str, name: str, ru: str | None = None) -> Agency:
    short = LocalizedText(text=ru, source=TextSource.TRANSLATION) if ru else None
    return Agency(code=code, name=Names(kk=name), abbreviations=Abbreviations(ru=short))


def test_every_agency_of_the_plan_has_its_abbreviations() -> None:
    for agency in PLAN.agencies:
        assert agency.abbreviations.ru is not None and agency.abbreviations.en is not None
        assert {agency.code_in(lang) for lang in ("kk", "ru", "en")} == {
            agency.code,
            agency.abbreviations.ru.text,
            agency.abbreviations.en.text,
        }


def test_every_spelling_of_the_plan_names_its_own_agency() -> None:
    for agency in PLAN.agencies:
        names = [agency.name.kk, *(n.text for n in (agency.name.ru, agency.name.en) if n)]
        spellings = [agency.code_in(lang) for lang in ("kk", "ru", "en")] + names
        for spelling in spellings:
            for typed in (spelling, spelling.lower(), spelling.upper(), f"  {spelling} "):
                assert INDEX.resolve(typed) == agency.code, typed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("MKC", "МСМ"),  # Latin look-alikes of «МКС»
        ("mkc", "МСМ"),
        ("vrc", "МСМ"),  # «МКС» typed with the Latin layout on
        ("ЬСЫ", "МСМ"),  # «MCS» typed with the Russian layout on
        ("МКБ", "МҚБ"),  # the Russian К typed for the Kazakh Қ
        ("ICБ", "ІСБ"),  # Latin I and C for the Kazakh І and the Cyrillic С
        ("исб", "ІСБ"),
        ("ПА", "ПӘ"),
        ("М.К.С.", "МСМ"),
        ("мид", "СІМ"),  # the Russian abbreviation of Foreign Affairs
        ("MID", "ИДМ"),  # the English one of Investment and Development
    ],
)
def test_look_alikes_layouts_and_missing_letters(typed: str, code: str) -> None:
    assert INDEX.resolve(typed) == code


@pytest.mark.parametrize("typed", ["", "  ", "XYZ", "ЖОҚ", "Министерство", "МС"])
def test_what_names_no_agency(typed: str) -> None:
    assert INDEX.resolve(typed) is None


def test_a_code_outranks_an_abbreviation_and_a_shared_spelling_names_neither() -> None:
    index = AgencyIndex.of(
        [
            _agency("АБ", "Бірінші орган", ru="ВГ"),
            _agency("ВГ", "Екінші орган", ru="ДЕ"),
            _agency("ЖЗ", "Үшінші орган", ru="ДЕ"),
        ]
    )
    assert index.resolve("ВГ") == "ВГ"  # the code, not the first agency's abbreviation
    assert index.resolve("ДЕ") is None  # two agencies' abbreviation: ambiguous, refused
    assert index.resolve("Үшінші орган") == "ЖЗ"


def test_codes_only_the_loosest_fold_confuses_stay_apart() -> None:
    """A table's «КК» and «КҚ»: a Russian keyboard's «КК» names the first, never neither."""
    index = AgencyIndex.of([_agency("КК", "Комплаенс-офицер"), _agency("КҚ", "Кадр қызметі")])
    assert index.resolve("КК") == "КК"
    assert index.resolve("кқ") == "КҚ"
    assert index.resolve("KK") == "КК"
    assert index.resolve("кадр кызмети") == "КҚ"
