"""``python -m bot plan``: import a decree or a plan table, validate a plan, export the schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings
from scheduler.plan import (
    DecreeImportError,
    PlanError,
    dump_plan,
    load_plan,
    plan_schema_json,
)
from scheduler.plan.model import Plan, Reading, event_readings
from scheduler.plan.plan_files import import_plan_file
from scheduler.plan.table_files import format_of
from scheduler.plan.table_problems import TableImportError
from scheduler.plan.translations import Translations, TranslationsError, load_translations


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plan import``, ``plan validate`` and ``plan schema``."""
    parser = sub.add_parser("plan", help="import, validate and describe the action plan")
    actions = parser.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    imp = actions.add_parser(
        "import", help="parse a decree's text, or a plan table (XLSX, CSV, DOCX), into plan JSON"
    )
    imp.add_argument(
        "decree",
        type=Path,
        help="the decree as UTF-8 text, or a table: .xlsx, .csv (UTF-8, «;» or «,») or .docx",
    )
    imp.add_argument(
        "-o", "--output", type=Path, default=None, help="where to write (default: PLAN_PATH)"
    )
    imp.add_argument(
        "--translations",
        type=Path,
        default=None,
        help="the translations sidecar (default: <output stem>.translations.json beside it)",
    )
    imp.add_argument(
        "--before-date-reading",
        choices=[r.value for r in Reading],
        default=Reading.EXCLUSIVE.value,
        help="read «<date>-ға дейін» as excluding the day (default) or including it",
    )
    imp.add_argument(
        "--allow-unread",
        action="store_true",
        help="keep a deadline the grammar cannot read, marked unread, instead of stopping",
    )
    imp.set_defaults(handler=run_import)

    val = actions.add_parser("validate", help="check a plan file and list every problem")
    val.add_argument("path", nargs="?", type=Path, default=None, help="default: PLAN_PATH")
    val.set_defaults(handler=run_validate)

    sch = actions.add_parser("schema", help="print or write the plan's JSON Schema")
    sch.add_argument("-o", "--output", type=Path, default=None)
    sch.set_defaults(handler=run_schema)


def _error(message: str) -> None:
    print(f"eskertu plan: {message}", file=sys.stderr)


def default_translations_path(output: Path) -> Path:
    """The sidecar beside the output: ``data/plan.json`` -> ``data/plan.translations.json``."""
    return output.with_name(f"{output.stem}.translations.json")


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import a decree; exit 0 after writing the plan, 1 with a located error."""
    output: Path = args.output or settings.plan_path
    source = Path(args.decree)
    fmt = format_of(source.name)
    try:
        raw = source.read_bytes()
        if fmt is None:
            raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _error(f"cannot read {source}: {getattr(exc, 'strerror', None) or exc}")
        return 1
    # The sidecar belongs to the decree (its text or its Word form); a table takes one only
    # when it is named.
    sidecar_path: Path = args.translations or default_translations_path(output)
    translations = Translations()
    if args.translations is not None or (fmt in (None, "docx") and sidecar_path.exists()):
        try:
            translations = load_translations(sidecar_path)
        except TranslationsError as exc:
            _error(exc.message)
            return 1
    elif fmt is None:
        print(f"warning: no translations sidecar at {sidecar_path}", file=sys.stderr)
    try:
        result = import_plan_file(
            raw,
            source.name,
            translations=translations,
            before_reading=Reading(args.before_date_reading),
            allow_unread=args.allow_unread,
        )
    except DecreeImportError as exc:
        _error(f"{source}: {exc}")
        return 1
    except TableImportError as exc:
        for problem in exc.problems:
            _error(f"{source}: {problem}")
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(dump_plan(result.plan), encoding="utf-8")
    except OSError as exc:
        _error(f"cannot write {output}: {exc.strerror}")
        return 1
    print(f"{output}: written — {summary(result.plan)}")
    return 0


def summary(plan: Plan) -> str:
    """One line about a plan: its size and its period."""
    return (
        f"{len(plan.tasks)} tasks, {len(plan.sections)} sections, {len(plan.agencies)} agencies, "
        f"{plan.period.start.isoformat()}..{plan.period.end.isoformat()}"
    )


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with a summary for a valid plan, 1 listing every problem for an invalid one."""
    path: Path = args.path or settings.plan_path
    try:
        plan = load_plan(path)
    except PlanError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{path}: invalid — {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    for line in attention(plan):
        print(f"warning: {line}", file=sys.stderr)
    print(f"{path}: valid — {summary(plan)}")
    return 0


def attention(plan: Plan) -> list[str]:
    """What a valid plan still lacks: unread deadlines, and events whose date is not recorded."""
    lines = [
        f"task {task.number}: unread deadline «{task.deadline.phrase}» — no control point until "
        f"an administrator sets it (/setdeadline {task.number} …)"
        for task in plan.unread_tasks()
    ]
    for task in plan.event_tasks():
        for reading in event_readings(task.deadline):
            if reading.event_date is None:
                lines.append(
                    f"task {task.number}: waits for the date of «{reading.event}» "
                    f"(/event {task.number} DATE)"
                )
    return lines


def run_schema(args: argparse.Namespace, settings: Settings) -> int:
    """Print the JSON Schema, or write it to ``--output``."""
    text = plan_schema_json()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _error(f"cannot write {args.output}: {exc.strerror}")
        return 1
    print(f"{args.output}: written")
    return 0
