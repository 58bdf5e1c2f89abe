"""``python -m bot report``: the information report on the plan's progress, written to a file.

The same report that /report xlsx and /report csv send, made offline from the database and
the plan named in the settings, as of now. A SQLite database that was never created holds
no statuses; reading it does not create it.
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
from bot.export.xlsx import workbook_bytes
from bot.i18n.catalog import LANGUAGES, load_catalog
from bot.settings import Settings
from scheduler.clock import Clock, SystemClock
from scheduler.plan.model import Plan
from scheduler.plan_runtime import PlanRuntime, build_runtime, calendar_overrides
from scheduler.reminders.policy import ReminderPolicy
from scheduler.storage.engine import create_engine
from scheduler.storage.migrate import upgrade
from scheduler.storage.unit_of_work import Database
from scheduler.usecases.plan_reports import StatusReport, build_report, current_report

WRITERS = {"xlsx": workbook_bytes, "csv": csv_bytes}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report``."""
    parser = sub.add_parser(
        "report", help="write the information report on the plan's progress (xlsx or csv)"
    )
    parser.add_argument("--format", choices=tuple(WRITERS), default="xlsx")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the report")
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


async def _report(plan: Plan, settings: Settings, clock: Clock, empty: bool) -> StatusReport:
    if empty:
        return build_report(_runtime(plan, settings, [], []), None, clock.now())
    db = Database(create_engine(settings.database_url))
    try:
        await upgrade(db.engine)
        working, off = await calendar_overrides(db)
        return await current_report(db, clock, _runtime(plan, settings, working, off))
    finally:
        await db.close()


def run_report(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    """Write the report: 0 when written, 1 for an invalid plan, 2 for an unwritable file."""
    plan = plan_or_problems(settings, "eskertu report")
    if plan is None:
        return 1
    language = args.lang or settings.default_language
    report = asyncio.run(_report(plan, settings, clock or SystemClock(), _no_database(settings)))
    tr = load_catalog(fallback=settings.default_language).for_language(language)
    content = WRITERS[args.format](report, plan, tr)
    output: Path = args.output
    try:
        output.write_bytes(content)
    except OSError as exc:
        return _error(f"cannot write {output}: {exc.strerror}")
    print(f"wrote {output}: {len(report.items)} rows as of {report.today.isoformat()}")
    return 0
