"""audit actor name: who acted, by name as well as by platform id, for governors

audit_log.actor_name (nullable) holds the person's display name as the platform gave it when
they acted. Rows written before keep NULL (their names were never known to the bot), so
nothing is copied or rewritten: the audit log stays append-only, and plain ALTER TABLE (no
batch copy of the table) keeps its append-only triggers on SQLite. Downgrade drops the column,
and with it the names.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("actor_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    # Not batch mode: on SQLite that copies the table and loses its triggers. SQLite 3.35+
    # and PostgreSQL drop a column in place.
    op.execute("ALTER TABLE audit_log DROP COLUMN actor_name")
