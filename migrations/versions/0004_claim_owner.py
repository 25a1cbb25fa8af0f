"""claim owner: the host, process id and start stamp of the worker holding a claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Claims taken before this version have no owner: only their lease can end them.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("owner_pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("owner_started", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("owner_started")
        batch_op.drop_column("owner_pid")
        batch_op.drop_column("owner_host")
