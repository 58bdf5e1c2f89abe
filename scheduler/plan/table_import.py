"""Importer: a plan kept as a table (іс-шаралар жоспары) turned into a :class:`Plan`.

The table has a header row naming its columns in Kazakh or Russian, in any order: №,
Іс-шараның атауы / Наименование мероприятия, Аяқтау (Аяқталу) нысаны / Форма завершения,
Жауапты орындаушылар / Ответственные исполнители, Орындау мерзімі / Срок исполнения, and
optionally Бақылау / Контроль and Қаржыландыру / Финансирование. A row of column numbers
(1, 2, 3 …) under the header is skipped; a row with text in one cell only (a merged row) opens a
section. Rows above the header hold the plan's title; its years, or the years the deadlines
name, make the plan's period.

A glossary («Ескерту: аббревиатуралардың толық жазылуы:» after the table, or a sheet named
for abbreviations) makes the responsible cells lists of its codes, as in a decree. Without
one, each distinct post or unit named becomes an agency whose code is generated from its name
(:mod:`scheduler.plan.agency_codes`), the name kept verbatim.

Every problem is collected with its sheet, row and column, and the import raises
:class:`TableImportError` with all of them: nothing is imported in part. A deadline phrase the
grammar cannot read stops the import, unless ``allow_unread`` keeps it as an unread deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from scheduler.plan.agency_codes import assign_codes, name_key
from scheduler.plan.decree_import import (
    DecreeImportError,
    ImportResult,
    parse_codes,
    parse_form,
    parse_funding,
    parse_responsible,
)
from scheduler.plan.kazakh_dates import PhraseError, parse_deadline, years_in
from scheduler.plan.model import (
    Agency,
    AnyReading,
    Deadline,
    FormOfCompletion,
    Funding,
    LocalizedText,
    Names,
    Period,
    Plan,
    Reading,
    ResponsibleAgency,
    Section,
    Task,
    TaskTitles,
    TextSource,
    UnreadDeadline,
    deadline_years,
)
from scheduler.plan.problems import PlanProblem
from scheduler.plan.table_files import Row, Sheet, TableFile
from scheduler.plan.table_problems import TableImportError, TableProblem, column_letter
from scheduler.plan.textmatch import fold
from scheduler.plan.validation import first_error, validate

REQUIRED = ("text", "form", "responsible", "deadline")
# How each column is named in the error that says it is missing.
COLUMN_NAMES = {
    "text": "Іс-шараның атауы / Наименование мероприятия",
    "form": "Аяқтау нысаны / Форма завершения",
    "responsible": "Жауапты орындаушылар / Ответственные исполнители",
    "deadline": "Орындау мерзімі / Срок исполнения",
}
_KK_HEADERS = {
    "number": ("№", "р/с", "р/с №", "№ р/с", "реттік №"),
    "text": ("іс-шараның атауы", "іс-шаралардың атауы", "іс-шаралар", "іс-шара", "атауы"),
    "form": ("аяқтау нысаны", "аяқталу нысаны", "аяқталу нысандары", "аяқтау нысандары"),
    "responsible": ("жауапты орындаушылар", "жауапты орындаушы", "жауаптылар", "жауапты"),
    "deadline": ("орындау мерзімі", "орындалу мерзімі", "орындау мерзімдері", "мерзімі"),
    "control": ("бақылау", "бақылаушы"),
    "funding": ("қаржыландыру", "болжамды шығыстар", "қаржыландыру көзі"),
}
_RU_HEADERS = {
    "number": ("п/п", "№ п/п", "п/п №"),
    "text": ("наименование мероприятия", "наименование мероприятий", "мероприятие", "мероприятия"),
    "form": ("форма завершения",),
    "responsible": (
        "ответственные исполнители",
        "ответственный исполнитель",
        "ответственные",
        "исполнители",
    ),
    "deadline": ("срок исполнения", "сроки исполнения", "срок выполнения", "срок"),
    "control": ("контроль",),
    "funding": ("финансирование", "источник финансирования", "источники финансирования"),
}
_NOTE = re.compile(r"\s*(?:ескерту|примечание|аббревиатур|расшифровка|сокращени)")
_GLOSSARY_SHEET = re.compile(r"аббревиатур|глоссари|сокращени|қысқарт|ескерту")
_TITLE_WORD = re.compile(r"(?<!\w)(?:жоспар|план)")
_SECTION_NUMBER = re.compile(r"\s*(?:\d{1,3}|[іvх]{1,6})\s*[.)]\s+|\s*\d{1,3}\s+(?=\S)")
_CONSOLIDATOR = re.compile(r"\s*\(\s*(?:жинақтау|свод\w*)\s*\)\s*$")
_ROWS_FOR_HEADER = 30


@dataclass
class _Header:
    sheet: Sheet
    index: int  # position of the header row in ``sheet.rows``
    columns: dict[str, int]
    titles: dict[int, str]
    language: str


@dataclass
class _Body:
    sections: list[Section] = field(default_factory=list)
    rows: list[tuple[Row, int]] = field(default_factory=list)  # (row, section number)
    glossary: list[Row] = field(default_factory=list)


def import_table(
    table: TableFile,
    *,
    source_name: str,
    before_reading: Reading = Reading.EXCLUSIVE,
    allow_unread: bool = False,
    known_agencies: Sequence[Agency] = (),
) -> ImportResult:
    """Read a table plan; ``known_agencies`` (the plan in force) lend their codes to their names."""
    header = _find_header(table.sheets)
    problems: list[TableProblem] = []
    body = _split_body(header, problems)
    title = _title(table, header, source_name)
    glossary = _glossary(table, header, body, problems)
    deadline_cells = [_cell(row, header, "deadline") for row, _ in body.rows]
    hint_years = years_in(title) | {y for text in deadline_cells for y in years_in(text)}
    year_hint = next(iter(hint_years)) if len(hint_years) == 1 else None
    russian = header.language == "ru"

    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    if glossary is None:
        spelled = [
            name
            for row, _ in body.rows
            for column in ("responsible", "control")
            for name, _ in _names(_cell(row, header, column))
        ]
        codes = assign_codes(spelled, {name_key(a.name.kk): a.code for a in known_agencies})
        for name in spelled:
            names.setdefault(codes[name_key(name)], " ".join(name.split()))
    tasks: list[Task] = []
    seen_numbers: dict[int, int] = {}
    for position, (row, section) in enumerate(body.rows, start=1):
        task = _task(
            row,
            section,
            position,
            header,
            glossary,
            codes,
            year_hint,
            before_reading,
            allow_unread,
            seen_numbers,
            problems,
        )
        if task is not None:
            tasks.append(task)
    if not body.rows and not problems:
        problems.append(TableProblem("no_tasks", sheet=header.sheet.name))
    if problems:
        raise TableImportError(problems)
    agencies = glossary if glossary is not None else _agencies(codes, names, russian)
    agencies = _with_known_spellings(agencies, known_agencies)
    period = _period(title, tasks)
    if period is None:
        raise TableImportError([TableProblem("no_year", sheet=header.sheet.name)])
    sections = body.sections or [Section(number=1, title=title)]
    try:
        plan = Plan(
            title=_localized(title, russian),
            period=period,
            act=None,
            controller=None,
            sections=sections,
            agencies=agencies,
            tasks=tasks,
        )
    except ValidationError as exc:
        first = first_error(exc)
        raise TableImportError(
            [TableProblem("invalid", {"message": str(first)}, cause=first)]
        ) from None
    invalid = validate(plan.model_dump(mode="json"))
    if invalid:
        raise TableImportError(
            [TableProblem("invalid", {"message": str(p)}, cause=p) for p in invalid]
        )
    return ImportResult(plan=plan)


# --- the header -------------------------------------------------------------------------------


def _normal(text: str) -> str:
    folded = re.sub(r"\([^)]*\)", " ", fold(text))
    folded = re.sub(r"[^\w№/\- ]+", " ", folded)
    return " ".join(folded.split())


def _match(header: str) -> tuple[str, str, int] | None:
    """The column a header names, the language of the words that say so, and their length."""
    best: tuple[str, str, int] | None = None
    for language, table in (("kk", _KK_HEADERS), ("ru", _RU_HEADERS)):
        for column, synonyms in table.items():
            for synonym in synonyms:
                fits = header == synonym or header.startswith(synonym + " ")
                if fits and (best is None or len(synonym) > best[2]):
                    best = (column, language, len(synonym))
    return best


def match_header(cell: str) -> str | None:
    """The column a header cell names («Орындау мерзімі» → ``deadline``), or None."""
    found = _match(_normal(cell)) if cell.strip() else None
    return found[0] if found is not None else None


def _find_header(sheets: Sequence[Sheet]) -> _Header:
    best: _Header | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:_ROWS_FOR_HEADER]):
            columns: dict[str, int] = {}
            titles: dict[int, str] = {}
            votes = {"kk": 0, "ru": 0}
            for i, cell in enumerate(row.cells):
                found = _match(_normal(cell)) if cell.strip() else None
                if found is not None and found[0] not in columns:
                    columns[found[0]] = i
                    titles[i] = " ".join(cell.split())
                    votes[found[1]] += 1
            if sum(1 for c in REQUIRED if c in columns) >= 2:
                language = "ru" if votes["ru"] > votes["kk"] else "kk"
                candidate = _Header(sheet, index, columns, titles, language)
                if best is None or len(columns) > len(best.columns):
                    best = candidate
                break
        if best is not None and all(c in best.columns for c in REQUIRED):
            break
    if best is None:
        names = ", ".join(name.split(" / ")[0] for name in COLUMN_NAMES.values())
        where = sheets[0].name if sheets else None
        raise TableImportError([TableProblem("no_header", {"columns": names}, sheet=where)])
    missing = [c for c in REQUIRED if c not in best.columns]
    if missing:
        at = best.sheet.rows[best.index].number
        raise TableImportError(
            [
                TableProblem(
                    "missing_column", {"column": COLUMN_NAMES[c]}, sheet=best.sheet.name, row=at
                )
                for c in missing
            ]
        )
    return best


def _cell(row: Row, header: _Header, column: str) -> str:
    index = header.columns.get(column)
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].strip()


def _problem(
    code: str,
    params: Mapping[str, str | int],
    header: _Header,
    row: Row,
    column: str | None,
    cause: PlanProblem | None = None,
) -> TableProblem:
    index = header.columns.get(column) if column is not None else None
    return TableProblem(
        code,
        dict(params),
        sheet=header.sheet.name,
        row=row.number,
        column=column_letter(index) if index is not None else None,
        header=header.titles.get(index) if index is not None else None,
        cause=cause,
    )


# --- the body: sections, tasks, the note after the table --------------------------------------


def _is_column_numbers(row: Row) -> bool:
    values = [cell.strip().rstrip(".") for cell in row.cells if cell.strip()]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def _split_body(header: _Header, problems: list[TableProblem]) -> _Body:
    body = _Body()
    rows = header.sheet.rows[header.index + 1 :]
    if rows and _is_column_numbers(rows[0]):
        rows = rows[1:]
    end = len(rows)
    for i, row in enumerate(rows):
        filled = [c for c in row.cells if c.strip()]
        if len(filled) == 1 and _NOTE.match(fold(filled[0])):
            end = i
            body.glossary = [r for r in rows[i + 1 :] if not r.is_empty()]
            break
    rows = rows[:end]
    while rows and rows[-1].is_empty():
        rows.pop()
    for row in rows:
        filled = [c for c in row.cells if c.strip()]
        if not filled:
            problems.append(TableProblem("empty_row", sheet=header.sheet.name, row=row.number))
        elif len(filled) == 1 and not _cell(row, header, "deadline"):
            title = _SECTION_NUMBER.sub("", filled[0].strip(), count=1).strip() or filled[0].strip()
            body.sections.append(
                Section(number=len(body.sections) + 1, title=" ".join(title.split()))
            )
        else:
            if not body.sections:
                body.sections.append(Section(number=1, title="—"))
            body.rows.append((row, body.sections[-1].number))
    return body


def _title(table: TableFile, header: _Header, source_name: str) -> str:
    if table.format == "docx":
        lines = [" ".join(p.split()) for p in table.before if p.strip()]
    else:
        lines = [
            " ".join(" ".join(c.split()) for c in row.cells if c.strip())
            for row in header.sheet.rows[: header.index]
            if not row.is_empty()
        ]
    named = [line for line in lines if _TITLE_WORD.search(fold(line))]
    chosen = named or lines
    return " ".join(chosen) if chosen else source_name.rsplit(".", 1)[0]


def _period(title: str, tasks: Sequence[Task]) -> Period | None:
    years = set(years_in(title))
    for task in tasks:
        years |= deadline_years(task.deadline)
        years |= {r.date.year for r in task.form.report_dates}
    if not years:
        return None
    return Period(start=dt.date(min(years), 1, 1), end=dt.date(max(years), 12, 31))


# --- agencies ---------------------------------------------------------------------------------


def _split_names(value: str) -> list[str]:
    """Names in a cell: one a line or separated by «;»; a comma separates them only before a
    capital letter, since a unit's name may itself hold a comma («есеп, қаржы басқармасы»)."""
    parts: list[str] = []
    for line in re.split(r"[\n;]", value):
        parts.extend(re.split(r",\s*(?=[«\"]?[^\W\d_]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])", line))
    return [" ".join(p.split()).strip(" .,") for p in parts if p.strip(" .,")]


