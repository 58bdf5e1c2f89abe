"""Tests for reading officials' status replies (scheduler.statuses.classify)."""

from __future__ import annotations

import random
import time
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.statuses import Confidence, Reading, Status, classify
from scheduler.statuses.classify import LIMIT

D, IP, PR, PO = Status.DONE, Status.IN_PROGRESS, Status.PROBLEM, Status.POSTPONED


class Case(NamedTuple):
    text: str
    status: Status | None
    candidates: tuple[Status, ...]
    sent: bool


def clear(text: str, status: Status, *, sent: bool = False) -> Case:
    return Case(text, status, (status,), sent)


def unclear(text: str, *candidates: Status, sent: bool = False) -> Case:
    return Case(text, None, candidates, sent)


DONE_MESSAGES = [
    clear("Орындалды", D),
    clear("Біз орындадық", D),
    clear("Дайын", D),
    clear("Бітті", D),
    clear("Іс-шара аяқталды", D),
    clear("Іске асырылды", D),
    clear("Семинар өткізілді", D),
    clear("Бұйрық бекітілді", D),
    clear("oryndaldy", D),
    clear("daiyn", D),
    clear("dayin", D),
    clear("bitti", D),
    clear("Выполнено", D),
    clear("исполнено", D),
    clear("Сделано", D),
    clear("Готово!", D),
    clear("Совещание проведено 12 мая", D),
    clear("Приказ утвержден", D),
    clear("vypolneno", D),
    clear("Gotovo", D),
    clear("done", D),
    clear("Completed", D),
    clear("finished", D),
    clear("+", D),
    clear("✅", D),
    clear("✔️", D),
    clear("👍", D),
    clear("👍🏻", D),
    clear("Орындалды ✅", D),
    clear("Готово👍", D),
    clear("ОРЫНДАЛДЫ!!!", D),
    clear("Мәселе жоқ, орындалды", D),
    clear("Кто ответственный? Выполнено.", D),
    clear("Сәлеметсіз бе, орындалды", D),
]

IN_PROGRESS_MESSAGES = [
    clear("Орындалуда", IP),
    clear("Жұмыс жүргізілуде", IP),
    clear("Жоба дайындалуда", IP),
    clear("Әзірленуде", IP),
    clear("Мүдделі органдармен келісілуде", IP),
    clear("Орындалып жатыр", IP),
    clear("oryndaluda", IP),
    clear("В работе", IP),
    clear("в процессе", IP),
    clear("Проект на согласовании в МЮ", IP),
    clear("На подписи у руководства", IP),
    clear("Направлено на согласование", IP),
    clear("v rabote", IP),
    clear("in progress", IP),
    clear("Working on it", IP),
    clear("⏳", IP),
    clear("👍 в работе", IP),
]

POSTPONED_MESSAGES = [
    clear("Мерзімі ұзартылды", PO),
    clear("Мерзімі 2024 жылғы 1 шілдеге дейін ұзартылды", PO),
    clear("Кейінге қалдырылды", PO),
    clear("Перенесено на июнь", PO),
    clear("Срок продлен до 1 июля", PO),
    clear("Срок продлён", PO),
    clear("Отложено", PO),
    clear("postponed", PO),
    clear("Жұмыс жүргізілуде, мерзімі ұзартылды", PO),
]

PROBLEM_MESSAGES = [
    clear("Мәселе бар", PR),
    clear("Кедергі бар: жер телімі бөлінбеген", PR),
    clear("Қаржы жоқ", PR),
    clear("Орындалмады", PR),
    clear("Проблема с финансированием", PR),
    clear("Нет финансирования", PR),
    clear("Не согласовано", PR),
    clear("Не исполнено", PR),
    clear("problem", PR),
    clear("❌", PR),
    clear("blocked", PR),
    clear("❌ қаржы жоқ", PR),
]

