"""Whose turn it is to write to SQLite, within one process: people first, then the machinery.

SQLite lets one writer in at a time and makes the others sleep and poll; queueing this
process's transactions in turn is faster and fair. Not every writer is waited for alike,
though: a status reply or a button press has a person watching the chat, while the
planner's steps and the delivery worker's records only need to keep up with Telegram's
sending limits. So a unit of work asks either as a person's (``urgent``) or as the
background's; when the turn is given up it goes to the longest-waiting urgent unit, and to
the background only when no urgent one waits. People arrive one message at a time, so the
background is not starved, only moved back by a unit or two.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Turn:
    """A lock with two queues, urgent and background, each first come first served."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._background: deque[asyncio.Future[None]] = deque()

    @property
    def held(self) -> bool:
        return self._held

    def waiting(self) -> int:
        return sum(not f.done() for f in (*self._urgent, *self._background))

    async def acquire(self, *, urgent: bool = True) -> None:
        # Free means nobody waits: a release hands the turn straight to a waiter.
        if not self._held:
            self._held = True
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._background).append(granted)
        try:
            await granted
        except asyncio.CancelledError:
            # Cancelled after the turn was handed over: hand it on, or nobody ever writes.
            if granted.done() and not granted.cancelled():
                self.release()
            raise

    def release(self) -> None:
        """Hand the turn to the next waiter, urgent ones first; it stays held meanwhile."""
        if not self._held:
            raise RuntimeError("the turn is not held")
        for queue in (self._urgent, self._background):
            while queue:
                granted = queue.popleft()
                if not granted.done():
                    granted.set_result(None)
                    return
        self._held = False
