"""The control vocabulary: what an agency reports, what a controller decides, and the states
of a control item.

A control item is one agency's part of one control point. An agency reports a ``Status``;
a controller takes a report of done off control or returns it (``Decision``). The item's
``ItemState`` follows from its latest report and the decision on it (``scheduler.progress``
holds that rule), and a point's closer (its consolidator, else its lead) closes the point for
every co-executor with a report whose state closes.

Each status and each state is declared once, below, with everything the rest of the
project reads about it: whether it closes a point, whether it stops the reminders, the
catalog keys of its labels and of its answer button, its colour in the chart and its
column in the summary. Adding a status or a state means adding it here; the tests in
``tests/test_vocabulary.py`` fail until every language has its labels.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


class Status(enum.StrEnum):
    """What an agency can report about its part of a control point."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    PROBLEM = "problem"
    POSTPONED = "postponed"


class Source(enum.StrEnum):
    """How a report reached the bot."""

    REPLY = "reply"  # a message in reply to a reminder
    BUTTON = "button"  # an answer button under a reminder or a question
    COMMAND = "command"  # /done or /status


class Decision(enum.StrEnum):
    """What a controller decides about a report of done."""

    ACCEPT = "accept"  # бақылаудан алу: taken off control
    RETURN = "return"  # пысықтауға қайтару: returned for rework


class ItemState(enum.StrEnum):
    """Where a control item stands; NOT_STARTED until its agency says anything.

    DONE is a report of done that needs no acceptance (a co-executor's part, or acceptance
    switched off); the closer's report of done waits for its controller's acceptance.
    """

    DONE = "done"
    ACCEPTED = "accepted"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    RETURNED = "returned"
    IN_PROGRESS = "in_progress"
    PROBLEM = "problem"
    POSTPONED = "postponed"
    NOT_STARTED = "not_started"


@dataclass(frozen=True, slots=True)
class StatusSpec:
    """What the project knows of one status.

    ``state`` is the item state a report of it gives. ``words`` are what ``/status N WORD``
    accepts for it. ``button`` is the one-letter code of its answer button (at most a few
    bytes, since it rides in callback data), or None when no button offers it; ``button_key``
    and ``label_key`` are catalog keys: the button's label, and the status in a sentence.
    """

    state: ItemState
    words: tuple[str, ...]
    label_key: str
    button: str | None = None
    button_key: str | None = None


@dataclass(frozen=True, slots=True)
class StateSpec:
    """What the project knows of one item state.

    ``closes``: when the closer's item is in this state, the whole point is closed.
    ``stops_chasing``: an agency whose item is in this state is no longer reminded.
    ``label_key`` names it in chat (with its mark), ``plain_key`` in charts and spreadsheets,
    ``column`` is its summary column (catalog key ``report.col.<column>``), and ``colour``
    its bars' colour in the chart.
    """

    closes: bool
    stops_chasing: bool
    label_key: str
    plain_key: str
    column: str
    colour: str


STATUSES: Mapping[Status, StatusSpec] = MappingProxyType(
    {
        Status.DONE: StatusSpec(ItemState.DONE, ("done",), "status.done", "d", "button.done"),
        Status.IN_PROGRESS: StatusSpec(
            ItemState.IN_PROGRESS,
            ("in_progress", "progress"),
            "status.in_progress",
            "p",
            "button.in_progress",
        ),
        Status.PROBLEM: StatusSpec(
            ItemState.PROBLEM, ("problem",), "status.problem", "x", "button.problem"
        ),
        Status.POSTPONED: StatusSpec(ItemState.POSTPONED, ("postponed",), "status.postponed"),
    }
)

# Per state: closes, stops chasing, chat label, summary column, chart colour. The plain label
# is report.state.<state>; done and accepted share the summary's «done» column.
ITEM_STATES: Mapping[ItemState, StateSpec] = MappingProxyType(
    {
        state: StateSpec(closes, stops, label, f"report.state.{state}", column, colour)
        for state, closes, stops, label, column, colour in (
            (ItemState.DONE, True, True, "status.done", "done", "#2e7d32"),
            (ItemState.ACCEPTED, True, True, "state.accepted", "done", "#1b5e20"),
            (ItemState.AWAITING_ACCEPTANCE, False, True, "state.awaiting", "awaiting", "#26a69a"),
            (ItemState.RETURNED, False, False, "state.returned", "returned", "#ef6c00"),
            (ItemState.IN_PROGRESS, False, False, "status.in_progress", "in_progress", "#f9a825"),
            (ItemState.PROBLEM, False, False, "status.problem", "problem", "#c62828"),
            (ItemState.POSTPONED, False, False, "status.postponed", "postponed", "#6a1b9a"),
            (ItemState.NOT_STARTED, False, False, "status.none", "not_started", "#b0bec5"),
        )
    }
)


def summary_columns() -> tuple[str, ...]:
    """The summary's state columns, in the order of their first state."""
    return tuple(dict.fromkeys(spec.column for spec in ITEM_STATES.values()))


def state_of(status: Status | None) -> ItemState:
    """The state of an item whose latest report says ``status`` (None: nothing reported)."""
    return ItemState.NOT_STARTED if status is None else STATUSES[status].state


def status_named(word: str) -> Status | None:
    """The status a typed word names (``done``, ``progress`` …), or None."""
    folded = word.strip().lower()
    return next((s for s, spec in STATUSES.items() if folded in spec.words), None)


def answer_statuses() -> tuple[Status, ...]:
    """The statuses offered as answer buttons, in declaration order."""
    return tuple(s for s, spec in STATUSES.items() if spec.button is not None)


def status_of_button(code: str) -> Status | None:
    """The status whose answer button carries ``code``."""
    return next((s for s, spec in STATUSES.items() if spec.button == code), None)
