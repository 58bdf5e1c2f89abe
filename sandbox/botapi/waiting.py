"""Waiting for the bot to act: poll the recorded calls and messages until one matches.

The async variants sleep 10 ms between looks and never touch the server's event loop, so a
test running the bot in its own loop can await them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sandbox.botapi.controls import Controls
from sandbox.botapi.model import Call

POLL_INTERVAL = 0.01
CallPredicate = Callable[[Call], bool]
MessagePredicate = Callable[[dict[str, Any]], bool]


class Waiting(Controls):
    """Wait helpers on top of the recording queries."""

    def _find_call(
        self, method: str, predicate: CallPredicate | None, since: int | None
    ) -> Call | None:
        for call in self.calls(method=method, since=since):
            if predicate is None or predicate(call):
                return call
        return None

    def _find_message(
        self, chat_id: int, predicate: MessagePredicate | None, since: int | None
    ) -> dict[str, Any] | None:
        for message in self.sent_messages(chat_id, since=since):
            if predicate is None or predicate(message):
                return message
        return None

    def _timeout_error(self, what: str, timeout: float) -> TimeoutError:
        seen = [f"{c.method}({c.chat_id})={c.status}" for c in self.calls()[-15:]]
        return TimeoutError(f"no {what} within {timeout} s; last calls: {', '.join(seen)}")

    async def wait_for_call(
        self,
        method: str,
        predicate: CallPredicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented call signature
        since: int | None = None,
    ) -> Call:
        """The first recorded call of ``method`` matching ``predicate`` (from ``since``)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._find_call(method, predicate, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout_error(f"matching {method} call", timeout)
            await asyncio.sleep(POLL_INTERVAL)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: MessagePredicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented call signature
        since: int | None = None,
    ) -> dict[str, Any]:
        """The first message the bot sent to the chat matching ``predicate`` (edits applied)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._find_message(chat_id, predicate, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout_error(f"matching message to chat {chat_id}", timeout)
            await asyncio.sleep(POLL_INTERVAL)

    def wait_for_call_sync(
        self,
        method: str,
        predicate: CallPredicate | None = None,
        timeout: float = 5.0,
        since: int | None = None,
    ) -> Call:
        deadline = time.monotonic() + timeout
        while True:
            found = self._find_call(method, predicate, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout_error(f"matching {method} call", timeout)
            time.sleep(POLL_INTERVAL)

    def wait_for_message_sync(
        self,
        chat_id: int,
        predicate: MessagePredicate | None = None,
        timeout: float = 5.0,
        since: int | None = None,
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            found = self._find_message(chat_id, predicate, since)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout_error(f"matching message to chat {chat_id}", timeout)
            time.sleep(POLL_INTERVAL)
