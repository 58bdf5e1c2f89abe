"""A 1,000-chat broadcast through Telegram faults, at Telegram's real sending limits.

Run from the repository root::

    python -m bench.faults [--outage 60]

The scenario of ``tests/reliability/broadcast_faults.py`` (blocked and unknown chats, a
migrated and a kicked group, bursts of 429, 5xx answers, a timeout, a dropped connection, and
the server down for ``--outage`` seconds half-way) on a SQLite database in a temporary
folder, with the real rate limiter (30/s, 1/s per chat, 20/min per group). The last line
printed holds the figures: copies per reachable chat (``exactly_once`` of ``reachable``),
``extra`` copies (answers lost as the server went down), the delivery report's counts, the
seconds until every copy had an outcome, and the server's count of limit ``violations``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
from pathlib import Path

from sandbox.botapi import BotApiServer
from scheduler.delivery.ratelimit import RateLimiter
from tests.reliability.broadcast_faults import broadcast_through_faults


async def run(outage: float) -> str:
    server = BotApiServer(token="700003:bench-faults")
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="eskertu-faults-") as folder:
            result = await broadcast_through_faults(
                server,
                f"sqlite+aiosqlite:///{Path(folder) / 'bot.sqlite3'}",
                RateLimiter(),
                outage=outage,
                within=outage + 300,
            )
        violations = server.violations()
        answered_429 = sum(1 for c in server.calls("sendMessage") if c.status == 429)
    finally:
        server.stop()
    got = result.broadcast_copies
    once = sum(1 for chat in result.reachable if got.get(chat) == 1)
    extra = sum(n - 1 for n in got.values() if n > 1)
    lost = sum(1 for chat in result.reachable if chat not in got)
    report = result.report or {}
    return (
        f"faults: recipients={result.recipients} reachable={len(result.reachable)} "
        f"exactly_once={once} lost={lost} extra={extra} "
        f"report_sent={report.get('sent')} report_blocked={report.get('blocked')} "
        f"report_failed={report.get('failed')} outage={outage:g}s "
        f"seconds={result.seconds:.1f} answered_429={answered_429} "
        f"violations={violations.count} sends={violations.sends}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=60.0)
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    # PTB's polling complains loudly while the server is down; the figures are what matter.
    logging.basicConfig(level=logging.CRITICAL)
    print(asyncio.run(run(args.outage)))


if __name__ == "__main__":
    main()
