"""What a status reply can say: the reading of one chat message.

The statuses themselves are the control vocabulary's (``scheduler.vocabulary.control``). A
``Reading`` is the classifier's verdict on one message. It is either clear (one status, which
the bot records) or unclear (no status; the bot asks with one button per candidate instead of
guessing). Whether the message says that information was sent is kept as a separate fact, since
sending a report and finishing the task are different things.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from scheduler.vocabulary.control import Status

__all__ = ["Confidence", "Reading", "Status"]


class Confidence(enum.StrEnum):
    """Whether the bot may record the status or has to ask."""

    CLEAR = "clear"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Reading:
    """The classifier's verdict on one message.

    ``status`` is set exactly when ``confidence`` is clear, and is then the only candidate.
    ``candidates`` lists, in ``Status`` order, what an unclear message could mean; it is empty
    when nothing was recognised. ``reason`` is a short English tag for logs and tests.
    """

    status: Status | None
    confidence: Confidence
    candidates: tuple[Status, ...]
    reason: str
    report_sent: bool

    def __post_init__(self) -> None:
        if (self.status is None) != (self.confidence is Confidence.UNCLEAR):
            raise ValueError("a reading has a status exactly when it is clear")
        if self.status is not None and self.candidates != (self.status,):
            raise ValueError("a clear reading has its status as the only candidate")
