"""Acknowledgements of plan changes: of a version that exists, from a chat told, once a chat.

Until now any press of an "acknowledged" button was stored, whatever version it named and
wherever it came from. The rows no notice explains are removed (a version that never
existed, a chat that was never sent that version's notice), as are all but the first of a
chat's; the table then refers to its version and holds one row per version and chat.
"""

from __future__ import annotations

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"

_UNEXPLAINED = """
DELETE FROM plan_change_acks
WHERE NOT EXISTS (SELECT 1 FROM plan_versions WHERE plan_versions.id = plan_change_acks.version_id)
   OR NOT EXISTS (
        SELECT 1 FROM outbox
        WHERE outbox.kind = 'plan_change'
          AND outbox.chat_id = plan_change_acks.chat_id
          AND outbox.control_point = 'plan:' || CAST(plan_change_acks.version_id AS TEXT)
   )
"""
_REPEATED = """
DELETE FROM plan_change_acks
WHERE id NOT IN (
    SELECT min(id) FROM plan_change_acks GROUP BY version_id, chat_id
)
"""


def upgrade() -> None:
    op.execute(_UNEXPLAINED)
    op.execute(_REPEATED)
    with op.batch_alter_table("plan_change_acks") as batch:
        batch.drop_constraint("uq_plan_change_acks_version_id_chat_id_user_id", type_="unique")
        batch.create_unique_constraint(
            batch.f("uq_plan_change_acks_version_id_chat_id"), ["version_id", "chat_id"]
        )
        batch.create_foreign_key(
            batch.f("fk_plan_change_acks_version_id_plan_versions"),
            "plan_versions",
            ["version_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_change_acks") as batch:
        batch.drop_constraint(
            batch.f("fk_plan_change_acks_version_id_plan_versions"), type_="foreignkey"
        )
        batch.drop_constraint(batch.f("uq_plan_change_acks_version_id_chat_id"), type_="unique")
        batch.create_unique_constraint(
            batch.f("uq_plan_change_acks_version_id_chat_id_user_id"),
            ["version_id", "chat_id", "user_id"],
        )
