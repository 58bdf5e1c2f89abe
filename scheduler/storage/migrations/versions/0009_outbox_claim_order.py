"""The outbox's queue index also orders by row id, the claim's tie-break.

A wave plans its rows with one due time, so the claim's order (due time, then id) rests on
the id alone; with the id in the index, both engines read the first rows of the queue
from it instead of sorting every due row at each claim.
"""

from __future__ import annotations

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"


def upgrade() -> None:
    op.drop_index("ix_outbox_state_next_attempt_at", table_name="outbox")
    op.create_index("ix_outbox_state_next_attempt_at", "outbox", ["state", "next_attempt_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state_next_attempt_at", table_name="outbox")
    op.create_index("ix_outbox_state_next_attempt_at", "outbox", ["state", "next_attempt_at"])
