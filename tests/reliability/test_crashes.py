"""``python -m bot`` killed mid-broadcast and started again: nothing lost, few duplicates.

SIGKILL at random points (the seed is in the failure message) must lose no copy, and may
send again only what was in flight: at most the worker's concurrency per kill. SIGTERM must
do better: the sends in flight finish, the rest of the claimed rows go back to the queue, so
a stop and a restart neither lose nor repeat anything.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sandbox.botapi.server import BotApiServer
from tests.reliability.crashes import CONCURRENCY, CrashRun, kill_points


@pytest.mark.slow
def test_sigkill_mid_broadcast_loses_nothing_and_repeats_only_the_sends_in_flight(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    run = CrashRun(botapi, tmp_path, list(range(40_000_001, 40_000_301)))
    assert run.prepare() == 300
    # A little latency keeps sends in flight, so that kills land in the middle of some.
    botapi.add_latency(0.02, method="sendMessage")
    for more in kill_points(random.Random(seed), 3, len(run.chats)):
        run.kill_after(more)
    assert run.waiting() > 0, f"seed {seed}: the kills came too late to matter"
    assert run.drain(within=40) == 0, run.log

    got = run.copies()
    assert set(got) == set(run.chats), f"seed {seed}: lost {set(run.chats) - set(got)}"
    # The bound holds for each kill, not only in total: a kill repeats at most the sends in
    # flight, and every duplicate is one a kill explains.
    per_kill, unexplained = run.duplicates_per_kill()
    assert len(per_kill) == run.kills == 3
    assert all(n <= CONCURRENCY for n in per_kill), (seed, per_kill, run.sends_at_kills)
    assert unexplained == 0, (seed, per_kill, unexplained)
    assert sum(per_kill) == run.duplicates() <= run.kills * CONCURRENCY, (seed, per_kill)
    assert run.states() == {"sent": 300}
    assert run.recorded_copies_exist()
    assert run.integrity() == "ok"


@pytest.mark.slow
def test_sigterm_mid_broadcast_finishes_or_returns_what_it_holds(
    botapi: BotApiServer, tmp_path: Path
) -> None:
    run = CrashRun(botapi, tmp_path, list(range(41_000_001, 41_000_151)))
    assert run.prepare() == 150
    botapi.add_latency(0.02, method="sendMessage")
    assert run.terminate_after(40) == 0, run.log
    # Nothing is left claimed: every row was sent or given back.
    states = run.states()
    assert set(states) == {"sent", "pending"}, states
    assert states["sent"] == sum(run.copies().values()) >= 40
    assert run.drain(within=30) == 0, run.log

    assert run.copies() == {chat: 1 for chat in run.chats}
    assert run.states() == {"sent": 150}
    assert run.recorded_copies_exist()
    assert "Traceback" not in run.log
