"""A day typed at the start of a reply («15.07.2016 the reason …») and the words after it."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.plan.kazakh_dates import split_day

JULY_15 = dt.date(2016, 7, 15)


@pytest.mark.parametrize(
    ("text", "day", "rest"),
    [
        (
            "15.07.2016 the draft is still with the ministries",
            JULY_15,
            "the draft is still with the ministries",
        ),
        ("2016-07-15 — жоба келісілуде", JULY_15, "жоба келісілуде"),
        ("15 шілде 2016 Жобаны пысықтау", JULY_15, "Жобаны пысықтау"),
        ("15 июля 2016 г. Проект на согласовании", JULY_15, "Проект на согласовании"),
        ("July 15, 2016 the draft", JULY_15, "the draft"),
        ("15.07.2016", JULY_15, ""),
        ("Хаттаманы қоса беріңіз", None, "Хаттаманы қоса беріңіз"),
        ("  ", None, ""),
    ],
)
def test_the_day_and_the_rest(text: str, day: dt.date | None, rest: str) -> None:
    assert split_day(text, year_hint=2016) == (day, rest)
