"""What a chat can follow: an agency's control points, or one task's."""

from __future__ import annotations

import enum


class Follow(enum.StrEnum):
    """The kind of a subscription, as stored in its ``kind`` column."""

    AGENCY = "agency"  # the target is an agency's code
    TASK = "task"  # the target is a task's number
