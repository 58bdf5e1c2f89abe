"""Mangled decrees: the importer either imports or raises its own error with a message."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.plan import DecreeImportError, import_decree
from scheduler.plan.kazakh_dates import PhraseError, parse_deadline, parse_report_dates

from .conftest import SEED

_SEED = SEED.read_text(encoding="utf-8")
_ALPHABET = st.sampled_from(
    [*"\t\n ,.;:-–()«»№0123456789іІIiӀжқңғүұөәһ\u00a0", "ж.", "2016", "ПӘ-ге", "дейін"]
)
_WORDS = _ALPHABET | st.sampled_from(
    [
        *("2-ші", "10", "желтоқсанға", "шілдеге", "ақпанның", "ІІ", "тоқсан", "жыл", "сайын"),
        *("соңына", "бірінші", "жартыжылдығы", "тұрақты", "түрде", "және", "кешіктірмей", "31"),
        "дайындық –",
    ]
)


@st.composite
def _mangled(draw: st.DrawFn) -> str:
    text = _SEED
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "swap", "unicode"]))
        at = draw(st.integers(0, len(text) - 1))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "insert":
            text = text[:at] + draw(_ALPHABET) + text[at:]
        elif op == "swap" and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        else:
            text = text[:at] + draw(st.text(max_size=5)) + text[at:]
    return text


def _import_or_clear_error(text: str) -> None:
    try:
        import_decree(text)
    except DecreeImportError as exc:
        assert str(exc).strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mangled())
def test_mangled_seed_never_crashes(text: str) -> None:
    _import_or_clear_error(text)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_crashes(text: str) -> None:
    _import_or_clear_error(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS, max_size=8).map(" ".join), st.none() | st.integers(1, 9999))
def test_phrases_read_or_refuse(phrase: str, year: int | None) -> None:
    for parse in (parse_deadline, parse_report_dates):
        try:
            parse(phrase, year_hint=year)
        except PhraseError as exc:
            assert exc.message
