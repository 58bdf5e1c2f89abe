"""Processed updates: the update ids the instances behind one webhook have taken on."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler.storage.tables import UtcDateTime

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_updates")),
    )
    with op.batch_alter_table("processed_updates") as batch:
        batch.create_index(batch.f("ix_processed_updates_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_index(batch.f("ix_processed_updates_at"))
    op.drop_table("processed_updates")
