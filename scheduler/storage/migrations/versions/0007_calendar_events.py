"""Calendar events: what the calendar files last said of each event, and its sequence."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler.storage.tables import UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"


def upgrade() -> None:
    op.create_table(
        "calendar_events",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("modified_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_calendar_events")),
    )


def downgrade() -> None:
    op.drop_table("calendar_events")
