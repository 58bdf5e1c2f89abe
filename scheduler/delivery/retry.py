"""When to try a message again after a failure that may pass, and when to give up on it.

The wait doubles from ``base`` up to ``cap``; a random share of it (``jitter``) is added or
taken away so that a wave of messages that failed together does not come back together.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``max_attempts`` counts every try, the first included."""

    base: float = 2.0
    factor: float = 2.0
    cap: float = 300.0
    max_attempts: int = 8
    jitter: float = 0.2
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base < 0 or self.cap < 0 or self.factor < 1:
            raise ValueError("waits must not shrink or be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter is a share of the wait, between 0 and 1")

    def backoff(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1 for the first)."""
        exponent = max(0, failures - 1)
        # Past the cap the exact power does not matter, and a huge one would overflow.
        raw = self.cap if exponent > 64 else min(self.cap, self.base * self.factor**exponent)
        spread = raw * self.jitter * (2 * self.random() - 1)
        return max(0.0, min(self.cap, raw + spread))

    def next_wait(self, failures: int) -> float | None:
        """Seconds until the next try after ``failures`` failed ones, or None to give up."""
        if failures >= self.max_attempts:
            return None
        return self.backoff(failures)
