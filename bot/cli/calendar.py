"""``python -m bot calendar``: the plan's control points in a window of dates.

The text form opens with a header row; its headings, the kinds of point and the agency codes
are in the language asked for (``--lang``, else DEFAULT_LANGUAGE); the problems it reports
are in English, as the other commands' are.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli import plan_or_problems
from bot.i18n.catalog import Translator, load_catalog
from bot.settings import Settings
from bot.wording import agency_code
from scheduler.agencies import AgencyIndex
from scheduler.plan import ControlPoint, between, expand
from scheduler.plan.model import Plan
from scheduler.plan_runtime import calendar_overrides
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.workdays import ShiftRule, WorkingCalendar

LANGUAGES = ("kk", "ru", "en")
# The text form's columns, each headed by the catalog message ``cli.calendar.head.<column>``.
HEADER = ("date", "nominal", "task", "kind", "agencies", "title")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``calendar``."""
    parser = sub.add_parser("calendar", help="list the plan's control points between two dates")
    parser.add_argument("--from", dest="start", required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, metavar="DATE", help="YYYY-MM-DD")
    parser.add_argument("--agency", default=None, metavar="CODE", help="only this agency's points")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the titles")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run_calendar)


def _error(message: str) -> int:
    print(f"eskertu calendar: {message}", file=sys.stderr)
    return 2


def _calendar_overrides(settings: Settings) -> tuple[list[dt.date], list[dt.date]]:
    """Extra working days and extra days off from the administrators' table.

    A SQLite database that was never created has no overrides; reading must not create it.
    """
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        return [], []

    async def read() -> tuple[list[dt.date], list[dt.date]]:
        db = Database(create_engine(settings.database_url))
        try:
            await upgrade(db.engine)
            return await calendar_overrides(db)
        finally:
            await db.close()

    return asyncio.run(read())


def working_calendar(settings: Settings) -> WorkingCalendar:
    """The calendar the settings describe: shift rule and the administrators' overrides."""
    working, off = _calendar_overrides(settings)
    return WorkingCalendar(
        rule=ShiftRule(settings.working_day_rule.value),
        extra_working_days=working,
        extra_days_off=off,
    )


def _parse_date(value: str, option: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} {value!r} is not a date; expected YYYY-MM-DD") from None


def run_calendar(args: argparse.Namespace, settings: Settings) -> int:
    """Print the control points whose effective date falls in the window, in date order."""
    try:
        start = _parse_date(args.start, "--from")
        end = _parse_date(args.end, "--to")
    except ValueError as exc:
        return _error(str(exc))
    if end < start:
        return _error(f"--to {end} is before --from {start}")
    plan = plan_or_problems(settings, "eskertu calendar")
    if plan is None:
        return 1
    language = args.lang or settings.default_language or "kk"
    agency = None
    if args.agency is not None:
        agency = AgencyIndex.of_plan(plan).resolve(args.agency)
        if agency is None:
            known = ", ".join(a.code_in(language) for a in plan.agencies)
            return _error(f"unknown agency code {args.agency!r}; the plan knows: {known}")
    try:
        points = between(expand(plan, working_calendar(settings)), start, end, agency=agency)
    except ValueError as exc:
        return _error(f"cannot place the control points on the calendar: {exc}")
    if args.format == "json":
        rows = [_json_row(plan, p, language) for p in points]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        tr = load_catalog(fallback=settings.default_language).for_language(language)
        for line in _text_lines(plan, points, tr):
            print(line)
    return 0


def _json_row(plan: Plan, point: ControlPoint, language: str) -> dict[str, object]:
    return {**point.to_json(), "title": plan.task(point.task).title(language)}


def _text_lines(plan: Plan, points: list[ControlPoint], tr: Translator) -> list[str]:
    """A header row, then one aligned row per point; nothing at all when there is none."""
    language = tr.language
    rows = [
        (
            p.effective.isoformat(),
            p.nominal.isoformat() if p.nominal != p.effective else "",
            f"T{p.task:02d}",
            tr.plain(f"kind.{p.kind}"),
            ",".join(agency_code(plan, code, language) for code in p.agencies),
            plan.task(p.task).title(language),
        )
        for p in points
    ]
    if not rows:
        return []
    header = tuple(tr.plain(f"cli.calendar.head.{column}") for column in HEADER)
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER) - 1)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)), r[-1]]).rstrip()
        for r in table
    ]
