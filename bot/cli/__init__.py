"""Command-line interface: one module per subcommand, gathered into one parser.

Each subcommand module exposes ``register(subparsers)``; the parser it adds sets
``handler`` to a callable taking the parsed arguments and the settings, and returning
an exit code. The composition root reads the settings once and passes them in.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

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