NEGATIONS = [
    clear("бітпеді", PR),
    clear("орындамадық", PR),
    clear("Орындалған жоқ", PR),
    clear("не выполнено", PR),
    clear("not done", PR),
    unclear("дайын емес", IP, PR),
    unclear("Дайын емеспіз", IP, PR),
    unclear("не готово", IP, PR),
    unclear("ещё не сделано", IP, PR),
    unclear("еще не сделано", IP, PR),
    unclear("Әлі орындалған жоқ", IP, PR),
    unclear("not yet", IP, PR),
    unclear("пока нет", IP, PR),
    unclear("срок не продлен"),
]

PROMISES = [
    unclear("жібереміз", IP, PO),
    unclear("Ертең орындаймыз", IP, PO),
    unclear("сделаем", IP, PO),
    unclear("Выполним до пятницы", IP, PO),
    unclear("Будет готово к 15 числу", IP, PO),
    unclear("will do", IP, PO),
    unclear("завтра сделаем", IP, PO),
    unclear("Дайын болғанда жіберемін", IP, PO),
    # A promise to send the information does not undo a done task.
    clear("Орындалды, ақпаратты ертең жібереміз", D),
    clear("Жұмыс жүргізілуде, ақпарат ертең жіберіледі", IP),
]

QUESTIONS = [
    unclear("орындалды ма?", D),
    unclear("Орындалды ма", D),
    unclear("выполнено?", D),
    unclear("Выполнено ли?", D),
    unclear("кто ответственный?"),
    unclear("?"),
]

CONFLICTS = [
    unclear("орындалды, бірақ қаржы жоқ", D, PR),
    unclear("Выполнено, но есть проблема с финансированием", D, PR),
    unclear("1) орындалды 2) орындалуда", D, IP),
    unclear("✅❌", D, PR),
    unclear("в работе, но нет финансирования", IP, PR),
    unclear("частично исполнено", D, IP),
    unclear("Орындалды, бірақ толық емес", D, IP),
    unclear("Сделано частично, остальное сделаем завтра", D, IP, PO),
]

LOOKALIKES_AND_TRANSLIT = [
    clear("OРЫНДAЛДЫ", D),  # Latin O and A
    clear("Выполнeнo", D),  # Latin e and o
    clear("Гoтoвo", D),
    clear("Сдeлaнo", D),
    clear("Бiттi", D),  # Latin i for і
    clear("битти", D),  # Russian и for і
    clear("азирленуде", IP),  # а for ә, и for і
    clear("каржы жок", PR),  # к for қ
    clear("мерзими узартылды", PO),  # и for і, у for ұ
    clear("qarzhy joq", PR),
    clear("keyinge qaldyryldy", PO),
    clear("keinge qaldyryldy", PO),
    clear("Bыполнено", D),  # Latin B
    clear("B пpoцecce", IP),  # Latin B, p, o, c, e
    clear("Het финансирования", PR),  # Latin H
    clear("Қapжы жoқ", PR),  # Latin p and o
    clear("Мерзімі ұзapтылды", PO),
    clear("V protsesse", IP),
    clear("na soglasovanii", IP),
    clear("masele bar", PR),
    clear("  ВЫПОЛНЕНО  ", D),
    clear("в\u00a0работе", IP),  # no-break space
    clear("орын\u00adдалды", D),  # soft hyphen inside the word
    clear("в\tработе", IP),
    clear("Орындалды\u00a0✅", D),
]

MIXED_AND_REPORTS = [
    clear("МСМ бойынша орындалды, информация направлена", D, sent=True),
    clear("Ақпарат жіберілді, выполнено", D, sent=True),
    clear("Выполнено\n\nИнформация направлена в МНЭ", D, sent=True),
    clear("По п.5 жұмыс жүргізілуде", IP),
    unclear("ақпарат жіберілді", D, IP, sent=True),
    unclear("Информация направлена в МНЭ письмом № 12-34", D, IP, sent=True),
    unclear("Хат министрлікке жолданды", D, IP, sent=True),
    unclear("Report submitted", D, IP, sent=True),
    unclear("информация не направлена"),
    unclear("ақпарат жіберілмеді"),
    clear("Келісуге жіберілді", IP),
]

