"""Importer: the text of a decree that approves an action plan, turned into a :class:`Plan`.

The text has three parts, found by their shape rather than by anything this plan says:

* the preamble: numbered paragraphs (the plan's title in paragraph 1, "Қоса беріліп отырған
  ... бекітілсін"; the controller in the paragraph "... бақылау ... жүктелсін"), then the
  signature block ending with the signatory's name;
* the table: lines whose content follows a tab. "N. TITLE" opens a section; "N." alone opens a
  task, followed by exactly six cells, one a line: text, deadline, responsible agencies, form of
  completion, control, funding;
* the glossary after "Ескерту: аббревиатуралардың жазылуы:", one "CODE – name" a line.

Agency codes are whatever the glossary defines. Every failure raises :class:`DecreeImportError`
naming the line, the cell and the phrase; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError

from scheduler.plan.kazakh_dates import (
    PhraseError,
    parse_deadline,
    parse_report_dates,
    years_in,
)
from scheduler.plan.model import (
    Abbreviations,
    Act,
    ActKind,
    Agency,
    AnyReading,
    Controller,
    FormOfCompletion,
    Funding,
    Names,
    Period,
    Plan,
    Reading,
    ReportDate,
    ResponsibleAgency,
    Section,
    Task,
    TaskTitles,
    deadline_years,
)
from scheduler.plan.problems import PlanProblem
from scheduler.plan.textmatch import Folded, fold
from scheduler.plan.translations import Translations
from scheduler.plan.validation import first_error, validate

CELLS = ("text", "deadline", "responsible", "form", "control", "funding")

_ACT_KINDS = {
    "өкім": ActKind.ORDER,
    "қаулы": ActKind.RESOLUTION,
    "жарлық": ActKind.DECREE,
    "бұйрық": ActKind.MINISTERIAL_ORDER,
}
_GLOSSARY_HEADER = re.compile(r"\s*ескерту\s*:\s*аббревиатура\w*\s+жазылу\w*\s*:?\s*")
_NAME = r"(?:[^\W\d_]\.\s*){1,3}[^\W\d_][\w-]*"
_CONTROLLER = re.compile(
    rf"бақылау\s+(?P<position>.+?)\s+(?P<name>{_NAME}?)(?:ға|ге|қа|ке)\s+жүктелсін", re.DOTALL
)
_SIGNATURE = re.compile(rf"(?P<head>.*?)(?:\s{{2,}}|^)(?P<name>{_NAME})\s*$")
_PARAGRAPH = re.compile(r"\s*(?:\[bookmark:[^\]]*\])?\s*\d+[.)]\s")
_RECIPIENT = re.compile(r"(?:^|(?<=[\s,]))(?P<code>[^\s,;]+?)-(?:ға|ге|қа|ке|на|не)(?!\w)")
_CONSOLIDATOR = re.compile(r"(?P<code>[^\s()]+)\s*(?:\(\s*(?P<note>[^)]*?)\s*\))?")

T = TypeVar("T")


class DecreeImportError(Exception):
    """The decree cannot be imported; ``problem`` says why by its code and names the place
    (line, task and cell, phrase); ``message`` is the English of the reason alone."""

    def __init__(self, problem: PlanProblem) -> None:
        self.problem = problem
        super().__init__(str(self))

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def line(self) -> int | None:
        return self.problem.line

    @property
    def phrase(self) -> str | None:
        return self.problem.phrase

    def __str__(self) -> str:
        return self.problem.english()


def _error(
    code: str,
    /,
    *,
    line: int | None = None,
    phrase: str | None = None,
    cause: PlanProblem | None = None,
    **params: object,
) -> DecreeImportError:
    return DecreeImportError(PlanProblem(code, params, cause=cause, line=line, phrase=phrase))


@dataclass
class ImportResult:
    """The imported plan and what the importer noticed but did not refuse."""

    plan: Plan
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    text: str


@dataclass
class _RawTask:
    number: int
    section: int
    line: int
    cells: list[_Line]


def import_decree(
    text: str,
    *,
    translations: Translations | None = None,
    before_reading: Reading = Reading.EXCLUSIVE,
) -> ImportResult:
    """Parse a decree's text into a plan and merge the translations sidecar into it."""
    lines = [_Line(i, raw.rstrip("\r")) for i, raw in enumerate(text.split("\n"), start=1)]
    glossary_at = next((ln for ln in lines if _GLOSSARY_HEADER.fullmatch(fold(ln.text))), None)
    if glossary_at is None:
        raise _error("decree.no_glossary")
    table_at = next((ln for ln in lines if _is_cell(ln.text)), None)
    if table_at is None or table_at.number > glossary_at.number:
        raise _error("decree.no_table")
    preamble = lines[: table_at.number - 1]
    table = lines[table_at.number - 1 : glossary_at.number - 1]
    agencies = _parse_glossary(lines[glossary_at.number :])
    codes = {fold(a.code): a.code for a in agencies}
    sections, raw_tasks = _parse_table(table)
    title, period, act, controller = _parse_preamble(preamble)
    sidecar = translations or Translations()
    warnings: list[str] = []
    tasks = [_build_task(raw, codes, period, before_reading) for raw in raw_tasks]
    plan = _construct(
        lambda: Plan(
            title=_names(title, sidecar.title.localized("ru"), sidecar.title.localized("en")),
            period=period,
            act=act.model_copy(
                update={
                    "code": sidecar.act.code,
                    "number": sidecar.act.number,
                    "date": sidecar.act.date,
                }
            ),
            controller=controller.model_copy(
                update={
                    "position": _names(
                        controller.position.kk,
                        sidecar.controller_position.localized("ru"),
                        sidecar.controller_position.localized("en"),
                    )
                }
            ),
            sections=sections,
            agencies=agencies,
            tasks=tasks,
        ),
        None,
        None,
    )
    plan = _merge_translations(plan, sidecar, warnings)
    problems = validate(plan.model_dump(mode="json"))
    if problems:
        raise _error(
            "decree.invalid_plan",
            problems="; ".join(str(p) for p in problems),
            cause=problems[0],
        )
    return ImportResult(plan=plan, warnings=warnings)