def _names(value: str) -> list[tuple[str, bool]]:
    """The names a responsible or control cell gives, each with whether it consolidates."""
    found: list[tuple[str, bool]] = []
    for part in _split_names(value):
        consolidator = bool(_CONSOLIDATOR.search(part))
        name = _CONSOLIDATOR.sub("", part).strip()
        if name and all(name_key(name) != name_key(n) for n, _ in found):
            found.append((name, consolidator))
    return found


def _localized(text: str, russian: bool) -> Names:
    if russian:
        return Names(kk=text, ru=LocalizedText(text=text, source=TextSource.OFFICIAL))
    return Names(kk=text)


def _agencies(codes: Mapping[str, str], names: Mapping[str, str], russian: bool) -> list[Agency]:
    return [
        Agency(code=code, name=_localized(names[code], russian))
        for code in dict.fromkeys(codes.values())
        if code in names
    ]


def _with_known_spellings(agencies: list[Agency], known: Sequence[Agency]) -> list[Agency]:
    """An agency the plan in force knows by the same code and name keeps its abbreviations and
    the translations of its name, so that readers still see it in their language."""
    by_code = {agency.code: agency for agency in known}
    kept = []
    for agency in agencies:
        old = by_code.get(agency.code)
        if old is not None and name_key(old.name.kk) == name_key(agency.name.kk):
            name = agency.name.model_copy(
                update={"ru": agency.name.ru or old.name.ru, "en": agency.name.en or old.name.en}
            )
            agency = agency.model_copy(update={"name": name, "abbreviations": old.abbreviations})
        kept.append(agency)
    return kept


