"""Gathering: the items that come while one write is under way go together in the next one.

The writes here keep what they were given, so that each test sees exactly which items went
together; what a gathered write of status replies does is tested in
tests/usecases/test_replies_together.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from scheduler.usecases.gathering import ALONE, Cue, Gathering


class Writes:
    """A write that records each batch and gives each item its double; it fails on ``bad``."""

    def __init__(self, *, bad: int | None = None, hold: asyncio.Event | None = None) -> None:
        self.batches: list[list[int]] = []
        self._bad = bad
        self._hold = hold

    async def __call__(self, items: Sequence[int]) -> list[int | Cue]:
        self.batches.append(list(items))
        if self._hold is not None:
            await self._hold.wait()
        else:
            await asyncio.sleep(0)
        if self._bad in items:
            raise ValueError("a row the database refused")
        return [ALONE if item < 0 else item * 2 for item in items]


async def test_a_lone_item_is_written_at_once_and_those_that_come_meanwhile_together() -> None:
    gathering: Gathering[int, int] = Gathering()
    writes = Writes()
    outcomes = await asyncio.gather(*(gathering.join(n, writes) for n in range(1, 7)))
    assert outcomes == [2, 4, 6, 8, 10, 12]
    # The first wrote alone; the five that came while it wrote went in the next write.
    assert writes.batches == [[1], [2, 3, 4, 5, 6]]
    # Nothing is writing now: the next item is written at once, alone.
    assert await gathering.join(7, writes) == 14
    assert writes.batches[-1] == [7]


async def test_no_write_takes_more_than_the_limit() -> None:
    gathering: Gathering[int, int] = Gathering(limit=2)
    writes = Writes()
    outcomes = await asyncio.gather(*(gathering.join(n, writes) for n in range(1, 6)))
    assert outcomes == [2, 4, 6, 8, 10]
    assert writes.batches == [[1], [2, 3], [4, 5]]


async def test_an_item_the_write_does_not_serve_is_told_to_go_alone() -> None:
    gathering: Gathering[int, int] = Gathering()
    writes = Writes()
    outcomes = await asyncio.gather(*(gathering.join(n, writes) for n in (1, 2, -3, 4)))
    assert outcomes == [2, 4, ALONE, 8]


async def test_a_failed_write_sends_each_of_its_items_alone_and_the_next_write_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gathering: Gathering[int, int] = Gathering()
    writes = Writes(bad=3)
    outcomes = await asyncio.gather(*(gathering.join(n, writes) for n in (1, 2, 3, 4)))
    # 2, 3 and 4 went together and the write failed: each of them is to be written alone.
    assert outcomes == [2, ALONE, ALONE, ALONE]
    assert writes.batches == [[1], [2, 3, 4]]
    assert "a gathered write of 3 failed" in caplog.text
    assert await gathering.join(5, writes) == 10


async def test_a_writer_cancelled_leaves_its_items_alone_and_the_line_moves_on() -> None:
    gathering: Gathering[int, int] = Gathering()
    held = asyncio.Event()
    writes = Writes(hold=held)
    first = asyncio.create_task(gathering.join(1, writes))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(gathering.join(n, writes)) for n in (2, 3)]
    await asyncio.sleep(0)
    assert writes.batches == [[1]]
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    # The next in line writes for those still waiting.
    held.set()
    assert [await task for task in waiting] == [4, 6]
    assert writes.batches == [[1], [2, 3]]


async def test_a_waiter_cancelled_leaves_the_line_and_its_turn_to_write_passes_on() -> None:
    gathering: Gathering[int, int] = Gathering()
    held = asyncio.Event()
    writes = Writes(hold=held)
    first = asyncio.create_task(gathering.join(1, writes))
    await asyncio.sleep(0)
    second = asyncio.create_task(gathering.join(2, writes))
    third = asyncio.create_task(gathering.join(3, writes))
    await asyncio.sleep(0)
    second.cancel()
    await asyncio.sleep(0)
    held.set()
    assert await first == 2
    assert await third == 6
    assert second.cancelled()
    # The cancelled item was never written.
    assert writes.batches == [[1], [3]]
