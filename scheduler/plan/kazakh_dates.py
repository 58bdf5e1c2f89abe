"""The Kazakh date grammar of action plans: deadline and reporting phrases to structured dates.

The grammar reads phrases such as "2015 ж., 2-ші желтоқсанға" (by 2 December 2015),
"2016 ж., 1-ші наурызға дейін" (before 1 March 2016), "2016 жылдың бірінші жартыжылдығы",
"2016 ж., ІІ тоқсан", "жыл сайын", "жылына 2 рет", "тұрақты түрде" and composite phrases
such as "дайындық – бірінші жартыжылдық; орналастыру – тұрақты түрде". Month names are
accepted in every case they appear in (nominative, dative, locative, attributive, ablative,
genitive), ordinals with or without their suffix.

Every word of a phrase must be understood: anything left over raises :class:`PhraseError`
instead of being skipped, so a phrase the grammar cannot read is never silently guessed.
Matching runs on the folded text (see :mod:`scheduler.plan.textmatch`); the spans returned are
cut from the original phrase.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scheduler.plan.model import (
    BeforeDateDeadline,
    CompositeDeadline,
    CompositePart,
    DateDeadline,
    Frequency,
    MonthDay,
    OngoingDeadline,
    PeriodEndDeadline,
    PeriodUnit,
    Reading,
    RecurringDeadline,
    period_end,
)
from scheduler.plan.textmatch import Folded

MONTHS = {
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
}

# Case endings a month name takes in these texts, longest first so that the alternation
# does not stop at a prefix: attributive, locative, ablative, genitive, dative, possessive.
_MONTH_SUFFIXES = (
    "ндағы",
    "ндегі",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "нда",
    "нде",
    "да",
    "де",
    "та",
    "те",
    "нан",
    "нен",
    "дан",
    "ден",
    "тан",
    "тен",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    "сы",
    "сі",
    "ы",
    "і",
)

_ORDINAL = r"(?:-?(?:інші|ыншы|нші|ншы|ші|шы))?"
_END = r"(?!\w)"

SimpleReading = (
    DateDeadline | BeforeDateDeadline | PeriodEndDeadline | RecurringDeadline | OngoingDeadline
)
AnyReading = SimpleReading | CompositeDeadline


class PhraseError(Exception):
    """A phrase the grammar cannot read; ``message`` says which words and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pattern(text: str) -> str:
    return text.replace(" ?", r"\s*").replace(" ", r"\s+")


_RECURRING = {
    "жыл сайын": Frequency.ANNUAL,
    "жылына (?:1|бір) рет": Frequency.ANNUAL,
    "жылына (?:2|екі) рет": Frequency.TWICE_A_YEAR,
    "жарты ?жыл(?:дық)? сайын": Frequency.TWICE_A_YEAR,
    "жылына (?:4|төрт) рет": Frequency.QUARTERLY,
    "тоқсан сайын": Frequency.QUARTERLY,
    "ай сайын": Frequency.MONTHLY,
    "апта сайын": Frequency.WEEKLY,
}

_TOKEN_PATTERNS: list[tuple[str, str]] = [
    ("gap", r"[\s,.]+"),
    *((f"recur:{freq.value}", _pattern(p) + _END) for p, freq in _RECURRING.items()),
    ("ongoing", _pattern("тұрақты(?: (?:түрде|негізде))?") + _END),
    ("year_end", _pattern("(?:жыл(?:дың)? )?соңына") + _END),
    ("half", _pattern(f"(бірінші|екінші|[12]|і{{1,2}}){_ORDINAL} жарты ?жылды[қғ]\\w*") + _END),
    ("quarter", _pattern(f"(іv|іу|і{{1,3}}|[1-4]){_ORDINAL} тоқсан\\w*") + _END),
    (
        "date",
        _pattern(f"(\\d{{1,2}}){_ORDINAL} ({'|'.join(MONTHS)})(?:{'|'.join(_MONTH_SUFFIXES)})?")
        + _END,
    ),
    ("year", _pattern(r"(\d{4}) ?(?:ж\.|жылғы|жылдың|жылы|жыл(?!\s*соң)|ж(?!\w))?") + r"(?!\d)"),
    ("before", "дейін" + _END),
    ("nolater", "кешіктірмей" + _END),
    ("and", "және" + _END),
    ("unsupported", r"(?:бастап|ішінде)" + _END),
]
_TOKENS = [(name, re.compile(pattern)) for name, pattern in _TOKEN_PATTERNS]


