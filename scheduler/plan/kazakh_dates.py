"""The date grammar of action plans: Kazakh, Russian and English deadline and reporting phrases.

The grammar reads phrases such as "2015 ж., 2-ші желтоқсанға" (by 2 December 2015),
"2016 ж., 1-ші наурызға дейін" (before 1 March 2016), "2016 жылдың бірінші жартыжылдығы",
"2016 ж., ІІ тоқсан", "2023 жылғы маусым" (June 2023), "жыл сайын", "жылына 2 рет",
"тоқсанына 1 рет", "тұрақты түрде", composite phrases such as "дайындық – бірінші
жартыжылдық; орналастыру – тұрақты түрде", recurring ones with a day ("тоқсан сайын есепті
кезеңнен кейінгі айдың 5-күніне"), combined annual ones ("1 жылда бір рет және ағымдағы
жылдың 4 тоқсанынан кешіктірмей") and their Russian counterparts («до 1 марта 2016 года»,
«IV квартал 2023 года», «июнь 2023 года», «ежеквартально, до 5 числа месяца, следующего за
отчетным кварталом», «25.12.2023»), the English an administrator may type («by 15 July
2016», «annually, by 10 July», «first half of 2016», «Q4 2023», «monthly, by the 25th»), and
ISO dates (2016-07-15). Month names are accepted in every case they appear in, ordinals with
or without their suffix. Phrases relative to an event ("... ұсынылғаннан кейін
5 жұмыс күннің ішінде", «по итогам проверки») are recognised by
:mod:`scheduler.plan.event_phrases` and carry no date.

Every word of a phrase must be understood: anything left over raises :class:`PhraseError`
instead of being skipped, so a phrase the grammar cannot read is never silently guessed.
Matching runs on the folded text (see :mod:`scheduler.plan.textmatch`); the spans returned are
cut from the original phrase.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scheduler.plan.event_phrases import DateNotEvent, read_event
from scheduler.plan.model import (
    AnyReading,
    BeforeDateDeadline,
    CompositeDeadline,
    CompositePart,
    DateDeadline,
    EventDeadline,
    Frequency,
    MonthDay,
    OngoingDeadline,
    PeriodEndDeadline,
    PeriodUnit,
    Reading,
    RecurringDayDeadline,
    RecurringDeadline,
    SimpleReading,
    period_end,
)
from scheduler.plan.problems import PlanProblem
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

# Russian month stems, each followed by the endings of its cases; "март" is looked up before
# "ма" (май), which is a prefix of it.
RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_RU_MONTH = (
    "(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ем|ём)"
    "|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем)"
)

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

# English month names and their abbreviations, as folded text has them: its Latin «i» is the
# Kazakh «і» there (``scheduler.plan.textmatch``), so the patterns below are written with it.
EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "aprіl": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
EN_SHORT_MONTHS = {name[:3]: number for name, number in EN_MONTHS.items()} | {"sept": 9}
_EN_MONTH = "|".join(
    sorted([*EN_MONTHS, *(f"{short}\\.?" for short in EN_SHORT_MONTHS)], key=len, reverse=True)
)
_EN_ORDINAL = r"(?:st|nd|rd|th)?"

_ORDINAL = r"(?:-?(?:інші|ыншы|нші|ншы|ші|шы))?"
# A day of the month written without its month: "5-күніне", "10-ына", "25-іне", "5-інен".
_DAY_SUFFIX = (
    r"(?:[\s-]?күн(?:іне|інен|і|ге|нен)|-?(?:[ыі]на|[ыі]не|сына|сіне|[ыі]нан|[ыі]нен|сынан|сінен))"
)
_END = r"(?!\w)"


class PhraseError(Exception):
    """A phrase the grammar cannot read: ``problem`` says which words and why, by its code;
    ``message`` in English."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.problem = PlanProblem(code, params)
        self.message = self.problem.message
        super().__init__(self.message)


def _pattern(text: str) -> str:
    return text.replace(" ?", r"\s*").replace(" ", r"\s+")


