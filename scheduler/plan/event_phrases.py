"""Deadlines relative to an event: recognised by their shape, never given an invented date.

Plans write such deadlines as "Талдау нәтижелері ұсынылғаннан кейін 5 жұмыс күннің ішінде"
(within 5 working days after the results are presented), "Шығу кезінде" (on leaving),
"тексеру нәтижелері бойынша", "қажеттілігіне қарай", «в течение 10 рабочих дней после
получения запроса», «по итогам проверки», «при увольнении». A phrase reads as event-relative
when it has one of these shapes: the words that name the event (with the word that ties them to
it) are kept as written, and the allowance after it, when the phrase gives one, as a number of
working or calendar days. Words that name a date instead («после 1 марта 2016 года») are
refused, since the deadline is then a date and must be written as one.
"""

from __future__ import annotations

import re

from scheduler.plan.model import EventDeadline
from scheduler.plan.textmatch import Folded

_KK_DAYS = (
    r"(?P<n>\d{1,3})\s+(?:(?P<cal>күнтізбелік|календарлық)\s+)?(?P<work>жұмыс\s+)?"
    r"(?:күн\w*|тәулік\w*)\s+(?:ішінде|аралығында|кешіктірмей|ішінен)"
)
_RU_DAYS = (
    r"(?:в\s+течение|не\s+позднее|не\s+позже|в\s+срок\s+до|до)\s+(?P<n>\d{1,3})(?:-?(?:х|ти|и))?\s+"
    r"(?:(?P<work>рабоч\w+)\s+|(?P<cal>календарн\w+)\s+)?(?:дн\w+|сут\w+)"
)
_RU_TIES = (
    r"(?:по\s+итогам|по\s+результатам|по\s+завершении|по\s+окончании|после|при|по\s+мере"
    r"|в\s+случае|по\s+факту|в\s+день)"
)
_SHAPES = [
    re.compile(rf"(?P<event>.+?\s+кейін)(?:\s*,?\s*{_KK_DAYS})?"),
    re.compile(rf"(?P<event>.+?\s+(?:күннен|күнінен|сәттен|сәтінен)\s+бастап)\s*,?\s*{_KK_DAYS}"),
    re.compile(r"(?P<event>.+?\s+(?:кезінде|кезде|сәтте|сәтінде|бойынша|қарай|жағдайда))"),
    re.compile(rf"{_RU_DAYS}\s+(?P<event>(?:после|с\s+момента|со\s+дня|с\s+даты|от\s+даты)\s+.+)"),
    re.compile(rf"(?P<event>{_RU_TIES}\s+.+?)(?:\s*,?\s*{_RU_DAYS})?"),
]
# Words in an event's name that make it a date, not an event.
_DATE_WORDS = re.compile(
    r"\d|(?<!\w)(?:қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша"
    r"|желтоқсан|январ|феврал|март|апрел|мая|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|тоқсан|квартал|жартыжылды|полугоди)"
)


class DateNotEvent(ValueError):
    """The phrase has an event's shape but names a date: ``event`` is the words that do."""

    def __init__(self, event: str) -> None:
        super().__init__(f"«{event}» is relative to a date, not to an event")
        self.event = event


def read_event(phrase: str) -> EventDeadline | None:
    """The event-relative reading of ``phrase``, or None when it does not have that shape."""
    folded = Folded(phrase)
    text = folded.text.rstrip(" .")
    lead = len(text) - len(text.lstrip())
    for shape in _SHAPES:
        m = shape.fullmatch(text, lead)
        if m is None:
            continue
        event = folded.original(m.start("event"), m.end("event")).strip()
        if _DATE_WORDS.search(m.group("event")):
            raise DateNotEvent(event)
        found = m.groupdict()
        days = int(found["n"]) if found.get("n") else 0
        # "5 күн ішінде", «5 дней»: calendar days; only "жұмыс", «рабочих» makes them working.
        working = bool(found.get("work")) if days else True
        return EventDeadline(phrase=phrase, event=event, days=days, working_days=working)
    return None