@dataclass(frozen=True)
class _Token:
    kind: str
    match: re.Match[str]


def _tokenize(folded: Folded) -> list[_Token]:
    text = folded.text
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        for name, regex in _TOKENS:
            m = regex.match(text, pos)
            if m and m.end() > pos:
                if name == "unsupported":
                    raise PhraseError(
                        f"«{folded.original(m.start(), m.end())}» (from/within) is not part of "
                        "the deadline grammar"
                    )
                if name != "gap":
                    tokens.append(_Token(name, m))
                pos = m.end()
                break
        else:
            word = re.match(r"\S+", text[pos:])
            end = pos + (word.end() if word else 1)
            raise PhraseError(f"cannot read «{folded.original(pos, end)}»")
    return tokens


def _roman_or_digit(value: str) -> int:
    table = {"і": 1, "іі": 2, "ііі": 3, "іv": 4, "іу": 4, "бірінші": 1, "екінші": 2}
    return int(value) if value.isdigit() else table[value]


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PhraseError(f"there is no day {day:02d}.{month:02d}.{year}") from None


def _date_of(token: _Token, year: int) -> dt.date:
    return _make_date(year, MONTHS[token.match.group(2)], int(token.match.group(1)))


def _single_year(tokens: list[_Token], year_hint: int | None, what: str) -> int:
    years = {int(t.match.group(1)) for t in tokens if t.kind == "year"}
    if len(years) > 1:
        raise PhraseError(f"{what} names several years ({', '.join(map(str, sorted(years)))})")
    if years:
        return years.pop()
    if year_hint is None:
        raise PhraseError(f"{what} has no year and the row gives none to borrow")
    return year_hint


def parse_deadline(
    phrase: str, *, year_hint: int | None = None, before_reading: Reading = Reading.EXCLUSIVE
) -> AnyReading:
    """Read a deadline phrase. ``year_hint`` is the year a phrase without one takes."""
    folded = Folded(phrase)
    text = folded.text
    if ";" in text or re.search(r"\s-\s", text):
        return _parse_composite(folded, phrase, year_hint, before_reading)
    return parse_simple_deadline(phrase, year_hint=year_hint, before_reading=before_reading)


def _parse_composite(
    folded: Folded, phrase: str, year_hint: int | None, before_reading: Reading
) -> CompositeDeadline:
    parts: list[CompositePart] = []
    start = 0
    text = folded.text
    bounds = [m.start() for m in re.finditer(";", text)] + [len(text)]
    for end in bounds:
        piece = text[start:end]
        m = re.fullmatch(r"\s*([^\W\d][\w\s]*?)\s*-\s*(\S.*?)\s*", piece, flags=re.DOTALL)
        if m is None:
            raw = folded.original(start, end).strip()
            raise PhraseError(f"the part «{raw}» has no label of the form «label – deadline»")
        label = folded.original(start + m.start(1), start + m.end(1))
        sub = folded.original(start + m.start(2), start + m.end(2))
        reading = parse_simple_deadline(sub, year_hint=year_hint, before_reading=before_reading)
        parts.append(CompositePart(label=label, deadline=reading))
        start = end + 1
    return CompositeDeadline(phrase=phrase, parts=parts)


