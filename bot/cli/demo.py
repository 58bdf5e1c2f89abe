"""``demo``: the sandbox, the real bot against a local Telegram with a web chat on 127.0.0.1.

The composition root builds and runs it (``bot.__main__``); this module reads its options.
"""

from __future__ import annotations

import argparse
import datetime as dt

from bot.cli import Handler
from sandbox.serve import DEFAULT_PORT
from sandbox.session import DEFAULT_START


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a local date and time such as 2016-06-01T08:30, got {text!r}"
        ) from None
    if moment.tzinfo is not None:
        raise argparse.ArgumentTypeError("give the local time without an offset (TIMEZONE applies)")
    return moment


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {text!r}")
    return int(text)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], handler: Handler) -> None:
    parser = sub.add_parser(
        "demo",
        help="the sandbox: the bot on a local Telegram with a web chat, no token needed",
        description=(
            "Run the bot against a local Bot API server on a fresh SQLite database, and serve a "
            "web chat on 127.0.0.1 where you speak as the administrator, a coordinator, an "
            "officer, a controller or a newcomer, and move the bot's clock forward."
        ),
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port of the web chat on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--start",
        type=_moment,
        default=DEFAULT_START,
        metavar="DATETIME",
        help=(
            "local date and time (TIMEZONE) the bot's clock starts at "
            f"(default {DEFAULT_START.isoformat(timespec='minutes')})"
        ),
    )
    parser.set_defaults(handler=handler)