_RECURRING = {
    "жыл сайын": Frequency.ANNUAL,
    "жылына (?:1|бір) рет": Frequency.ANNUAL,
    "(?:(?:1|бір) )?жылда (?:1|бір) рет": Frequency.ANNUAL,
    "жылына (?:2|екі) рет": Frequency.TWICE_A_YEAR,
    "жарты ?жыл(?:дық)? сайын": Frequency.TWICE_A_YEAR,
    "жарты ?жылда(?:ғы)? (?:1|бір) рет": Frequency.TWICE_A_YEAR,
    "жылына (?:4|төрт) рет": Frequency.QUARTERLY,
    "тоқсан сайын": Frequency.QUARTERLY,
    "тоқсанына (?:1|бір) рет": Frequency.QUARTERLY,
    "ай сайын": Frequency.MONTHLY,
    "айына (?:1|бір) рет": Frequency.MONTHLY,
    "апта сайын": Frequency.WEEKLY,
    "аптасына (?:1|бір) рет": Frequency.WEEKLY,
    "ежегодно": Frequency.ANNUAL,
    "(?:(?:1|один) )?раз в год": Frequency.ANNUAL,
    "каждый год": Frequency.ANNUAL,
    "ежеполугодно": Frequency.TWICE_A_YEAR,
    "(?:2|два) раза в год": Frequency.TWICE_A_YEAR,
    "(?:(?:1|один) )?раз в полугодие": Frequency.TWICE_A_YEAR,
    "ежеквартально": Frequency.QUARTERLY,
    "(?:(?:1|один) )?раз в квартал": Frequency.QUARTERLY,
    "каждый квартал": Frequency.QUARTERLY,
    "ежемесячно": Frequency.MONTHLY,
    "(?:(?:1|один) )?раз в месяц": Frequency.MONTHLY,
    "каждый месяц": Frequency.MONTHLY,
    "еженедельно": Frequency.WEEKLY,
    "(?:(?:1|один) )?раз в неделю": Frequency.WEEKLY,
    "(?:annually|yearly|every year|each year|once a year)": Frequency.ANNUAL,
    "(?:twіce a year|every sіx months|semі-?annually|half-?yearly)": Frequency.TWICE_A_YEAR,
    "(?:quarterly|every quarter|each quarter|once a quarter)": Frequency.QUARTERLY,
    "(?:monthly|every month|each month|once a month)": Frequency.MONTHLY,
    "(?:weekly|every week|each week|once a week)": Frequency.WEEKLY,
}

