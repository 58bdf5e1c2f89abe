"""Broken decree texts: the importer refuses each with the line (and cell) it stopped at.

``tests/plan/test_decree_import.py`` covers an unreadable deadline, reporting phrase and
agency code in a cell, a task with five cells and a missing glossary; these are the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from scheduler.plan import DecreeImportError, import_decree
from tests.plan.conftest import SEED

TEXT = SEED.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@dataclass(frozen=True)
class Broken:
    name: str
    old: str
    new: str
    # The refusal's text, and the line it names: that of ``at`` in the broken text.
    says: str
    at: str | None


CASES = (
    Broken(
        "unknown month word",
        "\t2015 ж., 2-ші желтоқсанға\n\tМСМ, ӘдМ",
        "\t2015 ж., 2-ші желтоқсунға\n\tМСМ, ӘдМ",
        "task 1, deadline cell: cannot read «2-ші» in «2015 ж., 2-ші желтоқсунға»",
        "2-ші желтоқсунға",
    ),
    Broken(
        "quarter V",
        "2016 ж., І тоқсан",
        "2016 ж., V тоқсан",
        "task 15, deadline cell: cannot read «V» in «2016 ж., V тоқсан»",
        "2016 ж., V тоқсан",
    ),
    Broken(
        "a task with seven cells",
        "\tМСМ бұйрығы; ПӘ-ге ақпарат\n",
        "\tМСМ бұйрығы; ПӘ-ге ақпарат\n\tартық ұяшық\n",
        "task 1 has more than 6 cells in «қаржыландыру талап етілмейді»",
        # The funding cell, pushed to seventh place, is the first one too many.
        "\tқаржыландыру талап етілмейді",
    ),
    Broken(
        "a task whose deadline cell is missing",
        "\t2.\n",
        "\t2.\n\n",
        "task 2 has 0 cells instead of 6 (the text cell is missing)",
        None,
    ),
    Broken(
        "text outside the table's cells",
        "\t2.\n",
        "бөгде жол\n\t2.\n",
        "text outside the table's cells in «бөгде жол»",
        "бөгде жол",
    ),
    Broken(
        "a glossary line without a dash",
        "ЖАО – жергілікті атқарушы органдар",
        "ЖАО жергілікті атқарушы органдар",
        "a glossary line must read «CODE – name»",
        "ЖАО жергілікті",
    ),
    Broken(
        "a code defined twice in the glossary",
        "ҚМ – Қазақстан Республикасы Қаржы министрлігі",
        "ҚМ – Қазақстан Республикасы Қаржы министрлігі\nЖАО – тағы бір орган",
        "the code ЖАО is already defined on line",
        "ЖАО – тағы",
    ),
    Broken(
        "a heading that is neither a section nor a task",
        "\t7.\n",
        "\tжеті\n",
        "expected a section heading «N. TITLE» or a task number «N.» in «жеті»",
        "\tжеті",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_broken_decree_is_refused_at_its_line(case: Broken) -> None:
    assert case.old in TEXT
    text = TEXT.replace(case.old, case.new, 1)
    with pytest.raises(DecreeImportError) as info:
        import_decree(text)
    message = str(info.value)
    assert case.says in message, message
    if case.at is not None:
        assert info.value.line == _line_of(text, case.at), message
        assert message.startswith(f"line {info.value.line}")


def test_a_recipient_code_not_in_the_glossary_is_refused() -> None:
    old = "2016 ж., 20 желтоқсанға, ПӘ-ге ақпарат"
    text = TEXT.replace(old, "2016 ж., 20 желтоқсанға, ХҚ-ге ақпарат", 1)
    with pytest.raises(DecreeImportError) as info:
        import_decree(text)
    assert "form cell: unknown agency code «ХҚ»" in str(info.value)
    assert info.value.line == _line_of(text, "ХҚ-ге")


def test_a_glossary_with_no_entries() -> None:
    head = TEXT[: TEXT.index("Ескерту:")]
    with pytest.raises(DecreeImportError, match="the glossary defines no agency codes"):
        import_decree(head + "Ескерту: аббревиатуралардың жазылуы:\n\n")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_a_truncated_decree_is_refused_with_a_reason(fraction: float) -> None:
    cut = TEXT[: int(len(TEXT) * fraction)]
    with pytest.raises(DecreeImportError) as info:
        import_decree(cut)
    assert re.search(r"no glossary|no table|line \d+", str(info.value)), str(info.value)


def test_a_decree_cut_inside_the_glossary_loses_the_codes_it_names() -> None:
    cut = TEXT[: TEXT.index("МСМ – ")]
    with pytest.raises(DecreeImportError) as info:
        import_decree(cut)
    assert "unknown agency code «МСМ»" in str(info.value)
    assert info.value.line == _line_of(cut, "\tМСМ, ӘдМ")
