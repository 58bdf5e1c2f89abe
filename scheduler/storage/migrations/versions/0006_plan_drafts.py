"""Plan drafts: changes previewed before they are put in force, and the version each follows."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler.storage.tables import UtcDateTime

revision: str = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    op.create_table(
        "plan_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_drafts")),
    )
    with op.batch_alter_table("plan_versions") as batch:
        batch.add_column(sa.Column("based_on", sa.Integer(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_plan_versions_based_on"), ["based_on"])


def downgrade() -> None:
    with op.batch_alter_table("plan_versions") as batch:
        batch.drop_constraint(batch.f("uq_plan_versions_based_on"), type_="unique")
        batch.drop_column("based_on")
    op.drop_table("plan_drafts")
