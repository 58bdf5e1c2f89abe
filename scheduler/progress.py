"""A control point with its agencies' latest reports: the one place that says where it stands.

The rule lives here and nowhere else: a point is closed when its closer (the consolidator,
else the lead) has a report whose state closes it (``scheduler.vocabulary.control``), and
then every co-executor's item counts as closed by the closer. Until then, every
responsible agency whose own state does not stop the chasing is reminded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.plan.control_points import ControlPoint
from scheduler.storage.status_repo import StatusEntry
from scheduler.vocabulary.control import ITEM_STATES, ItemState, state_of


@dataclass(frozen=True, slots=True)
class ItemStanding:
    """One agency's item at a point: its state, the report that gives it, and who closed it.

    ``closed_by`` is the closer's code when the closer's report stands for the agency's own.
    """

    agency: str
    state: ItemState
    entry: StatusEntry | None
    closed_by: str | None = None


@dataclass(frozen=True, slots=True)
class PointProgress:
    """``point`` and the latest valid report of each of its agencies (by agency code)."""

    point: ControlPoint
    latest: Mapping[str, StatusEntry]

    @classmethod
    def of(
        cls, point: ControlPoint, latest: Mapping[str, Mapping[str, StatusEntry]]
    ) -> PointProgress:
        """The progress of ``point`` from a lookup of latest reports by point and agency."""
        return cls(point, latest.get(point.id, {}))

    def own_state(self, agency: str) -> ItemState:
        """The state the agency's own latest report gives, whatever the closer did."""
        entry = self.latest.get(agency)
        return state_of(entry.status if entry is not None else None)

    @property
    def closed(self) -> bool:
        return ITEM_STATES[self.own_state(self.point.closer)].closes

    def chased(self, agency: str) -> bool:
        """Whether ``agency`` is still reminded of the point."""
        return not self.closed and not ITEM_STATES[self.own_state(agency)].stops_chasing

    def chased_agencies(self) -> tuple[str, ...]:
        return tuple(a for a in self.point.agencies if self.chased(a))

    def unreported_co_executors(self) -> tuple[str, ...]:
        """The agencies other than the closer whose own report does not stop the chasing."""
        closer = self.point.closer
        return tuple(
            a
            for a in self.point.agencies
            if a != closer and not ITEM_STATES[self.own_state(a)].stops_chasing
        )

    def standing(self, agency: str) -> ItemStanding:
        """The agency's item; the closer's report stands for it once the point is closed."""
        own = self.latest.get(agency)
        closer = self.point.closer
        if agency != closer and self.closed and not ITEM_STATES[self.own_state(agency)].closes:
            closing = self.latest[closer]
            return ItemStanding(agency, state_of(closing.status), closing, closed_by=closer)
        return ItemStanding(agency, self.own_state(agency), own)

    def standings(self) -> tuple[ItemStanding, ...]:
        return tuple(self.standing(a) for a in self.point.agencies)