def _names(kk: str, ru: object, en: object) -> Names:
    return Names.model_validate({"kk": kk, "ru": ru, "en": en})


def _construct(build: Callable[[], T], line: int | None, task: int | None) -> T:
    try:
        return build()
    except ValidationError as exc:
        raise DecreeImportError(first_error(exc).at(line=line, task=task)) from None


def _is_cell(text: str) -> bool:
    return "\t" in text and not text.split("\t", 1)[0].strip(" \u00a0")


def _cell_text(text: str) -> str:
    return text.split("\t", 1)[1].strip()


def _is_blank(text: str) -> bool:
    return "\t" not in text and not text.strip()


# --- glossary ---------------------------------------------------------------------------------


def _parse_glossary(lines: Sequence[_Line]) -> list[Agency]:
    agencies: list[Agency] = []
    seen: dict[str, int] = {}
    for ln in lines:
        if not ln.text.strip():
            continue
        folded = Folded(ln.text)
        m = re.fullmatch(r"\s*([^\s-]+?)\s*-\s*(\S.*?)\s*", folded.text)
        if m is None:
            raise _error("decree.glossary_line", line=ln.number, phrase=ln.text.strip())
        code = folded.original(m.start(1), m.end(1))
        name = folded.original(m.start(2), m.end(2))
        key = fold(code)
        if key in seen:
            raise _error("decree.code_twice", line=ln.number, code=code, first=seen[key])
        seen[key] = ln.number
        agencies.append(Agency(code=code, name=Names(kk=name)))
    if not agencies:
        raise _error("decree.no_codes")
    return agencies


# --- table ------------------------------------------------------------------------------------


def _parse_table(lines: Sequence[_Line]) -> tuple[list[Section], list[_RawTask]]:
    sections: list[Section] = []
    tasks: list[_RawTask] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if _is_blank(ln.text):
            i += 1
            continue
        if not _is_cell(ln.text):
            raise _error("decree.stray_text", line=ln.number, phrase=ln.text.strip())
        content = _cell_text(ln.text)
        number_only = re.fullmatch(r"(\d+)\.?", content)
        heading = re.fullmatch(r"(\d+)\.\s+(\S.*)", content, flags=re.DOTALL)
        if number_only:
            if not sections:
                raise _error("decree.task_before_section", line=ln.number)
            cells = lines[i + 1 : i + 1 + len(CELLS)]
            number = int(number_only.group(1))
            for k, cell in enumerate(cells):
                if not _is_cell(cell.text):
                    raise _error(
                        "decree.cell_missing",
                        line=cell.number,
                        number=number,
                        count=k,
                        expected=len(CELLS),
                        cell=CELLS[k],
                    )
            if len(cells) < len(CELLS):
                raise _error(
                    "decree.cells_count",
                    line=ln.number,
                    number=number,
                    count=len(cells),
                    expected=len(CELLS),
                )
            after = i + 1 + len(CELLS)
            if after < len(lines) and not _is_blank(lines[after].text):
                nxt = lines[after]
                if not (_is_cell(nxt.text) and re.fullmatch(r"\d+\..*", _cell_text(nxt.text))):
                    raise _error(
                        "decree.too_many_cells",
                        line=nxt.number,
                        phrase=nxt.text.strip(),
                        number=number,
                        expected=len(CELLS),
                    )
            tasks.append(_RawTask(number, sections[-1].number, ln.number, list(cells)))
            i = after
        elif heading:
            title = heading.group(2).strip()
            sections.append(Section(number=max(int(heading.group(1)), 1), title=title))
            i += 1
        else:
            raise _error("decree.expected_heading", line=ln.number, phrase=content)
    if not tasks:
        raise _error("decree.no_tasks")
    return sections, tasks


