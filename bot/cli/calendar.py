"""``python -m bot calendar``: the plan's control points in a window of dates."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli import plan_or_problems
from bot.settings import Settings
from scheduler.plan import ControlPoint, between, expand
from scheduler.plan.model import Plan
from scheduler.plan.textmatch import fold
from scheduler.plan_runtime import calendar_overrides
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.workdays import ShiftRule, WorkingCalendar

LANGUAGES = ("kk", "ru", "en")


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
    agency = None
    if args.agency is not None:
        codes = {fold(code): code for code in plan.agency_codes()}
        agency = codes.get(fold(args.agency))
        if agency is None:
            known = ", ".join(plan.agency_codes())
            return _error(f"unknown agency code {args.agency!r}; the plan knows: {known}")
    language = args.lang or settings.default_language or "kk"
    try:
        points = between(expand(plan, working_calendar(settings)), start, end, agency=agency)
    except ValueError as exc:
        return _error(f"cannot place the control points on the calendar: {exc}")
    if args.format == "json":
        rows = [_json_row(plan, p, language) for p in points]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for line in _text_lines(plan, points, language):
            print(line)
    return 0


def _json_row(plan: Plan, point: ControlPoint, language: str) -> dict[str, object]:
    return {**point.to_json(), "title": plan.task(point.task).title(language)}


def _text_lines(plan: Plan, points: list[ControlPoint], language: str) -> list[str]:
    rows = [
        (
            p.effective.isoformat(),
            f"(nominal {p.nominal.isoformat()})" if p.nominal != p.effective else "",
            f"T{p.task:02d}",
            p.kind,
            ",".join(p.agencies),
            plan.task(p.task).title(language),
        )
        for p in points
    ]
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)), r[5]]) for r in rows
    ]
