"""pupil upn: pupils known by their MIS id, so two pupils of one name are two pupils

pupils.upn (the UPN or admission number; nullable, unique where set) becomes the identity an
import merges on when the file has one. The name (match_key) stays unique only among pupils
without an id, and gets a plain index for the lookups by name. Existing rows keep every value
(they have no upn yet). A downgrade drops the ids, and refuses while two pupils share a name,
since the old unique name would have to lose one of them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WITHOUT_UPN = sa.text("upn IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("upn", sa.String(length=32), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_pupils_match_key"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_pupils_upn"), ["upn"])
        batch_op.create_index(batch_op.f("ix_pupils_match_key"), ["match_key"], unique=False)
        batch_op.create_index(
            "uq_pupils_match_key_without_upn",
            ["match_key"],
            unique=True,
            sqlite_where=_WITHOUT_UPN,
            postgresql_where=_WITHOUT_UPN,
        )


def downgrade() -> None:
    shared = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM (SELECT match_key FROM pupils GROUP BY match_key"
            " HAVING count(*) > 1) AS shared"
        )
    )
    if shared:
        raise RuntimeError(
            f"{shared} name(s) are shared by two or more pupils, told apart only by their upn; "
            "this version cannot hold them. Remove the leavers (`chatbot pupils remove-leavers`) "
            "or upgrade again; nothing was changed"
        )
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_index("uq_pupils_match_key_without_upn")
        batch_op.drop_index(batch_op.f("ix_pupils_match_key"))
        batch_op.drop_constraint(batch_op.f("uq_pupils_upn"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_pupils_match_key"), ["match_key"])
        batch_op.drop_column("upn")