_TOKEN_PATTERNS: list[tuple[str, str]] = [
    ("gap", r"[\s,.]+"),
    *((f"recur:{freq.value}", _pattern(p) + _END) for p, freq in _RECURRING.items()),
    (
        "ongoing",
        _pattern("(?:тұрақты(?: (?:түрде|негізде))?|постоянно|на постоянной основе)") + _END,
    ),
    (
        "ongoing",
        _pattern("(?:ongoіng|contіnuously|permanently|on an ongoіng basіs)") + _END,
    ),
    (
        "after_day",
        _pattern(
            r"(?:есепті (?:кезең|тоқсан|ай|жыл|жарты ?жылдық)\w* кейінгі|келесі) айдың "
            f"(\\d{{1,2}}){_ORDINAL}{_DAY_SUFFIX}?"
        )
        + _END,
    ),
    (
        "after_day",
        _pattern(
            r"(\d{1,2})(?:-?(?:го|е))? числа месяца ?, ?следующего за отч[её]тным"
            r"(?: (?:периодом|кварталом|месяцем|годом|полугодием))?"
        )
        + _END,
    ),
    ("year_end", _pattern("(?:жыл(?:дың)? )?соңына") + _END),
    ("year_end", _pattern("конц[аеу](?: года)?") + _END),
    (
        "after_day",
        _pattern(
            f"(?:the )?(\\d{{1,2}}){_EN_ORDINAL}(?: day)? of the month (?:followіng|after) "
            r"(?:the |each )?(?:reportіng )?(?:perіod|quarter|month|year|half-?year)"
        )
        + _END,
    ),
    ("year_end", _pattern("(?:the )?(?:end of(?: the year)?|year-?end)") + _END),
    ("half", _pattern(f"(бірінші|екінші|[12]|і{{1,2}}){_ORDINAL} жарты ?жылды[қғ]\\w*") + _END),
    (
        "half",
        _pattern(
            r"(первое|первом|первого|второе|втором|второго|[12]|і{1,2})(?:-?(?:е|м|го|ое))? "
            r"полугоди\w*"
        )
        + _END,
    ),
    (
        "half",
        _pattern("(fіrst|second|1st|2nd|[12]) half(?:[ -]year)?(?: of)?") + _END,
    ),
    ("half", r"h([12])" + _END),
    ("quarter", r"q([1-4])" + _END),
    (
        "quarter",
        _pattern("(fіrst|second|thіrd|fourth|1st|2nd|3rd|4th|[1-4]) quarter(?: of)?") + _END,
    ),
    ("quarter", _pattern(f"(іv|іу|і{{1,3}}|[1-4]){_ORDINAL} тоқсан\\w*") + _END),
    ("quarter", _pattern(r"(іv|іу|і{1,3}|[1-4])(?:-?(?:й|го|м|ом))? квартал\w*") + _END),
    ("isodate", r"(\d{4})-(\d{2})-(\d{2})(?!\d)"),
    (
        "numdate",
        r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:ж\.|жыл\w*|ж(?!\w)|г\.|года|году|г(?!\w)))?"
        + r"(?!\d)",
    ),
    (
        "date",
        _pattern(f"(\\d{{1,2}}){_ORDINAL} ({'|'.join(MONTHS)})(?:{'|'.join(_MONTH_SUFFIXES)})?")
        + _END,
    ),
    ("ru_date", _pattern(f"(\\d{{1,2}})(?:-?(?:го|е|ое))? ({_RU_MONTH})") + _END),
    ("en_date", _pattern(f"(\\d{{1,2}}){_EN_ORDINAL} (?:of )?({_EN_MONTH})") + _END),
    ("en_date_m", _pattern(f"({_EN_MONTH}) (\\d{{1,2}}){_EN_ORDINAL}") + r"(?![\w.])"),
    ("en_month", f"({_EN_MONTH})" + _END),
    ("month", f"({'|'.join(MONTHS)})(?:{'|'.join(_MONTH_SUFFIXES)})?" + _END),
    ("ru_month", f"({_RU_MONTH})" + _END),
    ("month_day", f"(\\d{{1,2}}){_ORDINAL}{_DAY_SUFFIX}" + _END),
    ("month_day", _pattern(r"(\d{1,2})(?:-?го)? числа") + _END),
    ("month_day", _pattern("(?:the )?(\\d{1,2})(?:st|nd|rd|th)(?: day)?") + _END),
    (
        "year",
        _pattern(
            r"(\d{4}) ?(?:ж\.|жылғы|жылдың|жылы|жыл(?!\s*соң)|ж(?!\w)"
            r"|года|году|год(?!\w)|гг\.|г\.|г(?!\w))?"
        )
        + r"(?!\d)",
    ),
    (
        "current_year",
        _pattern("(?:ағымдағы жыл(?:дың|ғы|ы)?|текущего года|текущем году)") + _END,
    ),
    ("current_year", _pattern("(?:of )?(?:the current year|thіs year)") + _END),
    ("before", _pattern("(?:дейін|до|before|untіl|tіll|prіor to)") + _END),
    (
        "nolater",
        _pattern("(?:кешіктірмей|не позднее|не позже|no later than|not later than)") + _END,
    ),
    ("and", "(?:және|и|and)" + _END),
    ("filler", _pattern("(?:в срок|срок|в|во|к|ко|by|on|іn|the|of|due)") + _END),
    ("unsupported", r"(?:бастап|ішінде|from|wіthіn)" + _END),
]
_TOKENS = [(name, re.compile(pattern)) for name, pattern in _TOKEN_PATTERNS]
_DATES = ("date", "ru_date", "numdate", "isodate", "en_date", "en_date_m")
# The dates that carry their own year.
_DATED = ("numdate", "isodate")
_ANCHORS = ("half", "quarter", "year_end", "month", "ru_month", "en_month", *_DATES)


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
                        "phrase.unsupported", words=folded.original(m.start(), m.end())
                    )
                if name not in ("gap", "filler"):
                    tokens.append(_Token(name, m))
                pos = m.end()
                break
        else:
            word = re.match(r"\S+", text[pos:])
            end = pos + (word.end() if word else 1)
            raise PhraseError("phrase.unreadable", words=folded.original(pos, end))
    return tokens


