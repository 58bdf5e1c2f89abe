"""The benchmarks still run: each one at a tiny size, checked for a well-formed figures line.

Timings are never asserted; a slow machine must not fail the suite. Each benchmark runs
as ``python -m bench.NAME`` from the repository root, as its documentation says.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"^-?\d+(\.\d+)?(/s)?$")


def figures(
    module: str, *args: str, timeout: float = 120, name: str | None = None
) -> dict[str, str]:
    """Run the benchmark and return the key=value pairs of its last line, which is named
    ``name`` (the module's name unless given)."""
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args, "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    said, _, rest = last.partition(": ")
    assert said == (name or module), last
    pairs = dict(item.split("=", 1) for item in rest.split())
    return pairs


def assert_numbers(pairs: dict[str, str], keys: set[str]) -> None:
    for key in keys:
        assert NUMBER.match(pairs[key]), f"{key}={pairs[key]}"


def test_scan_prints_its_figures() -> None:
    pairs = figures("scan", "--tasks", "200", "--subs", "200", "--runs", "1", "--idle-runs", "2")
    numeric = {
        "tasks",
        "subs",
        "idle_ms",
        "due1pct_ms",
        "occasions",
        "planned",
        "same_due_tasks",
        "same_due_ms",
        "same_due_planned",
        "steps",
        "step_max_ms",
        "step_p99_ms",
        "read_max_ms",
        "read_p99_ms",
        "rss_mb",
    }
    assert set(pairs) == numeric | {"engine"}
    assert_numbers(pairs, numeric)
    assert pairs["engine"] == "sqlite"
    # One task in a hundred is due on the measured day; the comparison plan is a tenth as big.
    assert (pairs["tasks"], pairs["subs"], pairs["occasions"]) == ("200", "200", "2")
    assert pairs["same_due_tasks"] == "20"
    assert int(pairs["planned"]) > 0 and int(pairs["same_due_planned"]) > 0
    assert int(pairs["steps"]) >= 1 and float(pairs["step_max_ms"]) > 0


@pytest.mark.slow
def test_memory_prints_its_figures() -> None:
    # The bot's own tick plans today's wave of a small plan; two seconds of sending follow.
    pairs = figures(
        "memory",
        *("--tasks", "100", "--due", "2", "--subs", "200", "--send-seconds", "2"),
        timeout=240,
    )
    keys = {
        "tasks",
        "due",
        "subs",
        "planned",
        "planning_s",
        "planning_peak_mb",
        "sending_peak_mb",
        "send_window_s",
        "sent",
        "peak_rss_mb",
        "startup_s",
    }
    assert set(pairs) == keys
    assert_numbers(pairs, keys)
    assert (pairs["tasks"], pairs["due"], pairs["subs"]) == ("100", "2", "200")
    assert int(pairs["planned"]) > 0 and int(pairs["sent"]) > 0
    assert float(pairs["planning_peak_mb"]) > 0 and float(pairs["sending_peak_mb"]) > 0


@pytest.mark.slow
def test_wave_replies_prints_its_figures() -> None:
    pairs = figures(
        "wave_replies",
        *("--tasks", "200", "--subs", "2000", "--officers", "3", "--idle", "10"),
        timeout=240,
    )
    keys = {
        "planned",
        "planning_s",
        "n",
        "p50_ms",
        "p99_ms",
        "max_ms",
        "idle_p50_ms",
        "idle_p99_ms",
        "lost",
        "locked",
    }
    assert set(pairs) == keys | {"engine"}
    assert_numbers(pairs, keys)
    assert pairs["engine"] == "sqlite"
    assert int(pairs["planned"]) > 0
    assert (pairs["lost"], pairs["locked"]) == ("0", "0")


@pytest.mark.slow
def test_replies_prints_its_figures() -> None:
    pairs = figures("replies", "--replies", "10", "--officers", "3", "--runs", "1")
    keys = {
        "n",
        "runs",
        "rate",
        "p50_ms",
        "p99_ms",
        "echo_rate",
        "echo_p50_ms",
        "echo_p99_ms",
        "ratio",
    }
    assert set(pairs) == keys
    assert_numbers(pairs, keys)
    assert (pairs["n"], pairs["runs"]) == ("10", "1")
    assert pairs["rate"].endswith("/s") and pairs["echo_rate"].endswith("/s")


@pytest.mark.slow
def test_replies_floor_prints_the_rate_without_the_transaction() -> None:
    # The benchmark itself fails unless exactly each officer's first reply was stored.
    tiny = ("--replies", "10", "--officers", "3", "--runs", "1", "--floor")
    pairs = figures("replies", *tiny, name="replies_floor")
    assert {"rate", "echo_rate", "ratio"} <= set(pairs)
    assert_numbers(pairs, {"n", "runs", "rate", "p99_ms", "echo_rate", "ratio"})
    assert float(pairs["rate"].removesuffix("/s")) > 0


@pytest.mark.slow
def test_replies_profile_prints_where_a_reply_goes() -> None:
    tiny = ["--replies", "10", "--officers", "3", "--profile", "--quiet"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.replies", *tiny],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "| part of one reply (closed loop) | median ms |"
    assert any(line.startswith("| read ahead:") for line in lines)
    assert any(line.startswith("| the report's own statements") for line in lines)
    assert "| where the event loop's time goes (burst) | ms per reply |" in lines
    assert lines[-1].startswith("| **all, profiled window**")
