"""Command-line interface: one module per subcommand, gathered into one parser.

Each subcommand module exposes ``register(subparsers)``; the parser it adds sets
``handler`` to a callable taking the parsed arguments and the settings, and returning
an exit code. The composition root reads the settings once and passes them in.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from scheduler.plan import PlanError, load_plan
from scheduler.plan.model import Plan

if TYPE_CHECKING:
    from bot.settings import Settings

Handler = Callable[[argparse.Namespace, "Settings"], int]
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def build_parser(registrars: Sequence[Registrar]) -> argparse.ArgumentParser:
    """Build the top-level parser from the subcommand registrars, in the order given."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Eskertu: reminders and status tracking for a government action plan.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in registrars:
        register(sub)
    return parser


def plan_or_problems(settings: Settings, prog: str) -> Plan | None:
    """The plan the settings name, or None once its problems are printed, one per line."""
    try:
        return load_plan(settings.plan_path)
    except PlanError as exc:
        print(f"{prog}: the plan {settings.plan_path} is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