def parse_simple_deadline(
    phrase: str, *, year_hint: int | None = None, before_reading: Reading = Reading.EXCLUSIVE
) -> SimpleReading:
    """Read a deadline phrase that is not composite."""
    folded = Folded(phrase)
    tokens = _tokenize(folded)
    if not tokens:
        raise PhraseError("the deadline is empty")
    kinds = [t.kind for t in tokens]
    if "and" in kinds:
        raise PhraseError("a deadline with several dates must be written as labelled parts")
    if "ongoing" in kinds:
        if len(tokens) != 1:
            raise PhraseError("«тұрақты» (ongoing) cannot be combined with other dates")
        return OngoingDeadline(phrase=phrase)
    recurring = [t for t in tokens if t.kind.startswith("recur:")]
    if recurring:
        return _recurring(phrase, tokens, recurring)
    anchors = [t for t in tokens if t.kind in ("half", "quarter", "year_end", "date")]
    if len(anchors) != 1:
        found = "no date" if not anchors else "more than one date"
        raise PhraseError(f"found {found} in the deadline")
    if kinds.count("before") > 1 or kinds.count("nolater") > 1:
        raise PhraseError("«дейін» or «кешіктірмей» is repeated")
    if "before" in kinds and "nolater" in kinds:
        raise PhraseError("«дейін» and «кешіктірмей» contradict each other")
    year = _single_year(tokens, year_hint, "the deadline")
    anchor = anchors[0]
    if anchor.kind == "date":
        day = _date_of(anchor, year)
        if "before" in kinds:
            return BeforeDateDeadline(phrase=phrase, boundary=day, reading=before_reading)
        return DateDeadline(phrase=phrase, date=day)
    if "nolater" in kinds:
        raise PhraseError("«кешіктірмей» (no later than) needs a day and a month")
    if anchor.kind == "year_end":
        unit, index = PeriodUnit.YEAR, 1
    elif anchor.kind == "half":
        unit, index = PeriodUnit.HALF_YEAR, _roman_or_digit(anchor.match.group(1))
    else:
        unit, index = PeriodUnit.QUARTER, _roman_or_digit(anchor.match.group(1))
    return PeriodEndDeadline(
        phrase=phrase, unit=unit, index=index, year=year, date=period_end(unit, index, year)
    )


def _recurring(phrase: str, tokens: list[_Token], recurring: list[_Token]) -> RecurringDeadline:
    frequency = Frequency(recurring[0].kind.split(":", 1)[1])
    rest = [t for t in tokens if t not in recurring]
    if len(recurring) > 1:
        raise PhraseError("the deadline names more than one frequency")
    if not rest:
        return RecurringDeadline(phrase=phrase, frequency=frequency)
    if frequency is Frequency.ANNUAL and len(rest) == 1 and rest[0].kind == "date":
        day = _date_of(rest[0], 2000)  # a leap year, so 29 February is a valid day of the year
        return RecurringDeadline(
            phrase=phrase, frequency=frequency, anchor=MonthDay(month=day.month, day=day.day)
        )
    raise PhraseError("a recurring deadline takes at most a day and a month (annual tasks only)")


@dataclass(frozen=True)
class DateSpan:
    """One reporting date: its day-and-month words as written and the date they mean."""

    span: str
    date: dt.date


def parse_report_dates(phrase: str, *, year_hint: int | None = None) -> list[DateSpan]:
    """Read a reporting-date phrase such as "2016 ж., 10 шілдеге және 20 желтоқсанға".

    A year applies to the dates after it; dates before any year take the first year named,
    or ``year_hint`` when the phrase names none.
    """
    folded = Folded(phrase)
    tokens = _tokenize(folded)
    stray = [t for t in tokens if t.kind not in ("year", "date", "and")]
    if stray:
        t = stray[0]
        raise PhraseError(
            f"«{folded.original(t.match.start(), t.match.end())}» is not a reporting date"
        )
    dates = [t for t in tokens if t.kind == "date"]
    if not dates:
        raise PhraseError("no day and month in the reporting phrase")
    years = [t for t in tokens if t.kind == "year"]
    current: int | None = int(years[0].match.group(1)) if years else year_hint
    if current is None:
        raise PhraseError("the reporting date has no year and the row gives none to borrow")
    result: list[DateSpan] = []
    for token in tokens:
        if token.kind == "year":
            current = int(token.match.group(1))
        elif token.kind == "date":
            span = folded.original(token.match.start(), token.match.end())
            result.append(DateSpan(span=span, date=_date_of(token, current)))
    return result


def years_in(phrase: str) -> set[int]:
    """The four-digit years a phrase names, for lending a year to a phrase without one."""
    return {int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", phrase)}
