"""Test doubles for delivery: fake monotonic time, a scripted sender, a brute-force checker."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from scheduler.delivery.outcomes import Outcome, Sent
from scheduler.presentation import Rendered
from scheduler.storage.outbox_repo import NewMessage, OutboxItem
from scheduler.storage.tables import OutboxRow
from scheduler.storage.unit_of_work import Database
from scheduler.vocabulary.messages import MessageKind

START = dt.datetime(2025, 3, 3, 4, 0, tzinfo=dt.UTC)


class FakeTime:
    """Monotonic seconds that move only when something sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class Delivery:
    chat_id: int
    message: Rendered
    at: float


@dataclass
class ScriptedSender:
    """Answers each chat's sends from a script (then Sent), recording every call.

    A script entry may be an outcome or an exception to raise.
    """

    time: FakeTime | None = None
    script: dict[int, list[Outcome | Exception]] = field(default_factory=dict)
    calls: list[Delivery] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    async def send(self, chat_id: int, message: Rendered) -> Outcome:
        at = self.time.monotonic() if self.time is not None else 0.0
        self.calls.append(Delivery(chat_id, message, at))
        await asyncio.sleep(0)
        steps = self.script.get(chat_id)
        if steps:
            step = steps.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        return Sent(next(self._ids))

    def delivered(self) -> list[Delivery]:
        """The calls, in order."""
        return list(self.calls)


async def render_text(item: OutboxItem) -> Rendered:
    """A message naming its row, so a test can tell which row a send carried."""
    return Rendered(text=f"<b>{item.control_point}</b> {item.slot} #{item.id}")


def message(chat_id: int, point: str = "T1/1", slot: str = "0", **payload: str) -> NewMessage:
    return NewMessage(
        chat_id=chat_id,
        control_point=point,
        slot=slot,
        kind=MessageKind.REMINDER,
        due_at=START,
        payload=payload,
    )


async def enqueue(db: Database, messages: Iterable[NewMessage]) -> list[int]:
    """Plan the messages and return the new rows' ids in the order given."""
    batch = list(messages)
    async with db.unit_of_work() as uow:
        await uow.outbox.enqueue(batch, START)
    ids = []
    async with db.unit_of_work() as uow:
        for m in batch:
            row_id = await uow.session.scalar(
                select(OutboxRow.id).where(
                    OutboxRow.chat_id == m.chat_id,
                    OutboxRow.control_point == m.control_point,
                    OutboxRow.slot == m.slot,
                )
            )
            assert row_id is not None
            ids.append(row_id)
    return ids


def window_breaches(
    sends: Sequence[tuple[float, int]],
    *,
    total: int = 30,
    total_window: float = 1.0,
    chat_interval: float = 1.0,
    group: int = 20,
    group_window: float = 60.0,
) -> list[str]:
    """Every breach, found by looking at each half-open window that starts at a send."""
    found = []
    for start, chat in sends:
        in_total = [t for t, _ in sends if start <= t < start + total_window]
        if len(in_total) > total:
            found.append(f"{len(in_total)} sends in [{start}, {start + total_window})")
        same = [t for t, c in sends if c == chat and start <= t < start + chat_interval]
        if len(same) > 1:
            found.append(f"chat {chat}: {len(same)} sends within {chat_interval} s of {start}")
        if chat < 0:
            in_group = [t for t, c in sends if c == chat and start <= t < start + group_window]
            if len(in_group) > group:
                found.append(f"group {chat}: {len(in_group)} sends in a minute from {start}")
    return found
