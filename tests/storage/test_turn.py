"""SQLite's writers in turn within a process: a person's unit of work before the background's."""

from __future__ import annotations

import asyncio

import pytest

from scheduler.storage.turn import Turn


async def _take(turn: Turn, name: str, urgent: bool, order: list[str]) -> None:
    await turn.acquire(urgent=urgent)
    order.append(name)
    await asyncio.sleep(0)
    turn.release()


async def test_urgent_waiters_go_first_and_each_queue_in_arrival_order() -> None:
    turn, order = Turn(), []
    await turn.acquire(urgent=False)
    tasks = []
    for name, urgent in [
        ("planner", False),
        ("reply-1", True),
        ("worker", False),
        ("reply-2", True),
    ]:
        tasks.append(asyncio.create_task(_take(turn, name, urgent, order)))
        await asyncio.sleep(0)
    assert turn.waiting() == 4
    turn.release()
    await asyncio.gather(*tasks)
    assert order == ["reply-1", "reply-2", "planner", "worker"]
    assert not turn.held and turn.waiting() == 0


async def test_a_waiter_cancelled_before_or_after_its_turn_came_passes_it_on() -> None:
    turn, order = Turn(), []
    await turn.acquire()
    waiting = asyncio.create_task(turn.acquire(urgent=True))
    granted = asyncio.create_task(turn.acquire(urgent=True))
    last = asyncio.create_task(_take(turn, "last", False, order))
    await asyncio.sleep(0)
    waiting.cancel()
    turn.release()
    # The turn went to ``granted``, which is cancelled before it could run on.
    granted.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    with pytest.raises(asyncio.CancelledError):
        await granted
    await asyncio.wait_for(last, 1)
    assert order == ["last"]
    assert not turn.held


async def test_releasing_a_turn_nobody_holds_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not held"):
        Turn().release()
