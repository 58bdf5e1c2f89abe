"""The Kazakh date grammar: one test per phrase kind, the text's traps and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.plan.kazakh_dates import PhraseError, parse_deadline, parse_report_dates
from scheduler.plan.model import (
    BeforeDateDeadline,
    CompositeDeadline,
    DateDeadline,
    Frequency,
    OngoingDeadline,
    PeriodEndDeadline,
    PeriodUnit,
    Reading,
    RecurringDeadline,
)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2015 ж., 2-ші желтоқсанға", dt.date(2015, 12, 2)),
        ("2016 ж., 1-ші ақпанға", dt.date(2016, 2, 1)),
        ("2016 ж., 10-шы шілдеге", dt.date(2016, 7, 10)),
        ("2016 ж., 10 шілдеге", dt.date(2016, 7, 10)),
        ("2016 жылғы 2 қазандағы", dt.date(2016, 10, 2)),
        ("2016 жылғы 5 мамырда", dt.date(2016, 5, 5)),
        ("2016 ж. 15 қыркүйек", dt.date(2016, 9, 15)),
        ("2016 ж., 3 сәуірге", dt.date(2016, 4, 3)),
        ("2016 жылғы 1 наурыздан кешіктірмей", dt.date(2016, 3, 1)),
    ],
)
def test_a_day_and_month_is_a_date_deadline(phrase: str, expected: dt.date) -> None:
    reading = parse_deadline(phrase)
    assert isinstance(reading, DateDeadline)
    assert reading.date == expected
    assert reading.phrase == phrase


@pytest.mark.parametrize("reading", list(Reading))
def test_deyin_keeps_the_boundary_and_the_reading(reading: Reading) -> None:
    parsed = parse_deadline("2016 ж., 1-ші наурызға дейін", before_reading=reading)
    assert isinstance(parsed, BeforeDateDeadline)
    assert parsed.boundary == dt.date(2016, 3, 1)
    assert parsed.reading is reading
    expected = dt.date(2016, 2, 29) if reading is Reading.EXCLUSIVE else dt.date(2016, 3, 1)
    assert parsed.due() == expected


@pytest.mark.parametrize(
    ("phrase", "unit", "index", "due"),
    [
        ("2016 жылдың бірінші жартыжылдығы", PeriodUnit.HALF_YEAR, 1, dt.date(2016, 6, 30)),
        ("2016 жылдың екінші жартыжылдығы", PeriodUnit.HALF_YEAR, 2, dt.date(2016, 12, 31)),
        ("2016 ж., І тоқсан", PeriodUnit.QUARTER, 1, dt.date(2016, 3, 31)),
        ("2016 ж., ІІ тоқсан", PeriodUnit.QUARTER, 2, dt.date(2016, 6, 30)),
        ("2016 ж., ІІІ тоқсан", PeriodUnit.QUARTER, 3, dt.date(2016, 9, 30)),
        ("2016 ж., IV тоқсан", PeriodUnit.QUARTER, 4, dt.date(2016, 12, 31)),
        ("2016 жыл соңына дейін", PeriodUnit.YEAR, 1, dt.date(2016, 12, 31)),
    ],
)
def test_period_ends(phrase: str, unit: PeriodUnit, index: int, due: dt.date) -> None:
    reading = parse_deadline(phrase)
    assert isinstance(reading, PeriodEndDeadline)
    assert (reading.unit, reading.index, reading.date) == (unit, index, due)


@pytest.mark.parametrize("numeral", ["\u0406", "I", "\u04c0", "і"])
def test_quarter_numeral_in_any_alphabet(numeral: str) -> None:
    reading = parse_deadline(f"2016 ж., {numeral}{numeral} тоқсан")
    assert isinstance(reading, PeriodEndDeadline)
    assert reading.index == 2


@pytest.mark.parametrize(
    ("phrase", "frequency"),
    [
        ("жыл сайын", Frequency.ANNUAL),
        ("жылына 2 рет", Frequency.TWICE_A_YEAR),
        ("тоқсан сайын", Frequency.QUARTERLY),
        ("ай сайын", Frequency.MONTHLY),
        ("апта сайын", Frequency.WEEKLY),
    ],
)
def test_recurring(phrase: str, frequency: Frequency) -> None:
    reading = parse_deadline(phrase)
    assert isinstance(reading, RecurringDeadline)
    assert reading.frequency is frequency
    assert reading.anchor is None


def test_annual_with_a_day_of_the_year() -> None:
    reading = parse_deadline("жыл сайын, 25 маусымға")
    assert isinstance(reading, RecurringDeadline)
    assert reading.anchor is not None
    assert (reading.anchor.month, reading.anchor.day) == (6, 25)


@pytest.mark.parametrize("phrase", ["тұрақты", "тұрақты түрде"])
def test_ongoing(phrase: str) -> None:
    assert isinstance(parse_deadline(phrase), OngoingDeadline)


def test_composite_parts_keep_labels_and_borrow_the_row_year() -> None:
    phrase = "дайындық – бірінші жартыжылдық; орналастыру – тұрақты түрде"
    reading = parse_deadline(phrase, year_hint=2016)
    assert isinstance(reading, CompositeDeadline)
    assert [p.label for p in reading.parts] == ["дайындық", "орналастыру"]
    first, second = (p.deadline for p in reading.parts)
    assert isinstance(first, PeriodEndDeadline)
    assert first.date == dt.date(2016, 6, 30)
    assert first.phrase == "бірінші жартыжылдық"
    assert isinstance(second, OngoingDeadline)


def test_a_phrase_without_a_year_and_no_hint_is_refused() -> None:
    with pytest.raises(PhraseError, match="no year"):
        parse_deadline("бірінші жартыжылдық")


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("2016 ж., 2-ші желтоқсанға шамасында", "шамасында"),
        ("2016 ж., 30 ақпанға", "no day 30.02.2016"),
        ("2016 ж., 1 наурыздан бастап", "бастап"),
        ("2015 ж., 2016 ж., 1 наурызға", "several years"),
        ("2016 ж., 1 наурызға және 2 сәуірге", "several dates"),
        ("", "empty"),
    ],
)
def test_unreadable_phrases_are_errors_not_guesses(phrase: str, words: str) -> None:
    with pytest.raises(PhraseError, match=words):
        parse_deadline(phrase)


def test_no_break_spaces_are_spaces_to_the_grammar() -> None:
    spans = parse_report_dates("2016 ж.,\u00a0 25\u00a0маусымға")
    assert [s.date for s in spans] == [dt.date(2016, 6, 25)]
    assert spans[0].span == "25\u00a0маусымға"


def test_report_phrase_with_two_dates_shares_the_year() -> None:
    spans = parse_report_dates("2016 ж., 10 шілдеге және 20 желтоқсанға")
    assert [(s.span, s.date) for s in spans] == [
        ("10 шілдеге", dt.date(2016, 7, 10)),
        ("20 желтоқсанға", dt.date(2016, 12, 20)),
    ]


def test_report_phrase_without_year_uses_the_hint() -> None:
    assert parse_report_dates("10 шілдеге", year_hint=2017)[0].date == dt.date(2017, 7, 10)
    with pytest.raises(PhraseError):
        parse_report_dates("10 шілдеге")
