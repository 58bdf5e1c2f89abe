"""A 1,000-chat broadcast sent by ``python -m bot`` processes killed with SIGKILL mid-way.

Run from the repository root::

    python -m bench.crash [--chats 1000] [--kills 5] [--seed N]

The database (SQLite in a temporary folder) is prepared with the chats and a confirmed
broadcast to all of them; then the bot runs as a child process against the local Bot API
server (20 ms latency per send) at Telegram's real limits, is killed after a random number
of sends ``--kills`` times, and a last run drains the outbox and stops on SIGTERM. The last
line printed holds the figures: ``lost`` chats without a copy (must be 0), ``duplicates``
extra copies against ``bound`` = kills × the worker's concurrency, the states of the rows,
``PRAGMA integrity_check`` and the seconds the whole run took. Before it, one line per
kill gives the duplicates that kill caused, each at most the worker's concurrency.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sandbox.botapi import BotApiServer
from tests.reliability.crashes import CONCURRENCY, CrashRun, kill_points

FIRST_CHAT = 300_000_001


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    started = time.monotonic()
    server = BotApiServer(token="700002:bench-crash")
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="eskertu-crash-") as folder:
            run = CrashRun(server, Path(folder), list(range(FIRST_CHAT, FIRST_CHAT + args.chats)))
            planned = run.prepare()
            server.add_latency(0.02, method="sendMessage")
            for number, more in enumerate(kill_points(random.Random(seed), args.kills, planned)):
                run.kill_after(more)
                print(
                    f"kill {number + 1}: after {run.sends_at_kills[-1]} sends, "
                    f"{run.waiting()} rows still waiting, duplicates so far {run.duplicates()}"
                )
            code = run.drain(within=600)
            per_kill, unexplained = run.duplicates_per_kill()
            for number, count in enumerate(per_kill):
                print(f"kill {number + 1}: {count} duplicates (bound {CONCURRENCY})")
            if unexplained:
                print(f"{unexplained} duplicates no kill explains")
            got = run.copies()
            lost = len(set(run.chats) - set(got))
            states = ",".join(f"{s}={n}" for s, n in sorted(run.states().items()))
            integrity = run.integrity()
            consistent = run.recorded_copies_exist()
    finally:
        server.stop()
    print(
        f"crash: seed={seed} chats={planned} kills={run.kills} concurrency={CONCURRENCY} "
        f"lost={lost} duplicates={run.duplicates()} bound={run.kills * CONCURRENCY} "
        f"states={states} rows_match_chats={consistent} integrity={integrity} "
        f"exit={code} seconds={time.monotonic() - started:.1f}"
    )


if __name__ == "__main__":
    main()