def _roman_or_digit(value: str) -> int:
    table = {
        "і": 1,
        "іі": 2,
        "ііі": 3,
        "іv": 4,
        "іу": 4,
        "бірінші": 1,
        "екінші": 2,
        "первое": 1,
        "первом": 1,
        "первого": 1,
        "второе": 2,
        "втором": 2,
        "второго": 2,
        "fіrst": 1,
        "second": 2,
        "thіrd": 3,
        "fourth": 4,
        "1st": 1,
        "2nd": 2,
        "3rd": 3,
        "4th": 4,
    }
    return int(value) if value.isdigit() else table[value]


def _ru_month(word: str) -> int:
    for stem, number in RU_MONTHS.items():
        if word.startswith(stem) and not (stem == "ма" and word.startswith("март")):
            return number
    raise PhraseError("phrase.not_a_month", words=word)  # pragma: no cover - the regex allows none


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise PhraseError("phrase.no_such_day", day=f"{day:02d}.{month:02d}.{year}") from None


def _en_month(word: str) -> int:
    word = word.rstrip(".")
    return EN_MONTHS.get(word) or EN_SHORT_MONTHS[word]


def _month_of(token: _Token) -> int:
    if token.kind in ("date", "month"):
        return MONTHS[token.match.group(2 if token.kind == "date" else 1)]
    if token.kind in ("numdate", "isodate"):
        return int(token.match.group(2))
    if token.kind in ("en_date", "en_date_m", "en_month"):
        return _en_month(token.match.group(2 if token.kind == "en_date" else 1))
    return _ru_month(token.match.group(2 if token.kind == "ru_date" else 1))


def _date_of(token: _Token, year: int) -> dt.date:
    if token.kind == "numdate":
        year = int(token.match.group(3))
    if token.kind == "isodate":
        return _make_date(int(token.match.group(1)), _month_of(token), int(token.match.group(3)))
    day = token.match.group(2 if token.kind == "en_date_m" else 1)
    return _make_date(year, _month_of(token), int(day))


def _token_years(tokens: list[_Token]) -> set[int]:
    years = {int(t.match.group(1)) for t in tokens if t.kind in ("year", "isodate")}
    return years | {int(t.match.group(3)) for t in tokens if t.kind == "numdate"}


def _single_year(tokens: list[_Token], year_hint: int | None) -> int:
    years = _token_years(tokens)
    if len(years) > 1:
        raise PhraseError("phrase.several_years", years=", ".join(map(str, sorted(years))))
    if years:
        return years.pop()
    if year_hint is None:
        raise PhraseError("phrase.no_year")
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
            raise PhraseError("phrase.no_label", part=raw)
        label = folded.original(start + m.start(1), start + m.end(1))
        sub = folded.original(start + m.start(2), start + m.end(2))
        reading = parse_simple_deadline(sub, year_hint=year_hint, before_reading=before_reading)
        parts.append(CompositePart(label=label, deadline=reading))
        start = end + 1
    if sum(1 for p in parts if isinstance(p.deadline, EventDeadline)) > 1:
        raise PhraseError("phrase.several_events")
    return CompositeDeadline(phrase=phrase, parts=parts)


