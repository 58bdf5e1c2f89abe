"""The limiter keeps Telegram's three sending limits and the bot-wide pause, in fake time."""

from __future__ import annotations

import asyncio
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.delivery.ratelimit import Limits, RateLimiter
from tests.delivery.fakes import FakeTime, window_breaches

NO_GUARD = Limits(guard=0.0)


def limiter(time: FakeTime, limits: Limits = NO_GUARD) -> RateLimiter:
    return RateLimiter(limits, monotonic=time.monotonic, sleep=time.sleep)


async def send(lim: RateLimiter, chat_id: int) -> float:
    """Acquire, send instantly, and return when the send happened."""
    permit = await lim.acquire(chat_id)
    permit.done()
    return permit.start


async def test_one_message_per_second_to_a_chat() -> None:
    time = FakeTime()
    lim = limiter(time)
    first = await send(lim, 42)
    assert lim.delay_for(42) == pytest.approx(1.0)
    assert lim.delay_for(43) == 0.0
    second = await send(lim, 42)
    assert second - first == pytest.approx(1.0)


async def test_at_most_thirty_a_second_in_total() -> None:
    time = FakeTime()
    lim = limiter(time)
    times = [await send(lim, chat) for chat in range(1, 61)]
    assert times[:30] == [times[0]] * 30
    assert times[30] == pytest.approx(times[0] + 1.0)
    assert times[59] == pytest.approx(times[0] + 1.0)
    assert window_breaches([(t, c) for t, c in zip(times, range(1, 61), strict=True)]) == []


async def test_at_most_twenty_a_minute_to_a_group() -> None:
    time = FakeTime()
    lim = limiter(time)
    times = [await send(lim, -100) for _ in range(21)]
    assert times[19] - times[0] == pytest.approx(19.0)
    assert times[20] - times[0] == pytest.approx(60.0)
    # A private chat is not held by the group's minute.
    assert lim.delay_for(7) == 0.0


async def test_a_pause_holds_every_chat() -> None:
    time = FakeTime()
    lim = limiter(time)
    lim.pause_for(5)
    assert lim.paused_for() == pytest.approx(5.0)
    assert lim.delay_for(1) == pytest.approx(5.0)
    assert lim.delay_for(-9) == pytest.approx(5.0)
    started = time.now
    when = await send(lim, 1)
    assert when - started == pytest.approx(5.0)
    assert lim.paused_for() == 0.0


async def test_a_shorter_pause_does_not_cut_a_longer_one() -> None:
    time = FakeTime()
    lim = limiter(time)
    lim.pause_for(10)
    lim.pause_for(2)
    assert lim.delay_for(1) == pytest.approx(10.0)


def test_a_send_in_flight_holds_its_chat_and_its_slot() -> None:
    time = FakeTime()
    lim = limiter(time, Limits(total=2, guard=0.0))
    slow = lim.record(1)
    other = lim.record(2)
    assert lim.delay_for(1) == math.inf
    # Both slots of the window are taken by sends with no end yet.
    assert lim.delay_for(3) == math.inf
    other.done()
    assert lim.delay_for(3) == pytest.approx(1.0)
    time.now += 0.5
    slow.done()
    # The window of the slow send counts from its answer.
    assert lim.delay_for(1) == pytest.approx(1.0)
    assert lim.delay_for(3) == pytest.approx(0.5)


def test_a_cancelled_send_gives_its_slot_back() -> None:
    time = FakeTime()
    lim = limiter(time)
    lim.record(1).done()
    time.now += 2
    permit = lim.record(1)
    permit.cancel()
    assert lim.delay_for(1) == 0.0
    lim.record(-5).done()
    time.now += 0.4
    again = lim.record(-5)
    again.cancel()
    # The earlier send to the group still holds its second.
    assert lim.delay_for(-5) == pytest.approx(0.6)


async def test_acquire_waits_for_the_send_in_flight() -> None:
    time = FakeTime()
    lim = limiter(time)
    first = lim.record(1)
    waiter = asyncio.create_task(lim.acquire(1))
    await asyncio.sleep(0)
    assert not waiter.done()
    time.now += 0.25
    first.done()
    second = await waiter
    assert second.start == pytest.approx(first.start + 1.25)


def test_limits_are_configurable() -> None:
    time = FakeTime()
    lim = limiter(time, Limits(total=3, total_window=2.0, chat_interval=0.5, guard=0.0))
    for chat in (1, 2, 3):
        lim.record(chat).done()
    assert lim.delay_for(4) == pytest.approx(2.0)
    time.now += 0.5
    assert lim.delay_for(1) == pytest.approx(1.5)


def _simulate(
    limits: Limits, chats: list[int], latencies: list[float], where: list[float]
) -> list[tuple[float, int]]:
    """Send to ``chats`` in order through the limiter; each send takes its latency and the
    server handles it at the given share of that latency. Returns the server's times."""
    time = FakeTime(0.0)
    lim = RateLimiter(limits, monotonic=time.monotonic, sleep=time.sleep)
    in_flight: list[tuple[float, object]] = []
    server: list[tuple[float, int]] = []
    for index, chat in enumerate(chats):
        while True:
            in_flight.sort(key=lambda entry: entry[0])
            while in_flight and in_flight[0][0] <= time.now:
                _, permit = in_flight.pop(0)
                permit.done()  # type: ignore[attr-defined]
            wait = lim.delay_for(chat)
            if wait <= 0:
                break
            next_end = in_flight[0][0] if in_flight else math.inf
            time.now = min(time.now + wait, next_end)
        permit = lim.record(chat)
        latency = latencies[index % len(latencies)]
        server.append((time.now + latency * where[index % len(where)], chat))
        in_flight.append((time.now + latency, permit))
    return server


@settings(max_examples=60, deadline=None)
@given(
    chats=st.lists(
        st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3]),
        min_size=1,
        max_size=160,
    ),
    latencies=st.lists(st.floats(0.0, 0.4), min_size=1, max_size=20),
    where=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20),
    total=st.integers(1, 30),
    group=st.integers(1, 20),
)
def test_no_stream_of_sends_breaches_a_window(
    chats: list[int], latencies: list[float], where: list[float], total: int, group: int
) -> None:
    limits = Limits(total=total, group=group, group_window=6.0, guard=0.0)
    server = _simulate(limits, chats, latencies, where)
    assert len(server) == len(chats)
    assert window_breaches(server, total=total, group=group, group_window=6.0) == []


def test_a_long_random_wave_keeps_the_default_limits_and_their_pace() -> None:
    rng = random.Random(7)
    chats = [rng.choice([*range(1, 400), -1, -2, -3, -4]) for _ in range(1500)]
    server = _simulate(Limits(), chats, [0.002, 0.004, 0.05, 0.0], [0.0, 0.5, 1.0, 0.9])
    assert window_breaches(server) == []
    span = max(t for t, _ in server) - min(t for t, _ in server)
    # The groups hold their own messages back; everything else keeps close to 30 a second.
    assert len(server) / span > 20
