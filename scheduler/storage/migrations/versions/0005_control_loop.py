"""The controller's loop: reviews of reports, item dates, extensions, interim requests, snoozes.

Reports of done made before acceptance existed count as accepted, so nothing closed reopens.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler.storage.tables import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status_update_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=True),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["status_update_id"],
            ["status_updates.id"],
            name=op.f("fk_reviews_status_update_id_status_updates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("status_update_id", name=op.f("uq_reviews_status_update_id")),
    )
    op.create_table(
        "item_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("control_point", sa.String(96), nullable=False),
        sa.Column("task_number", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("cause", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_deadlines")),
    )
    op.create_index("ix_item_deadlines_point_agency", "item_deadlines", ["control_point", "agency"])
    op.create_table(
        "extension_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("control_point", sa.String(96), nullable=False),
        sa.Column("task_number", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(32), nullable=False),
        sa.Column("current_due", sa.Date(), nullable=False),
        sa.Column("requested_due", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
    )
    op.create_index("ix_extension_requests_state", "extension_requests", ["state", "task_number"])
    op.create_table(
        "interim_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_number", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interim_requests")),
    )
    op.create_table(
        "interim_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(32), nullable=False),
        sa.Column("status_update_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["interim_requests.id"],
            name=op.f("fk_interim_answers_request_id_interim_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["status_update_id"],
            ["status_updates.id"],
            name=op.f("fk_interim_answers_status_update_id_status_updates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interim_answers")),
        sa.UniqueConstraint(
            "request_id", "agency", name=op.f("uq_interim_answers_request_id_agency")
        ),
    )
    op.create_table(
        "snoozes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("control_point", sa.String(96), nullable=False),
        sa.Column("agency", sa.String(32), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snoozes")),
    )
    op.create_index("ix_snoozes_chat_until", "snoozes", ["chat_id", "until"])
    # A question's slot names what it asks, of whom and when, longer than a reminder's; the
    # new kinds' names are longer than the old ones'.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "slot", existing_type=sa.String(32), type_=sa.String(64), existing_nullable=False
        )
        batch_op.alter_column(
            "kind", existing_type=sa.String(16), type_=sa.String(32), existing_nullable=False
        )
    # Done reports from before acceptance existed stand as accepted, by nobody, when made.
    op.execute(
        "INSERT INTO reviews (status_update_id, decision, comment, at) "
        "SELECT id, 'accept', '', created_at FROM status_updates "
        "WHERE status = 'done' AND revoked_at IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(32), type_=sa.String(16), existing_nullable=False
        )
        batch_op.alter_column(
            "slot", existing_type=sa.String(64), type_=sa.String(32), existing_nullable=False
        )
    op.drop_index("ix_snoozes_chat_until", table_name="snoozes")
    op.drop_table("snoozes")
    op.drop_table("interim_answers")
    op.drop_table("interim_requests")
    op.drop_index("ix_extension_requests_state", table_name="extension_requests")
    op.drop_table("extension_requests")
    op.drop_index("ix_item_deadlines_point_agency", table_name="item_deadlines")
    op.drop_table("item_deadlines")
    op.drop_table("reviews")