def _build_task(
    raw: _RawTask, codes: dict[str, str], period: Period, before_reading: Reading
) -> Task:
    cells = {name: cell for name, cell in zip(CELLS, raw.cells, strict=True)}
    values = {name: _cell_text(cell.text) for name, cell in cells.items()}
    for name in ("text", "deadline", "responsible"):
        if not values[name]:
            problem = PlanProblem("decree.empty_cell")
            at = {"line": cells[name].number, "task": raw.number, "cell": name}
            raise DecreeImportError(problem.at(**at))

    def fail(name: str, problem: PlanProblem, phrase: str | None = None) -> DecreeImportError:
        return DecreeImportError(
            problem.at(
                line=cells[name].number,
                task=raw.number,
                cell=name,
                phrase=phrase if phrase is not None else values[name],
            )
        )

    responsible = _parse_responsible(values["responsible"], codes, lambda m: fail("responsible", m))
    control = [
        _lookup_code(code, codes, lambda m: fail("control", m), None)
        for code in _split_list(values["control"])
    ]
    period_years = set(range(period.start.year, period.end.year + 1))
    form_report_years = _report_years(values["form"], codes)
    named_years = years_in(values["deadline"])
    deadline_hint = _single(form_report_years) or _single(period_years)
    report_hint = _single(named_years) or _single(period_years)
    try:
        deadline: AnyReading = parse_deadline(
            values["deadline"], year_hint=deadline_hint, before_reading=before_reading
        )
    except PhraseError as exc:
        raise fail("deadline", exc.problem) from None
    if report_hint is None:
        report_hint = _single(deadline_years(deadline))
    form = _parse_form(values["form"], codes, report_hint, lambda m, p: fail("form", m, p))
    funding = _parse_funding(values["funding"])
    return _construct(
        lambda: Task(
            number=raw.number,
            section=raw.section,
            text=values["text"],
            deadline=deadline,
            responsible=responsible,
            form=form,
            control=control,
            funding=funding,
            short_title=TaskTitles(),
        ),
        raw.line,
        raw.number,
    )


def _single(values: set[int]) -> int | None:
    return next(iter(values)) if len(values) == 1 else None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


Fail = Callable[[PlanProblem], Exception]
# The note after the consolidating agency, in the languages a plan or an edit is written in.
CONSOLIDATOR_NOTES = frozenset(
    fold(note) for note in ("жинақтау", "свод", "сводный", "consolidates", "consolidator")
)


def _lookup_code(
    code: str, codes: dict[str, str], fail: Fail, resolve: Callable[[str], str | None] | None
) -> str:
    found = resolve(code) if resolve is not None else codes.get(fold(code))
    if found is None:
        known = tuple(codes.values())
        raise fail(PlanProblem("decree.unknown_code", {"code": code, "known": known}))
    return found


def _parse_responsible(
    value: str,
    codes: dict[str, str],
    fail: Fail,
    resolve: Callable[[str], str | None] | None = None,
) -> list[ResponsibleAgency]:
    result: list[ResponsibleAgency] = []
    for i, item in enumerate(_split_list(value)):
        m = _CONSOLIDATOR.fullmatch(item)
        if m is None:
            raise fail(PlanProblem("decree.unreadable_code", {"item": item}))
        note = m.group("note")
        if note is not None and fold(note) not in CONSOLIDATOR_NOTES:
            raise fail(PlanProblem("decree.unknown_note", {"note": note}))
        code = _lookup_code(m.group("code"), codes, fail, resolve)
        if any(r.code == code for r in result):
            raise fail(PlanProblem("decree.named_twice", {"code": code}))
        result.append(ResponsibleAgency(code=code, lead=i == 0, consolidator=note is not None))
    if not result:
        raise fail(PlanProblem("decree.no_agency"))
    return result


