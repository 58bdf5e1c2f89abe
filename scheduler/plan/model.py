"""The action plan as data: pydantic models whose JSON Schema is ``data/plan.schema.json``.

Everything the decree says is kept verbatim (Kazakh, exactly as written); each deadline and
reporting phrase is kept next to its structured reading. Russian and English texts are optional
and say where they come from (``official`` for a text published with the act, ``translation``
for our own rendering), so a reader never mistakes a translation for the decree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextSource(enum.StrEnum):
    """Where a non-Kazakh text comes from."""

    OFFICIAL = "official"
    TRANSLATION = "translation"


class LocalizedText(_Model):
    """A text in Russian or English, marked with its origin."""

    text: Annotated[str, Field(min_length=1)]
    source: TextSource


class Names(_Model):
    """A name or title: ``kk`` is the plan's own text verbatim, Russian and English optional.

    The plan's own text is Kazakh in the decree; a plan written in Russian alone keeps its
    Russian text in ``kk`` as well as, marked official, in ``ru``.
    """

    kk: Annotated[str, Field(min_length=1)]
    ru: LocalizedText | None = None
    en: LocalizedText | None = None

    def in_language(self, language: str) -> str:
        """The text in ``language`` (kk, ru or en), falling back to Kazakh."""
        other = {"ru": self.ru, "en": self.en}.get(language)
        return other.text if other is not None else self.kk


class Period(_Model):
    """The years the plan covers, both ends inclusive."""

    start: dt.date
    end: dt.date


class ActKind(enum.StrEnum):
    """The kind of the approving act, named after its Kazakh term in ``Act.kind_kk``."""

    ORDER = "order"  # өкім
    RESOLUTION = "resolution"  # қаулы
    DECREE = "decree"  # жарлық
    MINISTERIAL_ORDER = "ministerial_order"  # бұйрық


class Act(_Model):
    """The act that approves the plan. Number and date are null when the text omits them."""

    kind: ActKind
    kind_kk: str
    issuer: str
    signatory: str
    code: str | None = None
    number: str | None = None
    date: dt.date | None = None


class Controller(_Model):
    """The official put in control of the execution of the act."""

    name: str
    position: Names


class Section(_Model):
    number: Annotated[int, Field(ge=1)]
    title: Annotated[str, Field(min_length=1)]


class Abbreviations(_Model):
    """An agency's code as Russian and English readers write it («МКС», «MCS»).

    The glossary's code is Kazakh («МСМ»); the bot shows these to readers of those languages
    and accepts all of them wherever a code is typed.
    """

    ru: LocalizedText | None = None
    en: LocalizedText | None = None


class Agency(_Model):
    """One line of the decree's glossary of abbreviations."""

    code: Annotated[str, Field(min_length=1)]
    name: Names
    abbreviations: Abbreviations = Abbreviations()

    def code_in(self, language: str) -> str:
        """The code in ``language`` (kk, ru or en), falling back to the glossary's own."""
        other = {"ru": self.abbreviations.ru, "en": self.abbreviations.en}.get(language)
        return other.text if other is not None else self.code


class Reading(enum.StrEnum):
    """How "before <date>" (дейін) is read: the boundary day itself excluded or included."""

    EXCLUSIVE = "exclusive"
    INCLUSIVE = "inclusive"


class Frequency(enum.StrEnum):
    ANNUAL = "annual"
    TWICE_A_YEAR = "twice_a_year"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class PeriodUnit(enum.StrEnum):
    YEAR = "year"
    HALF_YEAR = "half_year"
    QUARTER = "quarter"
    MONTH = "month"


def period_end(unit: PeriodUnit, index: int, year: int) -> dt.date:
    """The last day of the ``index``-th year, half-year, quarter or month of ``year``."""
    months_per = {
        PeriodUnit.YEAR: 12,
        PeriodUnit.HALF_YEAR: 6,
        PeriodUnit.QUARTER: 3,
        PeriodUnit.MONTH: 1,
    }
    month = index * months_per[unit]
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class DateDeadline(_Model):
    """A day by which the task is done, that day included."""

    kind: Literal["date"] = "date"
    phrase: str
    date: dt.date

    def due(self) -> dt.date:
        return self.date


