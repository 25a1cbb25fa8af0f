"""unregistered pictured: a draft can say that someone not on the register is in its photos

drafts.unregistered_pictured (boolean, false for every existing draft) records the choice
"someone who is not on the register" of the photo declaration, which blocks the photos with
photo-consent. A downgrade drops it, and first marks such drafts as not yet declared: the
old version would read "declared, nobody pictured" as a clean declaration, and the
photo-undeclared check keeps them blocked until the author declares again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "unregistered_pictured", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    op.execute(
        sa.text("UPDATE drafts SET declared = :no WHERE unregistered_pictured").bindparams(no=False)
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("unregistered_pictured")