def _report_years(form: str, codes: dict[str, str]) -> set[int]:
    years: set[int] = set()
    for segment in form.split(";"):
        m = _find_recipient(Folded(segment), codes)
        if m is not None:
            years |= years_in(segment[: m.start()])
    return years


def _find_recipient(folded: Folded, codes: dict[str, str]) -> re.Match[str] | None:
    for m in _RECIPIENT.finditer(folded.text):
        if m.group("code") in codes:
            return m
    return None


def _unknown_recipient(folded: Folded) -> str | None:
    """An abbreviation that takes a dative ending ("ХҚ-ге") but is not in the glossary.

    Only all-capital words count, so that an ordinary word is never taken for a code.
    """
    for m in _RECIPIENT.finditer(folded.text):
        original = folded.original(m.start("code"), m.end("code"))
        if 2 <= len(original) <= 10 and original.isalpha() and original.isupper():
            return original
    return None


def _parse_form(
    value: str,
    codes: dict[str, str],
    year_hint: int | None,
    fail: Callable[[PlanProblem, str], Exception],
) -> FormOfCompletion:
    deliverables: list[str] = []
    recipient: str | None = None
    report: str | None = None
    dates: list[ReportDate] = []
    for segment in value.split(";"):
        folded = Folded(segment)
        m = _find_recipient(folded, codes)
        if m is None:
            stray = _unknown_recipient(folded)
            if stray is not None:
                raise fail(PlanProblem("decree.stray_code", {"code": stray}), segment.strip())
            if segment.strip():
                deliverables.append(segment.strip())
            continue
        code = codes[m.group("code")]
        if recipient is not None and code != recipient:
            problem = PlanProblem("decree.two_recipients", {"first": recipient, "second": code})
            raise fail(problem, segment.strip())
        recipient = code
        document = folded.original(m.end(), len(folded.text)).strip(" ,\u00a0")
        report = report or (document or None)
        phrase = folded.original(0, m.start()).strip(" ,\u00a0\t")
        if not phrase:
            continue
        try:
            spans = parse_report_dates(phrase, year_hint=year_hint)
        except PhraseError as exc:
            raise fail(exc.problem, phrase) from None
        dates.extend(ReportDate(phrase=phrase, span=s.span, date=s.date) for s in spans)
    return FormOfCompletion(
        raw=value, deliverables=deliverables, recipient=recipient, report=report, report_dates=dates
    )


def _parse_funding(value: str) -> Funding:
    folded = fold(value)
    programmes: list[str] = []
    for code in re.findall(r"(?<!\d)(\d{3})(?!\d)\s*«", folded):
        if code not in programmes:
            programmes.append(code)
    required = not re.search(r"талап\s+етілмейді|не\s+требу", folded) and bool(value.strip())
    return Funding(raw=value, required=required, programmes=programmes)


# --- preamble ---------------------------------------------------------------------------------


def _parse_preamble(lines: Sequence[_Line]) -> tuple[str, Period, Act, Controller]:
    joined = "\n".join(ln.text for ln in lines)
    folded = Folded(joined)
    m = re.search(r"қоса\s+беріліп\s+отырған\s+(.+?)\s+бекітілсін", folded.text, re.DOTALL)
    if m is None:
        raise _error("decree.no_approval")
    title = folded.original(m.start(1), m.end(1))
    years = re.search(r"(\d{4})\s*-\s*(\d{4})\s+жылдар", m.group(1)) or re.search(
        r"(\d{4})\s+жыл", m.group(1)
    )
    if years is None:
        raise _error("decree.title_no_years", phrase=title)
    first, last = int(years.group(1)), int(years.groups()[-1])
    if last < first or first < 1900 or last > 2999:
        raise _error("decree.years_order", phrase=title)
    period = Period(start=dt.date(first, 1, 1), end=dt.date(last, 12, 31))
    kind = re.search(r"осы\s+(" + "|".join(_ACT_KINDS) + r")", folded.text)
    if kind is None:
        raise _error("decree.no_act")
    ctl = _CONTROLLER.search(folded.text)
    if ctl is None:
        raise _error("decree.no_controller")
    controller = Controller(
        name=folded.original(ctl.start("name"), ctl.end("name")),
        position=Names(kk=_one_line(folded.original(ctl.start("position"), ctl.end("position")))),
    )
    ctl_line = folded.text.count("\n", 0, ctl.end())
    issuer, signatory = _parse_signature(lines[ctl_line + 1 :])
    act = Act(
        kind=_ACT_KINDS[kind.group(1)],
        kind_kk=folded.original(kind.start(1), kind.end(1)),
        issuer=issuer,
        signatory=signatory,
    )
    return _one_line(title), period, act, controller


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _parse_signature(lines: Sequence[_Line]) -> tuple[str, str]:
    block: list[str] = []
    for ln in lines:
        if _PARAGRAPH.match(ln.text) or not ln.text.strip():
            block = []
            continue
        m = _SIGNATURE.fullmatch(ln.text.strip())
        if m and m.group("name"):
            head = [*block, m.group("head")]
            issuer = " ".join(" ".join(part.split()) for part in head if part.strip())
            if not issuer:
                raise _error("decree.signature_position", line=ln.number)
            return issuer, m.group("name")
        block.append(ln.text)
    raise _error("decree.no_signature")