def parse_simple_deadline(
    phrase: str, *, year_hint: int | None = None, before_reading: Reading = Reading.EXCLUSIVE
) -> SimpleReading:
    """Read a deadline phrase that is not composite."""
    try:
        event = read_event(phrase)
    except DateNotEvent as exc:
        raise PhraseError("phrase.date_not_event", event=exc.event) from None
    if event is not None:
        return event
    folded = Folded(phrase)
    tokens = _tokenize(folded)
    if not tokens:
        raise PhraseError("phrase.empty")
    kinds = [t.kind for t in tokens]
    recurring = [t for t in tokens if t.kind.startswith("recur:")]
    if "and" in kinds and not recurring:
        raise PhraseError("phrase.unlabelled_dates")
    if "ongoing" in kinds:
        if len(tokens) != 1:
            raise PhraseError("phrase.ongoing_combined")
        return OngoingDeadline(phrase=phrase)
    if recurring:
        return _recurring(phrase, tokens, recurring, before_reading)
    anchors = [t for t in tokens if t.kind in _ANCHORS]
    if len(anchors) != 1:
        raise PhraseError("phrase.no_date" if not anchors else "phrase.several_dates")
    stray = [t for t in tokens if t.kind in ("after_day", "month_day")]
    if stray:
        raise PhraseError("phrase.day_needs_frequency")
    if kinds.count("before") > 1 or kinds.count("nolater") > 1:
        raise PhraseError("phrase.limit_repeated")
    if "before" in kinds and "nolater" in kinds:
        raise PhraseError("phrase.limits_contradict")
    year = _single_year(tokens, year_hint)
    anchor = anchors[0]
    if anchor.kind in _DATES:
        day = _date_of(anchor, year)
        if "before" in kinds:
            return BeforeDateDeadline(phrase=phrase, boundary=day, reading=before_reading)
        return DateDeadline(phrase=phrase, date=day)
    unit, index = _period_of(anchor)
    if "nolater" in kinds and unit is not PeriodUnit.QUARTER:
        raise PhraseError("phrase.no_later_needs_day")
    return PeriodEndDeadline(
        phrase=phrase, unit=unit, index=index, year=year, date=period_end(unit, index, year)
    )


def _period_of(anchor: _Token) -> tuple[PeriodUnit, int]:
    if anchor.kind == "year_end":
        return PeriodUnit.YEAR, 1
    if anchor.kind == "half":
        return PeriodUnit.HALF_YEAR, _roman_or_digit(anchor.match.group(1))
    if anchor.kind == "quarter":
        return PeriodUnit.QUARTER, _roman_or_digit(anchor.match.group(1))
    return PeriodUnit.MONTH, _month_of(anchor)


def _recurring(
    phrase: str, tokens: list[_Token], recurring: list[_Token], before_reading: Reading
) -> RecurringDeadline | RecurringDayDeadline:
    frequency = Frequency(recurring[0].kind.split(":", 1)[1])
    if len(recurring) > 1:
        raise PhraseError("phrase.several_frequencies")
    rest = [t for t in tokens if t not in recurring and t.kind not in ("and", "current_year")]
    if not rest:
        if len(tokens) > 1:
            raise PhraseError("phrase.frequency_alone")
        return RecurringDeadline(phrase=phrase, frequency=frequency)
    kinds = [t.kind for t in rest]
    core = [t for t in rest if t.kind not in ("before", "nolater")]
    limits = len(rest) - len(core)
    if len(core) == 1 and limits <= 1:
        token = core[0]
        before = "before" in kinds
        if frequency is Frequency.ANNUAL and token.kind in _DATES and not before:
            if token.kind in _DATED:
                raise PhraseError("phrase.yearly_day_with_year")
            day = _date_of(token, 2000)  # a leap year, so 29 February is a valid day of the year
            return RecurringDeadline(
                phrase=phrase, frequency=frequency, anchor=MonthDay(month=day.month, day=day.day)
            )
        if frequency is Frequency.ANNUAL and token.kind in ("quarter", "half", "year_end"):
            if before:
                raise PhraseError("phrase.before_period")
            unit, index = _period_of(token)
            last = period_end(unit, index, 2001)
            return RecurringDeadline(
                phrase=phrase, frequency=frequency, anchor=MonthDay(month=last.month, day=last.day)
            )
        monthly_day = token.kind == "month_day" and frequency is Frequency.MONTHLY
        if frequency is not Frequency.WEEKLY and (token.kind == "after_day" or monthly_day):
            return RecurringDayDeadline(
                phrase=phrase,
                frequency=frequency,
                day=_day_number(token),
                after_period=token.kind == "after_day",
                reading=before_reading if before else None,
            )
    raise PhraseError("phrase.recurring_shape")


