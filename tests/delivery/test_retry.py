"""Backoff doubles up to a cap, spreads with jitter, and gives up after the last attempt."""

from __future__ import annotations

import pytest

from scheduler.delivery.retry import RetryPolicy


def test_waits_double_from_the_base_up_to_the_cap() -> None:
    policy = RetryPolicy(base=2, cap=300, jitter=0, max_attempts=20)
    assert [policy.backoff(n) for n in range(1, 10)] == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert policy.backoff(1000) == 300


def test_jitter_spreads_the_wait_both_ways_within_the_cap() -> None:
    low = RetryPolicy(base=10, jitter=0.2, random=lambda: 0.0)
    high = RetryPolicy(base=10, jitter=0.2, random=lambda: 0.999999)
    assert low.backoff(1) == pytest.approx(8.0)
    assert high.backoff(1) == pytest.approx(12.0, abs=1e-4)
    capped = RetryPolicy(base=10, cap=10, jitter=0.5, random=lambda: 0.999999)
    assert capped.backoff(3) == 10


def test_gives_up_after_the_last_attempt() -> None:
    policy = RetryPolicy(base=1, jitter=0, max_attempts=3)
    assert policy.next_wait(1) == 1
    assert policy.next_wait(2) == 2
    assert policy.next_wait(3) is None


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"base": -1}, {"factor": 0.5}, {"jitter": 1.5}]
)
def test_nonsense_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