# --- translations -----------------------------------------------------------------------------


def _merge_translations(plan: Plan, sidecar: Translations, warnings: list[str]) -> Plan:
    codes = {fold(a.code): a.code for a in plan.agencies}
    for code in sidecar.agencies:
        if fold(code) not in codes:
            raise _error("decree.sidecar_agency", code=code)
    by_number = {str(t.number) for t in plan.tasks}
    for key in sidecar.tasks:
        if key not in by_number:
            raise _error("decree.sidecar_task", task=key)
    agencies_by_code = {fold(k): v for k, v in sidecar.agencies.items()}
    agencies = []
    for agency in plan.agencies:
        names = agencies_by_code.get(fold(agency.code))
        if names is None:
            agencies.append(agency)
            continue
        short = names.abbreviations
        agencies.append(
            agency.model_copy(
                update={
                    "name": _names(agency.name.kk, names.localized("ru"), names.localized("en")),
                    "abbreviations": Abbreviations(
                        ru=short.localized("ru"), en=short.localized("en")
                    ),
                }
            )
        )
    tasks = []
    for task in plan.tasks:
        entry = sidecar.tasks.get(str(task.number))
        ru = entry.localized("ru") if entry else None
        en = entry.localized("en") if entry else None
        missing = [lang for lang, value in (("ru", ru), ("en", en)) if value is None]
        if missing:
            warnings.append(f"task {task.number}: no {' or '.join(missing)} short title")
        tasks.append(task.model_copy(update={"short_title": TaskTitles(ru=ru, en=en)}))
    return plan.model_copy(update={"agencies": agencies, "tasks": tasks})


def parse_responsible(
    value: str, plan_codes: Sequence[str], resolve: Callable[[str], str | None] | None = None
) -> list[ResponsibleAgency]:
    """Read a responsible-agencies cell ("МСМ (жинақтау), ЖАО") against a plan's glossary;
    ``resolve`` reads a code in any of its spellings (``scheduler.agencies``)."""
    codes = {fold(code): code for code in plan_codes}

    def fail(problem: PlanProblem) -> DecreeImportError:
        return DecreeImportError(problem.at(cell="responsible", phrase=value))

    return _parse_responsible(value, codes, fail, resolve)


def parse_codes(value: str, plan_codes: Sequence[str]) -> list[str]:
    """Read a list of glossary codes ("ІСБ, МҚБ"), as in the control cell."""
    codes = {fold(code): code for code in plan_codes}

    def fail(problem: PlanProblem) -> DecreeImportError:
        return DecreeImportError(problem.at(phrase=value))

    return [_lookup_code(code, codes, fail, None) for code in _split_list(value)]


def parse_form(value: str, plan_codes: Sequence[str], year_hint: int | None) -> FormOfCompletion:
    """Read a form-of-completion cell against a glossary, its recipient and reporting dates."""
    codes = {fold(code): code for code in plan_codes}

    def fail(problem: PlanProblem, phrase: str) -> DecreeImportError:
        return DecreeImportError(problem.at(phrase=phrase))

    return _parse_form(value, codes, year_hint, fail)


def parse_funding(value: str) -> Funding:
    """Read a funding cell: whether money is needed and the budget programmes it names."""
    return _parse_funding(value)
