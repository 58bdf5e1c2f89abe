"""Faults a test asks for: rules that make matching calls fail, stall or slow down.

A rule matches by method (case-insensitive) and/or chat id and applies a number of times,
for a duration, or until removed. Rules are tried in the order they were added; the first
active matching failure rule answers the call. Latency rules are separate: every active
matching latency rule adds its delay before the call is processed.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sandbox.botapi.errors import ApiError, forbidden, too_many_requests

RETRY_AFTER = "retry_after"
BLOCKED = "blocked"
KICKED = "kicked"
SERVER_ERROR = "server_error"
TIMEOUT = "timeout"
LATENCY = "latency"
ERROR = "error"
UNREADABLE = "unreadable"
# How an unreadable answer is unreadable: its JSON cut in half, ``{"ok": true}`` without a
# result, or a result that is not what the method returns.
UNREADABLE_SHAPES = ("truncated", "no_result", "bad_result")

_rule_ids = itertools.count(1)


@dataclass
class FaultRule:
    """One injected fault.

    ``methods`` empty means every method; ``chat_id`` None means every chat (and calls without
    a chat). ``times`` None means unlimited; ``until`` is a ``time.monotonic()`` deadline.

    For ``TIMEOUT``: the server holds the call ``delay`` seconds. With ``takes_effect`` the call
    is carried out first (the message is sent, only the answer is late), otherwise it is not.
    After the hold the connection is dropped when ``drop`` is set or the call had no effect,
    and the real answer is sent otherwise.

    For ``UNREADABLE``: the call is carried out, and a success is answered with status 200
    and a body of ``shape`` (see ``UNREADABLE_SHAPES``) instead of its real answer.
    """

    kind: str
    methods: frozenset[str] = frozenset()
    chat_id: int | None = None
    times: int | None = 1
    until: float | None = None
    retry_after: int = 1
    status: int = 502
    description: str | None = None
    delay: float = 0.0
    drop: bool = False
    takes_effect: bool = True
    shape: str = "truncated"
    id: int = field(default_factory=lambda: next(_rule_ids))
    hits: int = 0

    def active(self, now: float) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        return self.until is None or now < self.until

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.methods and method.lower() not in self.methods:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        """The answer for the failure kinds that answer with an error."""
        if self.kind == RETRY_AFTER:
            return too_many_requests(self.retry_after)
        if self.kind == BLOCKED:
            return forbidden("bot was blocked by the user")
        if self.kind == KICKED:
            return forbidden("bot was kicked from the group chat")
        if self.kind == SERVER_ERROR:
            default = "Bad Gateway" if self.status == 502 else "Internal Server Error"
            return ApiError(self.status, self.description or default)
        if self.kind == ERROR:
            return ApiError(self.status, self.description or "Bad Request")
        raise ValueError(f"fault kind {self.kind!r} does not answer with an error")


def unreadable_body(shape: str, answer: dict[str, object]) -> bytes:
    """The body that replaces a successful ``answer`` under an ``UNREADABLE`` rule."""
    if shape == "truncated":
        whole = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        return whole[: len(whole) // 2]
    if shape == "no_result":
        return b'{"ok": true}'
    if shape == "bad_result":
        return b'{"ok": true, "result": "sent"}'
    raise ValueError(f"unreadable shape {shape!r} is not one of {UNREADABLE_SHAPES}")


def method_set(method: str | Iterable[str] | None) -> frozenset[str]:
    if method is None:
        return frozenset()
    if isinstance(method, str):
        return frozenset({method.lower()})
    return frozenset(m.lower() for m in method)


class FaultPlan:
    """The rules in force; safe to change from any thread."""

    def __init__(self, lock: threading.RLock | None = None) -> None:
        # The server passes its state lock so that all shared state sits behind one lock.
        self._lock = lock if lock is not None else threading.RLock()
        self._rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules = [r for r in self._rules if r.id != rule.id]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def take_latency(self, method: str, chat_id: int | None) -> float:
        """Total injected latency for this call; each matching rule counts one use."""
        now = time.monotonic()
        total = 0.0
        with self._lock:
            for rule in self._rules:
                if rule.kind == LATENCY and rule.active(now) and rule.matches(method, chat_id):
                    rule.hits += 1
                    total += rule.delay
        return total

    def take_failure(self, method: str, chat_id: int | None) -> FaultRule | None:
        """The first active failure rule matching the call, counting one use of it."""
        now = time.monotonic()
        with self._lock:
            for rule in self._rules:
                if rule.kind == LATENCY or not rule.active(now):
                    continue
                if rule.matches(method, chat_id):
                    rule.hits += 1
                    return rule
        return None