def _glossary(
    table: TableFile, header: _Header, body: _Body, problems: list[TableProblem]
) -> list[Agency] | None:
    lines: list[tuple[Sheet, Row]] = [(header.sheet, r) for r in body.glossary]
    for sheet in table.sheets:
        if sheet is not header.sheet and _GLOSSARY_SHEET.search(fold(sheet.name)):
            lines.extend((sheet, r) for r in sheet.rows if not r.is_empty())
    if table.format == "docx":
        after = [p for p in table.after if p.strip()]
        if after and _NOTE.match(fold(after[0])):
            lines.extend((header.sheet, Row(0, [p])) for p in after[1:])
    if not lines:
        return None
    russian = header.language == "ru"
    agencies: list[Agency] = []
    seen: set[str] = set()
    for sheet, row in lines:
        filled = [c.strip() for c in row.cells if c.strip()]
        if len(filled) >= 2:
            code, name = filled[0], " ".join(filled[1].split())
        else:
            m = re.fullmatch(r"\s*(\S+?)\s*[-–—]\s*(\S.*?)\s*", filled[0], flags=re.DOTALL)
            if m is None:
                problems.append(
                    TableProblem(
                        "bad_glossary",
                        {"text": filled[0]},
                        sheet=sheet.name,
                        row=row.number or None,
                    )
                )
                continue
            code, name = m.group(1), " ".join(m.group(2).split())
        if fold(code) in seen:
            continue
        seen.add(fold(code))
        agencies.append(Agency(code=code, name=_localized(name, russian)))
    return agencies


