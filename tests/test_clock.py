"""Tests for the injectable clocks and local time in Kazakhstan (scheduler.clock)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduler.clock import Clock, FakeClock, RunningClock, SystemClock, local_now

ALMATY = ZoneInfo("Asia/Almaty")


def test_system_clock_is_aware_utc_and_real() -> None:
    clock: Clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert before <= now <= after


def test_fake_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2016, 4, 10, 9, 0))


def test_fake_clock_answers_in_utc_whatever_zone_it_started_in() -> None:
    clock = FakeClock(datetime(2016, 4, 10, 9, 0, tzinfo=ALMATY))
    now = clock.now()
    assert now.tzinfo is UTC
    assert now == datetime(2016, 4, 10, 3, 0, tzinfo=UTC)


def test_fake_clock_stands_still_until_advanced() -> None:
    start = datetime(2016, 1, 1, tzinfo=UTC)
    clock = FakeClock(start)
    assert clock.now() == clock.now() == start
    clock.advance(timedelta(hours=30))
    assert clock.now() == datetime(2016, 1, 2, 6, 0, tzinfo=UTC)
    clock.advance(timedelta(0))
    assert clock.now() == datetime(2016, 1, 2, 6, 0, tzinfo=UTC)


def test_fake_clock_refuses_to_advance_backwards() -> None:
    clock = FakeClock(datetime(2016, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(timedelta(seconds=-1))
    assert clock.now() == datetime(2016, 1, 1, tzinfo=UTC)


def test_fake_clock_set_moves_forward_only() -> None:
    clock = FakeClock(datetime(2016, 1, 1, tzinfo=UTC))
    clock.set(datetime(2016, 7, 10, 4, 0, tzinfo=UTC))
    assert clock.now() == datetime(2016, 7, 10, 4, 0, tzinfo=UTC)
    # The same instant written in another zone is not a move back.
    clock.set(datetime(2016, 7, 10, 10, 0, tzinfo=ALMATY))
    assert clock.now() == datetime(2016, 7, 10, 4, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set(datetime(2016, 7, 10, 3, 59, 59, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2017, 1, 1))
    assert clock.now() == datetime(2016, 7, 10, 4, 0, tzinfo=UTC)


def test_local_now_in_2016_is_utc_plus_6() -> None:
    clock = FakeClock(datetime(2016, 4, 10, 0, 0, tzinfo=UTC))
    local = local_now(clock, ALMATY)
    assert local.utcoffset() == timedelta(hours=6)
    assert (local.date(), local.hour) == (date(2016, 4, 10), 6)


def test_local_now_in_2025_is_utc_plus_5() -> None:
    clock = FakeClock(datetime(2025, 6, 1, 0, 0, tzinfo=UTC))
    local = local_now(clock, ALMATY)
    assert local.utcoffset() == timedelta(hours=5)
    assert local.hour == 5


def test_local_now_across_the_move_to_a_single_time_zone_on_1_march_2024() -> None:
    # Midnight of 1 March 2024 at UTC+6 became 23:00 of 29 February at UTC+5.
    clock = FakeClock(datetime(2024, 2, 29, 17, 59, 59, tzinfo=UTC))
    before = local_now(clock, ALMATY)
    assert before.utcoffset() == timedelta(hours=6)
    assert (before.day, before.hour, before.minute) == (29, 23, 59)
    clock.advance(timedelta(seconds=1))
    after = local_now(clock, ALMATY)
    assert after.utcoffset() == timedelta(hours=5)
    assert (after.day, after.hour, after.minute) == (29, 23, 0)
    # The local date reaches 1 March an hour later than it would have at UTC+6.
    clock.advance(timedelta(minutes=59, seconds=59))
    assert local_now(clock, ALMATY).date() == date(2024, 2, 29)
    clock.advance(timedelta(seconds=1))
    assert local_now(clock, ALMATY).date() == date(2024, 3, 1)


def test_local_now_refuses_a_clock_that_returns_naive_time() -> None:
    class NaiveClock:
        def now(self) -> datetime:
            return datetime(2016, 1, 1, 12, 0)

    with pytest.raises(ValueError, match="timezone-aware"):
        local_now(NaiveClock(), ALMATY)


def test_local_now_accepts_a_clock_in_another_fixed_zone() -> None:
    class PlusThreeClock:
        def now(self) -> datetime:
            return datetime(2016, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))

    assert local_now(PlusThreeClock(), ALMATY) == datetime(2016, 1, 1, 15, 0, tzinfo=ALMATY)


def test_a_year_of_hourly_ticks_visits_every_local_day_of_2016() -> None:
    clock = FakeClock(datetime(2016, 1, 1, 0, 0, tzinfo=ALMATY))
    seen: set[date] = set()
    while (local := local_now(clock, ALMATY)).year == 2016:
        seen.add(local.date())
        clock.advance(timedelta(hours=1))
    assert len(seen) == 366
    assert min(seen) == date(2016, 1, 1)
    assert max(seen) == date(2016, 12, 31)
    assert clock.now() == datetime(2016, 12, 31, 18, 0, tzinfo=UTC)


class _Ticks:
    """A monotonic source that moves only when told to."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_running_clock_runs_in_real_time_from_its_start() -> None:
    ticks = _Ticks()
    clock = RunningClock(datetime(2016, 6, 1, 9, 0, tzinfo=ALMATY), monotonic=ticks)
    assert clock.now() == datetime(2016, 6, 1, 3, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    ticks.value += 90.5
    assert clock.now() == datetime(2016, 6, 1, 3, 1, 30, 500_000, tzinfo=UTC)


def test_running_clock_jumps_forward_and_runs_on_from_there() -> None:
    ticks = _Ticks()
    clock = RunningClock(datetime(2016, 6, 1, 3, 0, tzinfo=UTC), monotonic=ticks)
    ticks.value += 10
    clock.jump_to(datetime(2016, 6, 8, 9, 0, tzinfo=ALMATY))
    assert clock.now() == datetime(2016, 6, 8, 3, 0, tzinfo=UTC)
    ticks.value += 60
    assert clock.now() == datetime(2016, 6, 8, 3, 1, tzinfo=UTC)
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2016, 6, 9, 3, 1, tzinfo=UTC)


def test_running_clock_never_goes_back() -> None:
    ticks = _Ticks()
    clock = RunningClock(datetime(2016, 6, 1, 3, 0, tzinfo=UTC), monotonic=ticks)
    ticks.value += 5
    with pytest.raises(ValueError, match="cannot go back"):
        clock.jump_to(datetime(2016, 6, 1, 3, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.jump_to(datetime(2016, 6, 2, 9, 0))
    assert clock.now() == datetime(2016, 6, 1, 3, 0, 5, tzinfo=UTC)


def test_running_clock_really_runs() -> None:
    clock = RunningClock(datetime(2016, 6, 1, 3, 0, tzinfo=UTC))
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() > first