class BeforeDateDeadline(_Model):
    """ "Before <boundary>" (дейін); ``reading`` says whether the boundary day still counts."""

    kind: Literal["before_date"] = "before_date"
    phrase: str
    boundary: dt.date
    reading: Reading

    def due(self) -> dt.date:
        """The last day on which the task is on time under the reading kept with it."""
        if self.reading is Reading.EXCLUSIVE:
            return self.boundary - dt.timedelta(days=1)
        return self.boundary


class PeriodEndDeadline(_Model):
    """The end of a year, half-year, quarter or month; ``date`` is that period's last day."""

    kind: Literal["period_end"] = "period_end"
    phrase: str
    unit: PeriodUnit
    index: Annotated[int, Field(ge=1, le=12)]
    year: int
    date: dt.date

    def due(self) -> dt.date:
        return self.date


class MonthDay(_Model):
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]


class RecurringDeadline(_Model):
    """A task repeated every period; ``anchor`` fixes the day in the year for annual ones."""

    kind: Literal["recurring"] = "recurring"
    phrase: str
    frequency: Frequency
    anchor: MonthDay | None = None


class RecurringDayDeadline(_Model):
    """A task repeated every period and due on a numbered day of a month.

    With ``after_period`` the month is the one after each period ends ("есепті кезеңнен кейінгі
    айдың 5-күніне", «до 5 числа месяца, следующего за отчетным»); without it, each period's own
    last month (monthly tasks only: "ай сайын 25-іне"). ``reading`` is set when the phrase says
    "before" that day (дейін, до) and tells whether the day itself still counts.
    """

    kind: Literal["recurring_day"] = "recurring_day"
    phrase: str
    frequency: Frequency
    day: Annotated[int, Field(ge=1, le=31)]
    after_period: bool
    reading: Reading | None = None

    @model_validator(mode="after")
    def _monthly_or_longer(self) -> RecurringDayDeadline:
        if self.frequency is Frequency.WEEKLY:
            raise ValueError("a day of the month cannot recur every week")
        return self

    def due_for(self, period_last_day: dt.date) -> dt.date:
        """The day this task is due for the period that ends on ``period_last_day``."""
        year, month = period_last_day.year, period_last_day.month
        if self.after_period:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = dt.date(year, month, min(self.day, calendar.monthrange(year, month)[1]))
        if self.reading is Reading.EXCLUSIVE:
            return day - dt.timedelta(days=1)
        return day


class OngoingDeadline(_Model):
    """Continuous work with no due date of its own (тұрақты, тұрақты түрде)."""

    kind: Literal["ongoing"] = "ongoing"
    phrase: str


class EventDeadline(_Model):
    """Due some days after an event the plan names but cannot date.

    "Талдау нәтижелері ұсынылғаннан кейін 5 жұмыс күннің ішінде", «по итогам проверки»,
    "Шығу кезінде": ``event`` is the words naming the event as written, ``days`` the allowance
    after it (0: the event's own day), counted in working days or in calendar days. Until
    ``event_date`` is recorded the task has no control point of its own.
    """

    kind: Literal["event"] = "event"
    phrase: str
    event: Annotated[str, Field(min_length=1)]
    days: Annotated[int, Field(ge=0, le=366)] = 0
    working_days: bool = True
    event_date: dt.date | None = None


class UnreadDeadline(_Model):
    """A deadline phrase the grammar could not read, kept as written when the import allowed it.

    It gives no control point until an administrator sets the deadline.
    """

    kind: Literal["unread"] = "unread"
    phrase: str


# The readings of a single deadline phrase; a composite deadline is made of them.
SimpleReading = (
    DateDeadline
    | BeforeDateDeadline
    | PeriodEndDeadline
    | RecurringDeadline
    | RecurringDayDeadline
    | OngoingDeadline
    | EventDeadline
)
SimpleDeadline = Annotated[SimpleReading, Field(discriminator="kind")]


class CompositePart(_Model):
    """One labelled stage of a composite deadline, e.g. "дайындық" (preparation)."""

    label: Annotated[str, Field(min_length=1)]
    deadline: SimpleDeadline


class CompositeDeadline(_Model):
    kind: Literal["composite"] = "composite"
    phrase: str
    parts: Annotated[list[CompositePart], Field(min_length=1)]


