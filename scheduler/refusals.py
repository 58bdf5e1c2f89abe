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
    NOT_OVERSEER = "not_overseer"
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
    BAD_DATE = "bad_date"
    ALREADY_REPORTED = "already_reported"
    NOT_CONTROLLER = "not_controller"
    OWN_REPORT = "own_report"
    STALE_REVIEW = "stale_review"
    NOT_SENT_HERE = "not_sent_here"
    COMMENT_NEEDED = "comment_needed"
    BAD_DATE_FOR_ITEM = "bad_date_for_item"
    NOT_A_CONTROLLING_DEPARTMENT = "not_a_controlling_department"
    NO_SUCH_REQUEST = "no_such_request"
    REASON_NEEDED = "reason_needed"
    NOT_YOUR_PROMPT = "not_your_prompt"
    BAD_EXTENSION_DATE = "bad_extension_date"
    PENDING_REQUEST = "pending_request"
    SNOOZE_PAST_DATE = "snooze_past_date"
    NO_SUCH_VERSION = "no_such_version"
    NOT_NOTIFIED = "not_notified"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    GROUP_ADMINS_DECIDE = "group_admins_decide"
    NO_SUCH_DRAFT = "no_such_draft"
    DRAFT_DECIDED = "draft_decided"
    STALE_DRAFT = "stale_draft"
    ALREADY_RECORDED = "already_recorded"
    NO_DASHBOARD = "no_dashboard"
    TASK_NOT_SHOWN = "task_not_shown"  # params: task


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
