"""``python -m bot report``: the information report on the plan's progress, written to a file.

The same report that /report xlsx and /report csv send, made offline from the database and
the plan named in the settings, as of now; ``--format text`` prints the summary and the
executive discipline as aligned tables instead. ``--from`` and ``--to`` set the period the
discipline covers (by default the plan so far). A SQLite database that was never created
holds no statuses; reading it does not create it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli import plan_or_problems
from bot.export.csv_file import csv_bytes
from bot.export.discipline_text import discipline_lines
from bot.export.labels import as_of_text
from bot.export.summary_text import summary_cells
from bot.export.text_table import aligned
from bot.export.xlsx import workbook_bytes
from bot.i18n.catalog import LANGUAGES, Translator, load_catalog
from bot.settings import Settings
from scheduler.clock import Clock, SystemClock
from scheduler.plan.control_points import in_force_from
from scheduler.plan.model import Plan
from scheduler.plan_runtime import PlanRuntime, build_runtime, calendar_overrides
from scheduler.reminders.policy import ReminderPolicy
from scheduler.reports.discipline import Period, read_date
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import StatusReport, build_report, current_report


def text_bytes(report: StatusReport, plan: Plan, tr: Translator) -> bytes:
    """The summary and the discipline as plain aligned tables, for a terminal."""
    headers, rows = summary_cells(report, tr, plan)
    title = tr.plain("report.file_title", as_of=as_of_text(report.as_of, report.tz, tr.language))
    lines = [title, "", *aligned(headers, rows), "", *discipline_lines(report, plan, tr)]
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"xlsx": workbook_bytes, "csv": csv_bytes, "text": text_bytes}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report``."""
    parser = sub.add_parser(
        "report", help="write the information report on the plan's progress (xlsx, csv or text)"
    )
    parser.add_argument("--format", choices=tuple(WRITERS), default="xlsx")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="required for xlsx and csv; text prints"
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the report")
    parser.add_argument(
        "--from",
        dest="start",
        default=None,
        metavar="DATE",
        help="first day of the discipline's period, YYYY-MM-DD (default: the plan's first day)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        default=None,
        metavar="DATE",
        help="last day of the discipline's period, YYYY-MM-DD (default: today)",
    )
    parser.set_defaults(handler=run_report)


def _error(message: str) -> int:
    print(f"eskertu report: {message}", file=sys.stderr)
    return 2


def _runtime(
    plan: Plan, settings: Settings, working: Sequence[dt.date], off: Sequence[dt.date]
) -> PlanRuntime:
    # The reminder schedule plays no part in a report, so the default policy serves.
    return build_runtime(
        plan,
        control=settings.control_policy(),
        policy=ReminderPolicy(),
        tz=settings.tz,
        rule=settings.working_day_rule,
        extra_working_days=working,
        extra_days_off=off,
    )


def _no_database(settings: Settings) -> bool:
    url = make_url(settings.database_url)
    return url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file()


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    day = read_date(value)
    if day is None:
        raise ValueError(f"{option} {value!r} is not a date; expected YYYY-MM-DD")
    return day


def _period(plan: Plan, settings: Settings, clock: Clock, args: argparse.Namespace) -> Period:
    """The period ``--from`` and ``--to`` give, the plan's first day and today filling in."""
    start = _day(getattr(args, "start", None), "--from")
    end = _day(getattr(args, "end", None), "--to")
    today = clock.now().astimezone(settings.tz).date()
    first = start or min(in_force_from(plan), end or today)
    last = end or today
    if last < first:
        to = f"--to {last}" if end is not None else f"today ({last}), the default --to,"
        raise ValueError(f"{to} is before --from {first}")
    return Period(first, last)


async def _report(
    plan: Plan, settings: Settings, clock: Clock, empty: bool, period: Period
) -> StatusReport:
    if empty:
        return build_report(_runtime(plan, settings, [], []), None, clock.now(), period=period)
    db = Database(create_engine(settings.database_url))
    try:
        await upgrade(db.engine)
        working, off = await calendar_overrides(db)
        return await current_report(db, clock, _runtime(plan, settings, working, off), period)
    finally:
        await db.close()


def run_report(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    """Write the report: 0 when written, 1 for an invalid plan, 2 for bad options or an
    unwritable file."""
    output: Path | None = getattr(args, "output", None)
    if output is None and args.format != "text":
        return _error(f"--format {args.format} writes a file: give it with -o FILE")
    plan = plan_or_problems(settings, "eskertu report")
    if plan is None:
        return 1
    clock = clock or SystemClock()
    try:
        period = _period(plan, settings, clock, args)
    except ValueError as exc:
        return _error(str(exc))
    language = args.lang or settings.default_language
    report = asyncio.run(_report(plan, settings, clock, _no_database(settings), period))
    tr = load_catalog(fallback=settings.default_language).for_language(language)
    content = WRITERS[args.format](report, plan, tr)
    if output is None:
        sys.stdout.write(content.decode("utf-8"))
        return 0
    try:
        output.write_bytes(content)
    except OSError as exc:
        return _error(f"cannot write {output}: {exc.strerror}")
    print(f"wrote {output}: {len(report.items)} rows as of {report.today.isoformat()}")
    return 0
