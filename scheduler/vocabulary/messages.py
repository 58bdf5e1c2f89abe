"""The messages vocabulary: the kinds of message the outbox carries, and the slots of a reminder.

Every planned message has a ``MessageKind``. The reminder kinds are about one control
point: they are rendered from its facts when sent, and dropped when no longer needed.
A reminder's ``Slot`` says when, relative to its point, it goes out: ``-10`` … ``0``
before (the reminders), ``+1``, ``+3`` … after (the overdue nudges), ``esc`` (the one
escalation); the slot's phase decides the message's kind and who receives it.

Adding a reminder kind means: a member and its spec here, the slots its policy gives
(``scheduler.reminders.policy``), and its renderer (``bot.delivery.renderer``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


class MessageKind(enum.StrEnum):
    """What a planned message is, as stored in the outbox's ``kind`` column."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    MISSED_DIGEST = "missed_digest"
    DIGEST = "digest"
    PLAN_CHANGE = "plan_change"
    BROADCAST = "broadcast"
    BROADCAST_REPORT = "broadcast_report"


class Audience(enum.StrEnum):
    """Who a reminder goes to."""

    AGENCIES = "agencies"  # the chats following the open agencies, or the task
    CONTROLLERS = "controllers"  # the controlling departments' chats and the administrators


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What the project knows of one kind of message.

    ``audience`` is set for the reminder kinds, which are about one control point: they
    are rendered from its facts when sent and not sent once it needs nothing more.
    ``superseded``: a later message of the same point in the same chat makes this one
    unneeded (an old reminder is not sent after a newer one). ``title_key`` is the catalog
    key of a reminder's heading. ``working_hours``: the message keeps to working hours; one
    that would go out after them or on a day off (a backlog after a long pause or an
    outage) waits for the next working morning's send time.
    """

    audience: Audience | None = None
    superseded: bool = False
    title_key: str | None = None
    working_hours: bool = False

    def __post_init__(self) -> None:
        if (self.audience is None) != (self.title_key is None):
            raise ValueError("a kind about a control point has an audience and a heading")

    @property
    def about_point(self) -> bool:
        return self.audience is not None

    @property
    def heading_key(self) -> str:
        """The catalog key of a reminder's heading."""
        if self.title_key is None:
            raise ValueError("only a kind about a control point has a heading")
        return self.title_key


MESSAGE_KINDS: Mapping[MessageKind, KindSpec] = MappingProxyType(
    {
        MessageKind.REMINDER: KindSpec(
            Audience.AGENCIES,
            superseded=True,
            title_key="reminder.title.reminder",
            working_hours=True,
        ),
        MessageKind.OVERDUE: KindSpec(
            Audience.AGENCIES,
            superseded=True,
            title_key="reminder.title.overdue",
            working_hours=True,
        ),
        # An escalation, like an administrator's broadcast, goes out whenever it can.
        MessageKind.ESCALATION: KindSpec(
            Audience.CONTROLLERS, title_key="reminder.title.escalation"
        ),
        MessageKind.MISSED_DIGEST: KindSpec(),
        MessageKind.DIGEST: KindSpec(),
        MessageKind.PLAN_CHANGE: KindSpec(),
        MessageKind.BROADCAST: KindSpec(),
        MessageKind.BROADCAST_REPORT: KindSpec(),
    }
)


def reminder_kinds() -> tuple[MessageKind, ...]:
    """The kinds that are about one control point."""
    return tuple(kind for kind, spec in MESSAGE_KINDS.items() if spec.about_point)


class Phase(enum.StrEnum):
    """Where a reminder stands relative to its control point."""

    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


KIND_OF_PHASE: Mapping[Phase, MessageKind] = MappingProxyType(
    {
        Phase.BEFORE: MessageKind.REMINDER,
        Phase.OVERDUE: MessageKind.OVERDUE,
        Phase.ESCALATION: MessageKind.ESCALATION,
    }
)

_ESCALATION_TEXT = "esc"


@dataclass(frozen=True, slots=True)
class Slot:
    """When a reminder goes out: ``days`` working days before or after its control point.

    Its text (``str(slot)``) is the outbox's ``slot`` column and part of the unique key
    that keeps a chat from getting the same reminder twice, so it never changes.
    """

    phase: Phase
    days: int = 0

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("a slot counts working days, 0 or more")
        if self.phase is Phase.OVERDUE and self.days == 0:
            raise ValueError("an overdue slot is at least one working day late")

    def __str__(self) -> str:
        if self.phase is Phase.ESCALATION:
            return _ESCALATION_TEXT
        if self.phase is Phase.OVERDUE:
            return f"+{self.days}"
        return "0" if self.days == 0 else f"-{self.days}"

    @property
    def kind(self) -> MessageKind:
        return KIND_OF_PHASE[self.phase]

    @classmethod
    def parse(cls, text: str) -> Slot:
        """The slot written as ``text``; ValueError for anything else."""
        if text == _ESCALATION_TEXT:
            return cls(Phase.ESCALATION)
        sign, digits = text[:1], text[1:]
        if text == "0":
            return cls(Phase.BEFORE, 0)
        if sign in "+-" and digits.isascii() and digits.isdigit():
            return cls(Phase.OVERDUE if sign == "+" else Phase.BEFORE, int(digits))
        raise ValueError(f"not a reminder slot: {text!r}")
