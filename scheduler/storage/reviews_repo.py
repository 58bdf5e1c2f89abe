"""Repository of the controllers' decisions on reports of done, and of the items' moved dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.storage.tables import ItemDeadlineRow, ReviewRow, StatusUpdateRow
from scheduler.vocabulary.control import Decision, Status


class ReviewsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def decide(
        self,
        status_id: int,
        decision: Decision,
        *,
        comment: str,
        new_date: dt.date | None,
        by: int,
        chat_id: int | None,
        now: dt.datetime,
    ) -> bool:
        """Record the decision, unless the report has one already (then False)."""
        dialect = self._session.bind.dialect.name if self._session.bind is not None else "sqlite"
        module = postgresql if dialect == "postgresql" else sqlite
        stmt = (
            module.insert(ReviewRow)
            .values(
                status_update_id=status_id,
                decision=decision,
                comment=comment,
                new_date=new_date,
                by=by,
                chat_id=chat_id,
                at=now,
            )
            .on_conflict_do_nothing(index_elements=["status_update_id"])
            .returning(ReviewRow.id)
        )
        return (await self._session.execute(stmt)).first() is not None

    async def undecided(self, before: dt.datetime) -> list[int]:
        """Ids of valid reports of done made before ``before`` that no one has decided on."""
        rows = await self._session.scalars(
            select(StatusUpdateRow.id)
            .outerjoin(ReviewRow, ReviewRow.status_update_id == StatusUpdateRow.id)
            .where(
                StatusUpdateRow.status == Status.DONE,
                StatusUpdateRow.revoked_at.is_(None),
                StatusUpdateRow.created_at < before,
                ReviewRow.id.is_(None),
            )
            .order_by(StatusUpdateRow.id)
        )
        return list(rows)

    async def returns(self, start: dt.datetime, end: dt.datetime) -> dict[tuple[str, int], int]:
        """How many reports were returned for rework in ``[start, end)``, by agency and task."""
        rows = await self._session.execute(
            select(StatusUpdateRow.agency, StatusUpdateRow.task_number, func.count())
            .join(ReviewRow, ReviewRow.status_update_id == StatusUpdateRow.id)
            .where(ReviewRow.decision == Decision.RETURN, ReviewRow.at >= start, ReviewRow.at < end)
            .group_by(StatusUpdateRow.agency, StatusUpdateRow.task_number)
        )
        return {(agency, task): int(n) for agency, task, n in rows}


@dataclass(frozen=True, slots=True)
class ItemDeadline:
    """A date moved for one agency's part of one point, and why (``cause``, ``ref_id``)."""

    control_point: str
    task_number: int
    agency: str
    due: dt.date
    cause: str
    ref_id: int


class ItemDeadlinesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def move(self, item: ItemDeadline, *, by: int | None, now: dt.datetime) -> None:
        self._session.add(ItemDeadlineRow(**dataclasses.asdict(item), by=by, at=now))
        await self._session.flush()

    async def current(
        self, control_points: Iterable[str], *, cause: str | None = None
    ) -> dict[str, dict[str, dt.date]]:
        """The latest moved date of each agency at each of the points that has one; with
        ``cause`` ("extension", "return"), the latest of those moved for that cause."""
        ids = sorted(set(control_points))
        found: dict[str, dict[str, dt.date]] = {}
        for start in range(0, len(ids), 500):
            newest = (
                select(func.max(ItemDeadlineRow.id))
                .where(ItemDeadlineRow.control_point.in_(ids[start : start + 500]))
                .group_by(ItemDeadlineRow.control_point, ItemDeadlineRow.agency)
            )
            if cause is not None:
                newest = newest.where(ItemDeadlineRow.cause == cause)
            rows = await self._session.execute(
                select(
                    ItemDeadlineRow.control_point, ItemDeadlineRow.agency, ItemDeadlineRow.due
                ).where(ItemDeadlineRow.id.in_(newest.scalar_subquery()))
            )
            for point, agency, due in rows:
                found.setdefault(point, {})[agency] = due
        return found

    async def every_current(self) -> list[ItemDeadline]:
        """Every item's latest moved date: few, since most items keep the plan's."""
        newest = select(func.max(ItemDeadlineRow.id)).group_by(
            ItemDeadlineRow.control_point, ItemDeadlineRow.agency
        )
        rows = await self._session.scalars(
            select(ItemDeadlineRow)
            .where(ItemDeadlineRow.id.in_(newest.scalar_subquery()))
            .order_by(ItemDeadlineRow.id)
        )
        return [
            ItemDeadline(r.control_point, r.task_number, r.agency, r.due, r.cause, r.ref_id)
            for r in rows
        ]