# What the grammar reads a deadline phrase as.
AnyReading = SimpleReading | CompositeDeadline
Deadline = Annotated[
    SimpleReading | UnreadDeadline | CompositeDeadline, Field(discriminator="kind")
]


def deadline_years(deadline: AnyReading | UnreadDeadline) -> set[int]:
    """The years a deadline names outright (a date, a period's end, a boundary)."""
    if deadline.kind == "composite":
        return {y for part in deadline.parts for y in deadline_years(part.deadline)}
    if deadline.kind in ("date", "period_end"):
        return {deadline.due().year}
    if deadline.kind == "before_date":
        return {deadline.boundary.year}
    return set()


class ResponsibleAgency(_Model):
    """An executor; the first one leads, "(жинақтау)" marks the one who consolidates."""

    code: str
    lead: bool
    consolidator: bool


class ReportDate(_Model):
    """A reporting date; ``phrase`` is the whole date expression and ``span`` this day in it."""

    phrase: str
    span: str
    date: dt.date


class FormOfCompletion(_Model):
    """What the task produces and how it is reported.

    ``recipient`` is the agency reported to and ``report`` the document sent (e.g. ақпарат);
    with no ``report_dates`` the report is due with the deadline itself.
    """

    raw: str
    deliverables: list[str]
    recipient: str | None = None
    report: str | None = None
    report_dates: list[ReportDate] = []


class Funding(_Model):
    raw: str
    required: bool
    programmes: list[Annotated[str, Field(pattern=r"^\d{3}$")]]


class TaskTitles(_Model):
    """Short titles of a task; the Kazakh one is the task text itself."""

    ru: LocalizedText | None = None
    en: LocalizedText | None = None


class Task(_Model):
    number: Annotated[int, Field(ge=1)]
    section: Annotated[int, Field(ge=1)]
    text: Annotated[str, Field(min_length=1)]
    deadline: Deadline
    responsible: Annotated[list[ResponsibleAgency], Field(min_length=1)]
    form: FormOfCompletion
    control: list[str]
    funding: Funding
    short_title: TaskTitles = TaskTitles()

    def title(self, language: str) -> str:
        """The short title in ``language``, or the Kazakh task text when there is none."""
        other = {"ru": self.short_title.ru, "en": self.short_title.en}.get(language)
        return other.text if other is not None else self.text

    @property
    def lead(self) -> str:
        return self.responsible[0].code

    @property
    def consolidator(self) -> str | None:
        return next((r.code for r in self.responsible if r.consolidator), None)


class Plan(_Model):
    """A whole action plan: metadata, sections, the agencies' glossary and the tasks.

    ``act`` and ``controller`` are null for a plan imported from a table alone, which names
    neither.
    """

    format_version: Literal[1] = 1
    title: Names
    period: Period
    timezone: str = "Asia/Almaty"
    act: Act | None
    controller: Controller | None
    sections: list[Section]
    agencies: list[Agency]
    tasks: list[Task]

    def agency_codes(self) -> list[str]:
        return [agency.code for agency in self.agencies]

    def control_departments(self) -> list[str]:
        """The departments the tasks' "control" column names, in the order they first appear."""
        return list(dict.fromkeys(code for task in self.tasks for code in task.control))

    def agency(self, code: str) -> Agency:
        for agency in self.agencies:
            if agency.code == code:
                return agency
        raise KeyError(code)

    def event_tasks(self) -> list[Task]:
        """The tasks whose deadline (or a part of it) follows an event."""
        return [t for t in self.tasks if event_readings(t.deadline)]

    def unread_tasks(self) -> list[Task]:
        """The tasks whose deadline phrase the importer kept unread."""
        return [t for t in self.tasks if t.deadline.kind == "unread"]

    def task(self, number: int) -> Task:
        for task in self.tasks:
            if task.number == number:
                return task
        raise KeyError(number)


def event_readings(deadline: Deadline) -> list[EventDeadline]:
    """The event-relative readings of a deadline: itself, or its composite parts."""
    if isinstance(deadline, CompositeDeadline):
        return [p.deadline for p in deadline.parts if isinstance(p.deadline, EventDeadline)]
    return [deadline] if isinstance(deadline, EventDeadline) else []