# --- one task ---------------------------------------------------------------------------------


def _task(
    row: Row,
    section: int,
    position: int,
    header: _Header,
    glossary: list[Agency] | None,
    codes: Mapping[str, str],
    year_hint: int | None,
    before_reading: Reading,
    allow_unread: bool,
    seen_numbers: dict[int, int],
    problems: list[TableProblem],
) -> Task | None:
    before = len(problems)

    def fail(
        code: str, column: str | None, cause: PlanProblem | None = None, **params: str | int
    ) -> None:
        problems.append(_problem(code, params, header, row, column, cause))

    number = position
    if "number" in header.columns:
        raw = _cell(row, header, "number").rstrip(".)")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            fail("bad_number", "number", value=_cell(row, header, "number"))
        else:
            number = int(raw)
    if number in seen_numbers and len(problems) == before:
        fail("repeated_number", "number", number=number, first=seen_numbers[number])
    seen_numbers.setdefault(number, row.number)
    values = {column: _cell(row, header, column) for column in (*REQUIRED, "control", "funding")}
    for column in ("text", "responsible", "deadline"):
        if not values[column]:
            fail("empty_cell", column)
    if len(problems) > before:
        return None
    deadline: Deadline
    try:
        deadline = _reading(values["deadline"], year_hint, before_reading)
    except PhraseError as exc:
        if not allow_unread:
            fail(
                "unread_deadline",
                "deadline",
                exc.problem,
                phrase=values["deadline"],
                reason=exc.message,
            )
            return None
        deadline = UnreadDeadline(phrase=values["deadline"])
    agency_codes = [a.code for a in glossary] if glossary is not None else []
    try:
        if glossary is not None:
            responsible = parse_responsible(values["responsible"], agency_codes)
        else:
            responsible = [
                ResponsibleAgency(code=codes[name_key(name)], lead=i == 0, consolidator=note)
                for i, (name, note) in enumerate(_names(values["responsible"]))
            ]
    except DecreeImportError as exc:
        fail(
            "bad_cell",
            "responsible",
            exc.problem,
            message=exc.message,
            text=values["responsible"],
        )
        return None
    try:
        if glossary is not None:
            control = parse_codes(values["control"], agency_codes)
            form = parse_form(values["form"], agency_codes, year_hint)
        else:
            control = [codes[name_key(name)] for name, _ in _names(values["control"])]
            form = FormOfCompletion(
                raw=values["form"],
                deliverables=[p.strip() for p in values["form"].split(";") if p.strip()],
            )
    except DecreeImportError as exc:
        column = "control" if exc.phrase == values["control"] else "form"
        fail(
            "bad_cell",
            column,
            exc.problem,
            message=exc.message,
            text=exc.phrase or values[column],
        )
        return None
    funding = (
        parse_funding(values["funding"])
        if values["funding"]
        else Funding(raw="", required=False, programmes=[])
    )
    russian = header.language == "ru"
    titles = (
        TaskTitles(ru=LocalizedText(text=values["text"], source=TextSource.OFFICIAL))
        if russian
        else TaskTitles()
    )
    try:
        return Task(
            number=number,
            section=section,
            text=values["text"],
            deadline=deadline,
            responsible=responsible,
            form=form,
            control=control,
            funding=funding,
            short_title=titles,
        )
    except ValidationError as exc:
        first = first_error(exc)
        fail("invalid", None, first, message=str(first))
        return None


def _reading(phrase: str, year_hint: int | None, before_reading: Reading) -> AnyReading:
    return parse_deadline(phrase, year_hint=year_hint, before_reading=before_reading)
