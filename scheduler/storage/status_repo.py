"""Repository of status updates: each agency's reports, kept verbatim, never overwritten."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.records import record
from scheduler.storage.tables import ReviewRow, StatusUpdateRow, table_of
from scheduler.vocabulary.control import Decision, Status


@dataclass(frozen=True, slots=True)
class NewStatus:
    """A report to store: who said what, where, about which agency's part of which point."""

    control_point: str
    task_number: int
    agency: str
    status: Status
    text: str
    source: str
    user_id: int
    chat_id: int
    message_id: int | None = None
    evidence_kind: str | None = None
    evidence_file_id: str | None = None
    evidence_name: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A controller's decision on a report of done; ``by`` is None for one the migration made."""

    decision: Decision
    comment: str
    new_date: dt.date | None
    by: int | None
    at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusEntry(NewStatus):
    """A stored report, numbered in the order reports arrived, with the decision on it."""

    id: int
    created_at: dt.datetime
    review: Review | None = None

    @classmethod
    def stored(cls, status: NewStatus, status_id: int, at: dt.datetime) -> StatusEntry:
        """``status`` as it reads once stored as ``status_id`` at ``at``, before any decision."""
        columns: dict[str, Any] = _columns(status)
        return cls(**columns, id=status_id, created_at=at)


def _entry(row: StatusUpdateRow) -> StatusEntry:
    decided = row.review
    review = (
        None if decided is None else record(Review, decided, decision=Decision(decided.decision))
    )
    # A value outside the vocabulary fails here, loudly, rather than read as another.
    return record(StatusEntry, row, status=Status(row.status), review=review)


def _latest_entry(row: Any) -> StatusEntry:
    """A row of ``_LATEST``: the report's columns, and its decision's named ``review_…``."""
    review = None
    if row.review_id is not None:
        review = record(Review, row, prefix="review_", decision=Decision(row.review_decision))
    return record(StatusEntry, row, status=Status(row.status), review=review)


def _columns(status: NewStatus) -> dict[str, object]:
    return {f.name: getattr(status, f.name) for f in dataclasses.fields(NewStatus)}


# The reports' and their decisions' tables: the reads and the insert made on every report
# are statements of plain columns, since building mapped objects cost more than the query.
_REPORTS, _REVIEWS = table_of(StatusUpdateRow), table_of(ReviewRow)
# The newest valid report of each (point, agency) at the points bound as ``points``; read
# on every status report, so built once.
_NEWEST = (
    select(func.max(_REPORTS.c.id))
    .where(
        _REPORTS.c.control_point.in_(bindparam("points", expanding=True)),
        _REPORTS.c.revoked_at.is_(None),
    )
    .group_by(_REPORTS.c.control_point, _REPORTS.c.agency)
)
# Those reports, each with its decision beside it (a report has at most one).
_LATEST = (
    select(
        _REPORTS,
        _REVIEWS.c.id.label("review_id"),
        *(_REVIEWS.c[f.name].label(f"review_{f.name}") for f in dataclasses.fields(Review)),
    )
    .select_from(_REPORTS.outerjoin(_REVIEWS, _REVIEWS.c.status_update_id == _REPORTS.c.id))
    .where(_REPORTS.c.id.in_(_NEWEST.scalar_subquery()))
)
_INSERT = insert(_REPORTS).returning(_REPORTS.c.id)


class StatusRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, status: NewStatus, now: dt.datetime) -> int:
        return int(await self._session.scalar(_INSERT, {**_columns(status), "created_at": now}))

    async def revoke(self, status_id: int, now: dt.datetime) -> StatusEntry | None:
        row = await self._session.get(StatusUpdateRow, status_id)
        if row is None or row.revoked_at is not None:
            return None
        row.revoked_at = now
        return _entry(row)

    async def by_ids(self, status_ids: Iterable[int]) -> list[StatusEntry]:
        ids = sorted(set(status_ids))
        found: list[StatusEntry] = []
        for start in range(0, len(ids), 500):
            rows = await self._session.scalars(
                select(StatusUpdateRow).where(StatusUpdateRow.id.in_(ids[start : start + 500]))
            )
            found.extend(_entry(r) for r in rows)
        return sorted(found, key=lambda e: e.id)

    async def get(self, status_id: int) -> StatusEntry | None:
        row = await self._session.get(StatusUpdateRow, status_id)
        return None if row is None else _entry(row)

    async def latest(self, control_points: Iterable[str]) -> dict[str, dict[str, StatusEntry]]:
        """The current status of every agency at each of the points: its latest valid update.

        Only the newest row of each (point, agency) is read, however long the history.
        Reports are numbered in the order they were stored, so the highest id is the latest.
        """
        ids = sorted(set(control_points))
        found: dict[str, dict[str, StatusEntry]] = {}
        for start in range(0, len(ids), 500):
            rows = await self._session.execute(_LATEST, {"points": ids[start : start + 500]})
            for row in rows:
                found.setdefault(row.control_point, {})[row.agency] = _latest_entry(row)
        return found

    async def history(
        self, *, task_number: int, agency: str | None = None, limit: int = 20
    ) -> list[StatusEntry]:
        """The latest updates of a task, newest first, revoked ones left out."""
        query = select(StatusUpdateRow).where(
            StatusUpdateRow.task_number == task_number, StatusUpdateRow.revoked_at.is_(None)
        )
        if agency is not None:
            query = query.where(StatusUpdateRow.agency == agency)
        rows = await self._session.scalars(
            query.order_by(StatusUpdateRow.created_at.desc(), StatusUpdateRow.id.desc()).limit(
                limit
            )
        )
        return [_entry(r) for r in rows]

    async def move_points(self, moves: dict[str, str]) -> None:
        """Point the reports of moved control points at their new ids.

        Two steps, so that points which swap dates do not merge their reports.
        """
        for old_id in moves:
            await self._session.execute(
                update(StatusUpdateRow)
                .where(StatusUpdateRow.control_point == old_id)
                .values(control_point="moving:" + old_id)
            )
        for old_id, new_id in moves.items():
            await self._session.execute(
                update(StatusUpdateRow)
                .where(StatusUpdateRow.control_point == "moving:" + old_id)
                .values(control_point=new_id)
            )
