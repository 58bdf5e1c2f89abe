"""What a sender answers, and the ports the delivery worker uses.

Nothing here knows Telegram: the adapter in ``bot.delivery`` turns a ``Rendered`` message
(``scheduler.presentation``) into a Bot API call and the API's answer into one of the
outcomes below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import OutboxItem


@dataclass(frozen=True, slots=True)
class Sent:
    """Telegram accepted the message; ``message_id`` is None when its answer could not say."""

    message_id: int | None


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """Flood control: the whole bot must stay quiet for ``seconds``."""

    seconds: float


@dataclass(frozen=True, slots=True)
class _Failure:
    """A send that failed, with Telegram's description of why."""

    description: str


class Blocked(_Failure):
    """The user blocked the bot or the bot left the group: nothing more can reach the chat."""

    __slots__ = ()


class Transient(_Failure):
    """A failure that may pass: a server error, a timeout, a broken connection."""

    __slots__ = ()


class Rejected(_Failure):
    """Telegram refused this message for good (chat not found, text too long …)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Migrated:
    """The group became a supergroup and lives on under ``new_chat_id``."""

    new_chat_id: int


Outcome = Sent | RetryAfter | Blocked | Migrated | Transient | Rejected


class Sender(Protocol):
    """Delivers one message to one chat and reports how it went; never raises for API errors."""

    async def send(self, chat_id: int, message: Rendered) -> Outcome: ...


Render = Callable[[OutboxItem], Awaitable[Rendered | None]]
"""Builds the message for a planned item; None means it is no longer needed."""

Hold = Callable[[OutboxItem], dt.datetime | None]
"""When a due item must wait instead (outside working hours, say); None sends it now."""