def _day_number(token: _Token) -> int:
    day = int(token.match.group(1))
    if not 1 <= day <= 31:
        raise PhraseError("phrase.no_day_in_month", day=day)
    return day


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
    # Days and months in any of the grammar's languages, and years; nothing else.
    stray = [t for t in tokens if t.kind not in ("year", "and", *_DATES)]
    if stray:
        t = stray[0]
        raise PhraseError(
            "phrase.not_a_report_date", words=folded.original(t.match.start(), t.match.end())
        )
    dates = [t for t in tokens if t.kind in _DATES]
    if not dates:
        raise PhraseError("phrase.no_report_day")
    years = [t for t in tokens if t.kind == "year"]
    current: int | None = int(years[0].match.group(1)) if years else year_hint
    if current is None and not all(t.kind in _DATED for t in dates):
        raise PhraseError("phrase.report_no_year")
    result: list[DateSpan] = []
    for token in tokens:
        if token.kind == "year":
            current = int(token.match.group(1))
        elif token.kind in _DATES:
            span = folded.original(token.match.start(), token.match.end())
            result.append(DateSpan(span=span, date=_date_of(token, current or 1)))
    return result


def years_in(phrase: str) -> set[int]:
    """The four-digit years a phrase names, for lending a year to a phrase without one."""
    return {int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", phrase)}


def parse_day(text: str, *, year_hint: int | None = None) -> dt.date:
    """One day typed by a person: ISO (2024-03-05), DD.MM.YYYY or a phrase of this grammar."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PhraseError("phrase.no_such_day", day=value) from None
    reading = parse_simple_deadline(value, year_hint=year_hint, before_reading=Reading.INCLUSIVE)
    if isinstance(reading, DateDeadline):
        return reading.date
    if isinstance(reading, BeforeDateDeadline):
        raise PhraseError("phrase.day_not_before")
    raise PhraseError("phrase.day_needed")


def _day_of(words: list[str], year_hint: int | None) -> dt.date | None:
    try:
        return parse_day(" ".join(words).rstrip(",;:—-"), year_hint=year_hint)
    except PhraseError:
        return None


def split_day(text: str, *, year_hint: int | None = None) -> tuple[dt.date | None, str]:
    """A day typed at the start of ``text``, and the rest: «15.07.2016 Жобаны пысықтау».

    The longest run of leading words (up to six) that reads as one day wins; with none,
    the day is None and the whole text is the rest. A Latin word the grammar would let the
    day swallow («15.07.2016 the draft …») goes back to the rest when the day is the same
    without it.
    """
    words = text.split()
    for count in range(min(6, len(words)), 0, -1):
        day = _day_of(words[:count], year_hint)
        if day is None:
            continue
        while count > 1 and words[count - 1].isascii() and words[count - 1].isalpha():
            if _day_of(words[: count - 1], year_hint) != day:
                break
            count -= 1
        rest = text.strip()
        for word in words[:count]:
            rest = rest[rest.index(word) + len(word) :]
        return day, rest.strip(" \t\n,;:—-")
    return None, text.strip()
