"""Updates that arrive while others are being written are written together, in one transaction.

A status reply costs a handful of small statements and a commit, and in a burst of replies
the bot's one interpreter spends more on making each statement than the database spends
on running it. So replies are gathered: the first to come writes alone; those that come
while it writes wait, and the first of them then writes all of them at once, reading what
they need in one query each. Nobody waits for a timer, so a reply that arrives alone is
written at once, and a burst is written in as few transactions as the writes take.

Whatever goes wrong with a gathered write, nothing of it is kept (its transaction rolls
back) and each update is told to go ``ALONE``: written on its own, as if it had never been
gathered, so that one bad update costs the others nothing but a second try.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

ItemT = TypeVar("ItemT")
OutcomeT = TypeVar("OutcomeT")
log = logging.getLogger("eskertu.gathering")


class Cue(enum.Enum):
    """What a waiting update is told besides its outcome."""

    # Write yourself, alone: the gathered write failed, or could not serve this update.
    ALONE = "alone"
    # Write the updates waiting now, yours first: the previous writer is done.
    LEAD = "lead"


ALONE = Cue.ALONE


@dataclass(eq=False)
class _Waiter(Generic[ItemT, OutcomeT]):
    item: ItemT
    outcome: asyncio.Future[OutcomeT | Cue] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Gathering(Generic[ItemT, OutcomeT]):
    """Gathers the items that come while a write is under way, for the next write.

    ``write`` is given the items in the order they came and gives one outcome for each, in the
    same order (``ALONE`` for one it does not serve). At most ``limit`` items go in one write.
    """

    def __init__(self, limit: int = 100) -> None:
        self._limit = limit
        self._waiting: deque[_Waiter[ItemT, OutcomeT]] = deque()
        self._writing = False

    async def join(
        self, item: ItemT, write: Callable[[Sequence[ItemT]], Awaitable[Sequence[OutcomeT | Cue]]]
    ) -> OutcomeT | Cue:
        """The outcome of ``item``: written with those waiting along with it, or ``ALONE``."""
        me: _Waiter[ItemT, OutcomeT] = _Waiter(item)
        self._waiting.append(me)
        if self._writing:
            try:
                told = await me.outcome
            except asyncio.CancelledError:
                self._leave(me)
                raise
            if told is not Cue.LEAD:
                return told
        self._writing = True
        batch = [self._waiting.popleft() for _ in range(min(self._limit, len(self._waiting)))]
        try:
            outcomes: Sequence[OutcomeT | Cue] = await write([w.item for w in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError("a gathered write gave the wrong number of outcomes")
        except Exception:
            log.exception("a gathered write of %d failed; each is written alone", len(batch))
            outcomes = [ALONE] * len(batch)
        except BaseException:
            # Cancelled: the others write alone, and the next in line writes for the rest.
            self._tell(batch, [ALONE] * len(batch), me)
            self._hand_on()
            raise
        self._tell(batch, outcomes, me)
        self._hand_on()
        return outcomes[batch.index(me)]

    def _tell(
        self, batch: list[_Waiter[ItemT, OutcomeT]], outcomes: Sequence[OutcomeT | Cue], me: object
    ) -> None:
        for waiter, outcome in zip(batch, outcomes, strict=True):
            if waiter is not me and not waiter.outcome.done():
                waiter.outcome.set_result(outcome)

    def _hand_on(self) -> None:
        """The first waiter still waiting writes next; with nobody waiting, nobody writes."""
        while self._waiting:
            first = self._waiting[0]
            if not first.outcome.done():
                first.outcome.set_result(Cue.LEAD)
                return
            self._waiting.popleft()
        self._writing = False

    def _leave(self, me: _Waiter[ItemT, OutcomeT]) -> None:
        """A waiter cancelled: out of the line, and if it was told to write, the next one is."""
        if me in self._waiting:
            self._waiting.remove(me)
        if me.outcome.done() and not me.outcome.cancelled() and me.outcome.result() is Cue.LEAD:
            self._hand_on()
