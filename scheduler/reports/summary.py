"""Counting report items per agency: states, overdue items and the on-time share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from scheduler.reports.items import Item
from scheduler.vocabulary.control import ITEM_STATES, ItemState


def _no_counts() -> Mapping[ItemState, int]:
    return MappingProxyType(dict.fromkeys(ItemState, 0))


@dataclass(frozen=True)
class AgencySummary:
    """One agency's items counted by state; ``overdue`` overlaps the states that are not done.

    ``on_time`` of the ``due`` items were done no later than their effective date.
    """

    agency: str
    counts: Mapping[ItemState, int] = field(default_factory=_no_counts)
    overdue: int = 0
    due: int = 0
    on_time: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_column(self, column: str) -> int:
        """The items whose state the summary counts in ``column`` (done and accepted share one)."""
        return sum(n for state, n in self.counts.items() if ITEM_STATES[state].column == column)

    @property
    def on_time_share(self) -> float | None:
        """On-time items over the items due so far; None while nothing is due."""
        return self.on_time / self.due if self.due else None


def _summary(agency: str, items: Sequence[Item]) -> AgencySummary:
    counts = dict.fromkeys(ItemState, 0)
    for item in items:
        counts[item.state] += 1
    return AgencySummary(
        agency=agency,
        counts=MappingProxyType(counts),
        overdue=sum(1 for i in items if i.overdue),
        due=sum(1 for i in items if i.due),
        on_time=sum(1 for i in items if i.on_time),
    )


def summarize(items: Iterable[Item], agencies: Sequence[str]) -> list[AgencySummary]:
    """One summary per agency that has items, in the order of ``agencies``.

    Agencies with items but missing from ``agencies`` come last, by code.
    """
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.agency, []).append(item)
    order = [a for a in agencies if a in grouped]
    order += sorted(a for a in grouped if a not in set(agencies))
    return [_summary(agency, grouped[agency]) for agency in order]


def overall(items: Iterable[Item]) -> AgencySummary:
    """All items together, under an empty agency code."""
    return _summary("", list(items))