PLUS_AND_ACKNOWLEDGEMENTS = [
    clear("+ МСМ", D),
    clear("++", D),
    clear("п.3 +", D),
    unclear("+7 701 123 45 67"),
    unclear("Телефон: +77011234567"),
    unclear("+-"),
    unclear("1+1"),
    unclear("ок", D, IP),
    unclear("OK", D, IP),
    unclear("Ок, принято", D, IP),
    unclear("👌", D, IP),
]

NOTHING = [
    unclear("сәлем"),
    unclear("Сәлеметсіз бе!"),
    unclear("Добрый день"),
    unclear("нет проблем"),
    unclear("Подготовка отчёта"),  # "готов" inside another word
    unclear("приготовлено"),
    unclear("Проектная готовность 50%"),
    unclear("выполнение плана"),
    unclear(""),
    unclear("   "),
    unclear("\u200b"),
]

TABLE = (
    DONE_MESSAGES
    + IN_PROGRESS_MESSAGES
    + POSTPONED_MESSAGES
    + PROBLEM_MESSAGES
    + NEGATIONS
    + PROMISES
    + QUESTIONS
    + CONFLICTS
    + LOOKALIKES_AND_TRANSLIT
    + MIXED_AND_REPORTS
    + PLUS_AND_ACKNOWLEDGEMENTS
    + NOTHING
)
TEXTS = [case.text for case in TABLE]


def test_the_table_is_large() -> None:
    assert len(TABLE) >= 80


@pytest.mark.parametrize(("text", "status", "candidates", "sent"), TABLE, ids=map(repr, TEXTS))
def test_reads_real_messages(
    text: str, status: Status | None, candidates: tuple[Status, ...], sent: bool
) -> None:
    reading = classify(text)
    assert reading.status == status
    assert reading.candidates == candidates
    assert reading.report_sent is sent
    assert reading.confidence == ("clear" if status else "unclear")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Орындалмады", "negated done"),
        ("не исполнено", "negated done"),
        ("Мәселе бар", "problem"),
        ("жібереміз", "promise"),
        ("дайын емес", "not yet"),
        ("частично исполнено", "partial"),
        ("орындалды, бірақ қаржы жоқ", "conflicting: done+problem"),
        ("Сделано, остальное сделаем завтра", "conflicting: done+promise"),
        ("выполнено?", "question"),
        ("ок", "acknowledgement"),
        ("+", "plus"),
        ("👍", "thumbs up"),
        ("информация направлена", "report sent only"),
        ("срок не продлен", "negated postponed"),
        ("сәлем", "no status"),
        ("", "empty"),
        ("Жұмыс жүргізілуде, мерзімі ұзартылды", "postponed while in progress"),
    ],
)
def test_reason_says_why(text: str, reason: str) -> None:
    assert classify(text).reason == reason


def test_a_negation_suffix_is_not_mistaken_for_the_done_word() -> None:
    """орында-ма-ды starts like орындалды; the suffix must turn it into a problem."""
    assert classify("орындалды").status is D
    for negated in ("орындалмады", "орындалмаған", "аяқталмады", "бекітілмеді", "өткізілмеді"):
        assert classify(negated).status is PR, negated


def test_promises_are_never_done() -> None:
    for text in ("жібереміз", "орындаймыз", "сделаем", "выполним", "будет готово", "will do"):
        reading = classify(text)
        assert reading.status is not D
        assert reading.confidence is Confidence.UNCLEAR


