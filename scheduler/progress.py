"""A control point with its agencies' latest reports: the one place that says where it stands.

The rules live here and nowhere else:

* An item's state follows from its agency's latest valid report and the controller's decision
  on it. With acceptance required (``ControlPolicy.acceptance``), the closer's report of done
  waits for acceptance: it stops the reminders but does not close the point until accepted; a
  returned report opens the item again. Without acceptance a report of done closes at once.
* A point is closed when its closer's (the consolidator's, else the lead's) item is in a state
  that closes, and every co-executor's item then counts as closed by the closer.
* Until then, every responsible agency whose own state does not stop the chasing is reminded,
  against its own date: the point's, or the one an extension or a return gave its item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from scheduler.plan.control_points import ControlPoint
from scheduler.storage.status_repo import StatusEntry
from scheduler.storage.unit_of_work import UnitOfWork
from scheduler.vocabulary.control import ITEM_STATES, Decision, ItemState, Status, state_of


@dataclass(frozen=True, slots=True)
class ControlPolicy:
    """How control works: ``acceptance`` makes a done wait for its controller;
    ``acceptance_sla`` working days a report may wait before its controllers are reminded;
    ``extension_notice`` working days before its date a request to move it is in time.
    """

    acceptance: bool = True
    acceptance_sla: int = 3
    extension_notice: int = 2


DEFAULT_CONTROL = ControlPolicy()


@dataclass(frozen=True, slots=True)
class ItemStanding:
    """One agency's item at a point: its state, the report that gives it, and who closed it.

    ``closed_by`` is the closer's code when the closer's report stands for the agency's own.
    """

    agency: str
    state: ItemState
    entry: StatusEntry | None
    closed_by: str | None = None


def _frozen() -> Mapping[str, dt.date]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class PointProgress:
    """``point``, each agency's latest valid report there, and the dates moved for some of them."""

    point: ControlPoint
    latest: Mapping[str, StatusEntry]
    acceptance: bool = True
    dues: Mapping[str, dt.date] = field(default_factory=_frozen)

    @classmethod
    def of(
        cls,
        point: ControlPoint,
        latest: Mapping[str, Mapping[str, StatusEntry]],
        policy: ControlPolicy,
        dues: Mapping[str, Mapping[str, dt.date]] | None = None,
    ) -> PointProgress:
        """The progress of ``point`` from lookups of reports and dates by point and agency."""
        moved = (dues or {}).get(point.id, {})
        return cls(point, latest.get(point.id, {}), policy.acceptance, moved)

    def due(self, agency: str) -> dt.date:
        """The agency's own date for the point: moved by an extension or a return, or not."""
        return self.dues.get(agency, self.point.effective)

    def own_state(self, agency: str) -> ItemState:
        """The state the agency's own latest report gives, whatever the closer did."""
        entry = self.latest.get(agency)
        if entry is None or entry.status is not Status.DONE:
            return state_of(entry.status if entry is not None else None)
        if not self.acceptance:
            return ItemState.DONE
        if entry.review is not None:
            accepted = entry.review.decision is Decision.ACCEPT
            return ItemState.ACCEPTED if accepted else ItemState.RETURNED
        if agency == self.point.closer:
            return ItemState.AWAITING_ACCEPTANCE
        return ItemState.DONE

    @property
    def closed(self) -> bool:
        return ITEM_STATES[self.own_state(self.point.closer)].closes

    @property
    def awaiting(self) -> StatusEntry | None:
        """The closer's report waiting for acceptance, if any."""
        if self.own_state(self.point.closer) is ItemState.AWAITING_ACCEPTANCE:
            return self.latest[self.point.closer]
        return None

    def chased(self, agency: str) -> bool:
        """Whether ``agency`` is still reminded of the point."""
        if self.closed or self.awaiting is not None:
            return False
        return not ITEM_STATES[self.own_state(agency)].stops_chasing

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
        """The agency's item; the closer's report stands for it once the closer reported done
        (whether accepted yet or not), unless the agency's own report already stops the chase.
        """
        own = self.latest.get(agency)
        closer = self.point.closer
        closing = self.own_state(closer)
        if (
            agency != closer
            and ITEM_STATES[closing].stops_chasing
            and not ITEM_STATES[self.own_state(agency)].stops_chasing
        ):
            return ItemStanding(agency, closing, self.latest[closer], closed_by=closer)
        return ItemStanding(agency, self.own_state(agency), own)

    def standings(self) -> tuple[ItemStanding, ...]:
        return tuple(self.standing(a) for a in self.point.agencies)

    def with_report(self, entry: StatusEntry) -> PointProgress:
        """This progress once ``entry``, just stored, is its agency's latest report."""
        return replace(self, latest=MappingProxyType({**self.latest, entry.agency: entry}))


def untouched(points: Iterable[ControlPoint], policy: ControlPolicy) -> dict[str, PointProgress]:
    """The progress of points nobody has reported on yet."""
    return {p.id: PointProgress(p, {}, policy.acceptance) for p in points}


async def progress_of(
    uow: UnitOfWork,
    points: Iterable[ControlPoint],
    policy: ControlPolicy,
    *,
    dates: bool = True,
) -> dict[str, PointProgress]:
    """The progress of each of ``points``, by id: its reports and its moved dates, read once.

    ``dates=False`` leaves the moved dates unread, for a caller that asks only where each
    item stands (its state, its latest report), never when it is due: ``due`` then gives
    the point's own date.
    """
    chosen = {p.id: p for p in points}
    latest = await uow.statuses.latest(chosen)
    dues = await uow.item_deadlines.current(chosen) if dates else None
    return {pid: PointProgress.of(p, latest, policy, dues) for pid, p in chosen.items()}
