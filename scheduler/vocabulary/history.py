"""The history vocabulary: what a line of a task's history records.

A task's history (the dashboard's task card) is made of the agencies' reports, the
controllers' decisions on them, and the requests for a new date with their decisions.
Each kind is named once here; its words are the catalog message
``dashboard.happened.<kind>`` (``tests/dashboard/test_views.py`` fails when a language
lacks one).
"""

from __future__ import annotations

import enum


class Happened(enum.StrEnum):
    REPORTED = "reported"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    EXTENSION_ASKED = "extension_asked"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REFUSED = "extension_refused"
