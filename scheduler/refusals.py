"""Why a use case says no: a code, and the values its message needs.

A refusal reaches the user as the catalog message ``refusal.<code>`` in their language,
filled in with ``params``; ``tests/test_vocabulary.py`` fails when a code lacks its message
in any language. Codes name the reason, never the wording.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Why(enum.StrEnum):
    NOT_ADMIN = "not_admin"
    NOT_MEMBER = "not_member"
    GROUP_LANGUAGE_ADMINS_ONLY = "group_language_admins_only"
    UNKNOWN_TASK = "unknown_task"
    UNKNOWN_AGENCY = "unknown_agency"
    UNKNOWN_ROLE = "unknown_role"
    NOTHING_OPEN = "nothing_open"
    UNKNOWN_REMINDER = "unknown_reminder"
    NOT_A_REMINDER = "not_a_reminder"
    UNCLEAR = "unclear"
    UNKNOWN_AUDIENCE = "unknown_audience"
    EMPTY_MESSAGE = "empty_message"
    NOBODY_TO_TELL = "nobody_to_tell"
    NO_SUCH_BROADCAST = "no_such_broadcast"
    ALREADY_DECIDED = "already_decided"
    NO_EVENT = "no_event"
    EVENT_NOT_ENTITLED = "event_not_entitled"
    GROUP_ADMINS_DECIDE = "group_admins_decide"
    NO_SUCH_DRAFT = "no_such_draft"
    DRAFT_DECIDED = "draft_decided"
    STALE_DRAFT = "stale_draft"
    ALREADY_RECORDED = "already_recorded"


def _frozen(values: Mapping[str, object] | None = None) -> Mapping[str, object]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Refusal:
    """The use case did nothing (beyond recording the attempt where that matters)."""

    why: Why
    params: Mapping[str, object] = field(default_factory=_frozen)

    @classmethod
    def of(cls, why: Why, **params: object) -> Refusal:
        return cls(why, _frozen(params))
