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

import datetime as dt
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
    REVIEW = "review"  # a report of done, to its controllers, to accept or return
    REVIEW_REMINDER = "review_reminder"  # a report that has waited too long for acceptance
    REVIEW_DECISION = "review_decision"  # the controller's decision, to the agency
    EXTENSION_REQUEST = "extension_request"  # an agency asks for a new date, to controllers
    EXTENSION_DECISION = "extension_decision"  # the controller's answer, to the agency
    INTERIM_REQUEST = "interim_request"  # a controller asks the agencies for a report
    INTERIM_ANSWER = "interim_answer"  # an agency's answer, to the controller who asked
    PROMPT = "prompt"  # a question the bot asks one person, to be answered by a reply


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
        MessageKind.REVIEW: KindSpec(),
        MessageKind.REVIEW_REMINDER: KindSpec(),
        MessageKind.REVIEW_DECISION: KindSpec(),
        MessageKind.EXTENSION_REQUEST: KindSpec(),
        MessageKind.EXTENSION_DECISION: KindSpec(),
        MessageKind.INTERIM_REQUEST: KindSpec(),
        MessageKind.INTERIM_ANSWER: KindSpec(),
        MessageKind.PROMPT: KindSpec(),
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
    SNOOZED = "snoozed"  # the day a chat asked to be reminded again


KIND_OF_PHASE: Mapping[Phase, MessageKind] = MappingProxyType(
    {
        Phase.BEFORE: MessageKind.REMINDER,
        Phase.OVERDUE: MessageKind.OVERDUE,
        Phase.ESCALATION: MessageKind.ESCALATION,
        Phase.SNOOZED: MessageKind.REMINDER,
    }
)

_ESCALATION_TEXT = "esc"
_SNOOZED_TEXT = "z"


@dataclass(frozen=True, slots=True)
class Slot:
    """When a reminder goes out: ``days`` working days before or after its control point.

    ``due`` is set when the reminder counts from a date of the item's own (an extension or a
    return moved it) rather than the point's; for a snoozed reminder it is the day it was put
    off to. Its text (``str(slot)``: "-5", "+3", "esc", "-5@2016-07-20", "z@2016-07-21") is
    the outbox's ``slot`` column and part of the unique key that keeps a chat from getting the
    same reminder twice, so it never changes.
    """

    phase: Phase
    days: int = 0
    due: dt.date | None = None

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("a slot counts working days, 0 or more")
        if self.phase is Phase.OVERDUE and self.days == 0:
            raise ValueError("an overdue slot is at least one working day late")

    def __str__(self) -> str:
        if self.phase is Phase.ESCALATION:
            base = _ESCALATION_TEXT
        elif self.phase is Phase.SNOOZED:
            base = _SNOOZED_TEXT
        elif self.phase is Phase.OVERDUE:
            base = f"+{self.days}"
        else:
            base = "0" if self.days == 0 else f"-{self.days}"
        return base if self.due is None else f"{base}@{self.due.isoformat()}"

    @property
    def kind(self) -> MessageKind:
        return KIND_OF_PHASE[self.phase]

    @classmethod
    def parse(cls, text: str) -> Slot:
        """The slot written as ``text``; ValueError for anything else."""
        base, at, day = text.partition("@")
        due = dt.date.fromisoformat(day) if at else None
        if base == _SNOOZED_TEXT and due is not None:
            return cls(Phase.SNOOZED, 0, due)
        if base == _ESCALATION_TEXT:
            return cls(Phase.ESCALATION, 0, due)
        sign, digits = base[:1], base[1:]
        if base == "0":
            return cls(Phase.BEFORE, 0, due)
        if sign in "+-" and digits.isascii() and digits.isdigit():
            return cls(Phase.OVERDUE if sign == "+" else Phase.BEFORE, int(digits), due)
        raise ValueError(f"not a reminder slot: {text!r}")