def test_report_sent_is_a_separate_fact_from_done() -> None:
    assert classify("информация направлена").status is None
    assert classify("информация направлена").report_sent
    assert not classify("Выполнено").report_sent
    assert not classify("ақпаратты ертең жібереміз").report_sent
    assert not classify("Информация направлена?").report_sent


def test_only_the_first_characters_are_examined() -> None:
    assert classify("а " * (LIMIT // 2) + "выполнено").status is None
    assert classify("а " * (LIMIT // 2 - 10) + "выполнено").status is D


def test_the_input_is_left_as_it_was() -> None:
    """The caller stores the original; matching must not alter or replace it."""
    original = "  OРЫНДAЛДЫ\u00a0✅, информация\u00adнаправлена  "
    kept = "".join(list(original))
    reading = classify(original)
    assert original == kept
    assert reading.status is D
    assert original not in repr(reading)
    assert classify(original) == reading


def test_long_and_hostile_input_is_cheap() -> None:
    rng = random.Random(7)
    hostile = "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000))
    repeated = "орындалды ма? " * 2_000
    for text in (hostile, repeated, "ﷺ" * 10_000, "a" * 50_000, "+" * 30_000):
        started = time.perf_counter()
        reading = classify(text)
        assert time.perf_counter() - started < 0.5
        assert isinstance(reading, Reading)


def test_typical_messages_take_well_under_a_millisecond() -> None:
    classify("орындалды")
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for text in TEXTS:
            classify(text)
    mean = (time.perf_counter() - started) / (rounds * len(TEXTS))
    assert mean < 0.001


# --- properties ------------------------------------------------------------------------------

any_text = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.characters(categories=["Cs", "Cc", "Cf", "Mn"]),
        st.sampled_from("+✅❌👍⏳?.,!\n\u00a0ӘәІіҢңҒғҮүҰұҚқӨөҺһaeopcxiy"),
    ),
    max_size=400,
)
fragments = st.sampled_from(
    [
        *TEXTS,
        "не",
        "емес",
        "жоқ",
        "ма",
        "ли",
        "әлі",
        "ещё",
        "+",
        "+7",
        "?",
        "…",
        "ақпарат",
        "будет",
    ]
)
spliced = st.lists(st.one_of(fragments, any_text), max_size=12).map(" ".join)


def assert_consistent(reading: Reading) -> None:
    assert isinstance(reading, Reading)
    assert (reading.status is None) == (reading.confidence is Confidence.UNCLEAR)
    if reading.status is not None:
        assert reading.candidates == (reading.status,)
    assert list(reading.candidates) == [s for s in Status if s in reading.candidates]
    assert isinstance(reading.report_sent, bool)
    assert reading.reason and reading.reason.isascii()


@settings(max_examples=300)
@given(any_text)
def test_never_raises_and_stays_consistent_on_any_text(text: str) -> None:
    assert_consistent(classify(text))


@settings(max_examples=300)
@given(spliced)
def test_never_raises_and_stays_consistent_on_spliced_messages(text: str) -> None:
    assert_consistent(classify(text))


CLEAR_CYRILLIC = [
    "Орындалды",
    "Жұмыс жүргізілуде",
    "Мерзімі ұзартылды",
    "Қаржы жоқ",
    "Выполнено",
    "В процессе",
    "Перенесено",
    "Нет финансирования",
    "Орындалмады",
]
LATIN_LOOKALIKES = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y"}


@given(
    st.sampled_from(CLEAR_CYRILLIC),
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_case_and_lookalike_letters_do_not_change_the_reading(
    text: str, upper: list[bool], swap: list[bool]
) -> None:
    expected = classify(text)
    assert expected.status is not None
    letters = [
        LATIN_LOOKALIKES.get(ch.lower(), ch.lower()) if swapped else ch.lower()
        for ch, swapped in zip(text, swap, strict=False)
    ]
    disguised = "".join(ch.upper() if up else ch for ch, up in zip(letters, upper, strict=False))
    assert classify(disguised) == expected
