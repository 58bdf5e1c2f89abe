"""Where a status reply's milliseconds go, from what ``bench.profiled_bot`` wrote.

Two tables, both per reply:

* ``span_table``: the closed loop, one reply at a time; the median wall-clock time of
  each part of a reply, from the spans the bot recorded and the injection times the
  benchmark kept (one monotonic clock for both processes);
* ``cpu_table``: the burst; cProfile's own time of each function on the event loop's
  thread, summed by where the function lives and divided by the replies. Time spent in
  ``epoll`` is the loop waiting (for aiosqlite's thread, the Bot API server or a free
  core); ``SimpleQueue.put_nowait`` is the hand-off of a call to aiosqlite's thread.
  cProfile's cumulative times are not used: SQLAlchemy's greenlets switch under it.
"""

from __future__ import annotations

import pstats
import statistics
from collections import defaultdict
from pathlib import Path

Spans = list[tuple[str, float, float]]

# The parts of the handler, in the order they run.
HANDLER_PARTS = (
    ("open", "unit of work opened (SQLite's turn, the session)"),
    ("reads", "read ahead: contact if changed, languages, reminder, memberships, reports"),
    ("statements", "the report's own statements (its insert; its audit entry is held)"),
    ("commit", "the audit entries written, commit"),
    ("render", "rendering the answer from the catalog"),
    ("send", "sendMessage, until the Bot API's answer is read"),
)


def span_table(spans: Spans, injected: list[float], latencies: list[float]) -> str:
    """Markdown: the median milliseconds of each part of one reply."""
    updates = sorted((s, e) for name, s, e in spans if name == "update")
    parts: dict[str, list[float]] = defaultdict(list)
    for i, (start, end) in enumerate(updates[: len(injected)]):
        inside = [(n, s, e) for n, s, e in spans if n != "update" and start <= s <= end]
        took = defaultdict(float)
        for name, s, e in inside:
            took[name] += e - s
        parts["arrival"].append(start - injected[i])
        parts["dispatch"].append(end - start - took["handler"])
        for name, _label in HANDLER_PARTS:
            parts[name].append(took[name])
        parts["rest"].append(took["handler"] - sum(took[n] for n, _ in HANDLER_PARTS))
    rows = ["| part of one reply (closed loop) | median ms |", "|---|---:|"]

    def row(label: str, values: list[float]) -> None:
        rows.append(
            f"| {label} | {statistics.median(values) * 1000:.2f} |"
            if values
            else f"| {label} | – |"
        )

    row("the update reaches the bot (long poll answered, update parsed)", parts["arrival"])
    row("python-telegram-bot: choosing the handler, around it", parts["dispatch"])
    for name, label in HANDLER_PARTS:
        row(label, parts[name])
    row("the rest of the handler", parts["rest"])
    rows.append(
        f"| **injection to the answer recorded** (p50 of the loop) | "
        f"**{statistics.median(latencies):.2f}** |"
    )
    return "\n".join(rows)


# Where a function lives, by the first of these its file name contains.
PLACES = (
    ("/sqlalchemy/", "SQLAlchemy (statements, ORM, results)"),
    ("/greenlet/", "SQLAlchemy (statements, ORM, results)"),
    ("/aiosqlite/", "aiosqlite (the loop's side of each trip)"),
    ("/telegram/", "python-telegram-bot (updates, objects, dispatch)"),
    ("/httpx/", "HTTP client (httpx, httpcore)"),
    ("/httpcore/", "HTTP client (httpx, httpcore)"),
    ("/anyio/", "HTTP client (httpx, httpcore)"),
    ("/h11/", "HTTP client (httpx, httpcore)"),
    ("/bot/", "Eskertu (bot/, scheduler/)"),
    ("/scheduler/", "Eskertu (bot/, scheduler/)"),
    ("/asyncio/", "asyncio (the event loop, tasks)"),
    ("/json/", "JSON"),
    ("importlib", "imports"),
)
WAIT = "<method 'poll' of 'select.epoll' objects>"
HAND_OFF = "<method 'put_nowait' of '_queue.SimpleQueue' objects>"


def cpu_table(path: Path, replies: int, rate: float) -> str:
    """Markdown: the event loop's own time per reply, by where it is spent."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    places: dict[str, float] = defaultdict(float)
    for (file, _line, func), value in stats.items():
        own = value[2]
        if func == WAIT:
            places["waiting in epoll (nothing to run)"] += own
        elif func == HAND_OFF:
            places["handing a call to aiosqlite's thread"] += own
        else:
            where = next(
                (label for mark, label in PLACES if mark in file), "other (builtins, stdlib)"
            )
            places[where] += own
    total = sum(places.values())
    rows = ["| where the event loop's time goes (burst) | ms per reply |", "|---|---:|"]
    for label, value in sorted(places.items(), key=lambda kv: -kv[1]):
        rows.append(f"| {label} | {value * 1000 / replies:.2f} |")
    rows.append(
        f"| **all, profiled window** (the profiled burst: 1000 / {rate:.1f}/s = {1000 / rate:.2f}) "
        f"| **{total * 1000 / replies:.2f}** |"
    )
    return "\n".join(rows)
