"""monitoring: accounts already checked, and what an alert points at (a post, a pupil)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only X's numeric ids: enough to skip an account already checked, nothing of its profile.
    op.create_table(
        "seen_accounts",
        sa.Column("scope", sa.String(length=48), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "account_id", name=op.f("pk_seen_accounts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("post_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("pupil_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_pupil_id_pupils"),
            "pupils",
            ["pupil_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_alerts_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_state"))
        batch_op.drop_constraint(batch_op.f("fk_alerts_pupil_id_pupils"), type_="foreignkey")
        batch_op.drop_column("pupil_id")
        batch_op.drop_column("post_id")
    op.drop_table("seen_accounts")
