"""Telegram's sending limits: counting breaches after the fact and enforcing them live.

Three limits, checked strictly on the times the server processed successful sends
(sendMessage, sendDocument, sendPhoto; edits and callback answers do not count):

* total: at most 30 sends in any window of one second;
* per chat: at least one second between two sends to the same chat;
* per group (chat id < 0): at most 20 sends in any window of sixty seconds.

Telegram tolerates short bursts; these checks do not, so a bot that passes them stays
within the limits with no reliance on that tolerance. A window is half-open: a send exactly
one second (or sixty) after an earlier one is not inside that earlier one's window.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
TOTAL_PER_SECOND = 30
CHAT_INTERVAL = 1.0
GROUP_PER_MINUTE = 20
GROUP_WINDOW = 60.0
TOTAL_WINDOW = 1.0


@dataclass(frozen=True)
class Violations:
    """How many sends broke each limit, and the sends examined."""

    total_rate: int
    per_chat: int
    per_group: int
    sends: int

    @property
    def count(self) -> int:
        return self.total_rate + self.per_chat + self.per_group


def count_violations(sends: Iterable[tuple[float, int]]) -> Violations:
    """Breaches among ``(time, chat_id)`` sends; a send may breach several limits at once."""
    ordered = sorted(sends)
    recent: deque[float] = deque()
    last_in_chat: dict[int, float] = {}
    group_recent: defaultdict[int, deque[float]] = defaultdict(deque)
    total = per_chat = per_group = 0
    for when, chat_id in ordered:
        while recent and recent[0] <= when - TOTAL_WINDOW:
            recent.popleft()
        recent.append(when)
        if len(recent) > TOTAL_PER_SECOND:
            total += 1
        previous = last_in_chat.get(chat_id)
        if previous is not None and when - previous < CHAT_INTERVAL:
            per_chat += 1
        last_in_chat[chat_id] = when
        if chat_id < 0:
            window = group_recent[chat_id]
            while window and window[0] <= when - GROUP_WINDOW:
                window.popleft()
            window.append(when)
            if len(window) > GROUP_PER_MINUTE:
                per_group += 1
    return Violations(total, per_chat, per_group, len(ordered))


class RateEnforcer:
    """Refuses sends that would break a limit, the way Telegram answers 429.

    Only accepted sends are remembered; the caller reports them with ``accept``.
    """

    def __init__(self) -> None:
        self._recent: deque[float] = deque()
        self._last_in_chat: dict[int, float] = {}
        self._group_recent: defaultdict[int, deque[float]] = defaultdict(deque)

    def wait_needed(self, chat_id: int, now: float) -> float:
        """Seconds until a send to ``chat_id`` would break no limit (0 when allowed now)."""
        while self._recent and self._recent[0] <= now - TOTAL_WINDOW:
            self._recent.popleft()
        wait = 0.0
        if len(self._recent) >= TOTAL_PER_SECOND:
            oldest_kept = self._recent[-TOTAL_PER_SECOND]
            wait = max(wait, oldest_kept + TOTAL_WINDOW - now)
        previous = self._last_in_chat.get(chat_id)
        if previous is not None:
            wait = max(wait, previous + CHAT_INTERVAL - now)
        if chat_id < 0:
            window = self._group_recent[chat_id]
            while window and window[0] <= now - GROUP_WINDOW:
                window.popleft()
            if len(window) >= GROUP_PER_MINUTE:
                wait = max(wait, window[-GROUP_PER_MINUTE] + GROUP_WINDOW - now)
        return wait

    def retry_after(self, chat_id: int, now: float) -> int | None:
        """Whole seconds to wait (as ``retry_after`` says), or None when the send may go."""
        wait = self.wait_needed(chat_id, now)
        if wait <= 0:
            return None
        return max(1, math.ceil(wait))

    def accept(self, chat_id: int, now: float) -> None:
        self._recent.append(now)
        self._last_in_chat[chat_id] = now
        if chat_id < 0:
            self._group_recent[chat_id].append(now)
