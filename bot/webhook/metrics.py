"""Prometheus metrics of one instance, in a registry of its own built by the composition root.

Counting is cheap and synchronous; the outbox depth is read from the database when
the metrics are scraped (and by the health probe), so every instance reports the
shared backlog.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram.ext import Application

from scheduler.storage.outbox_repo import OutboxItem

METRICS_KEY = "eskertu.metrics"

# Labels of eskertu_updates_received_total.
ACCEPTED = "accepted"
REJECTED = "rejected"
MALFORMED = "malformed"
DUPLICATE = "duplicate"

# A tick plans a few hundred rows at most; seconds, not minutes.
_TICK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The instruments of one instance; each method is safe to call from any handler."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.updates = Counter(
            "eskertu_updates_received",
            "Updates posted to the webhook, by what became of them.",
            ["result"],
            registry=registry,
        )
        self.reminders_sent = Counter(
            "eskertu_reminders_sent",
            "Outbox messages Telegram accepted, by kind.",
            ["kind"],
            registry=registry,
        )
        self.delivery_failures = Counter(
            "eskertu_delivery_failures",
            "Outbox messages given up on, by reason.",
            ["reason"],
            registry=registry,
        )
        self.outbox_depth = Gauge(
            "eskertu_outbox_depth",
            "Messages waiting to be sent (pending or being sent), in the shared database.",
            registry=registry,
        )
        self.ticks = Counter(
            "eskertu_ticks",
            "Runs of the planning tick on this instance.",
            ["result"],
            registry=registry,
        )
        self.tick_duration = Histogram(
            "eskertu_tick_duration_seconds",
            "How long one planning tick took on this instance.",
            buckets=_TICK_BUCKETS,
            registry=registry,
        )
        for result in (ACCEPTED, REJECTED, MALFORMED, DUPLICATE):
            self.updates.labels(result=result)
        for result in ("ok", "error"):
            self.ticks.labels(result=result)

    # The delivery worker's hooks.

    def reminder_sent(self, item: OutboxItem, message_id: int | None) -> None:
        self.reminders_sent.labels(kind=item.kind).inc()

    def delivery_failed(self, item: OutboxItem, description: str) -> None:
        self.delivery_failures.labels(reason=failure_reason(description)).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def failure_reason(description: str) -> str:
    """A small, fixed set of reasons from the worker's free-text description."""
    if description.startswith("Forbidden"):
        return "blocked"
    if description.startswith("BadRequest"):
        return "rejected"
    if description.startswith("render failed"):
        return "render"
    if "keeps migrating" in description:
        return "migration"
    # What is left are transient errors whose retries ran out.
    return "retries_exhausted"


def metrics_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Metrics:
    found = app.bot_data.get(METRICS_KEY)
    if not isinstance(found, Metrics):
        raise TypeError("the application was not built by bot.__main__.build_application")
    return found
