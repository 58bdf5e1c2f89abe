"""Reading outbox rows and subscriptions back, as the tests check them."""

from __future__ import annotations

from sqlalchemy import select

from scheduler.storage.tables import OutboxRow, SubscriptionRow
from scheduler.storage.unit_of_work import Database


async def outbox_row(db: Database, row_id: int) -> OutboxRow:
    async with db.unit_of_work() as uow:
        row = await uow.session.get(OutboxRow, row_id)
        assert row is not None
        return row


async def outbox_rows(db: Database) -> list[OutboxRow]:
    async with db.unit_of_work() as uow:
        return list((await uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def active_subscribers(db: Database) -> set[int]:
    async with db.unit_of_work() as uow:
        found = await uow.session.scalars(
            select(SubscriptionRow.chat_id).where(SubscriptionRow.active.is_(True))
        )
        return set(found.all())
