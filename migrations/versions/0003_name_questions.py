"""name questions: a finding's question and subject, the answers, and which were asked

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing findings were all certain: '' is "no question".
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("question", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("subject", sa.String(length=200), server_default="", nullable=False)
        )
    op.create_table(
        "name_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("is_pupil", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_name_answers_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_answers")),
        sa.UniqueConstraint("draft_id", "question", name=op.f("uq_name_answers_draft_id_question")),
    )
    # One row per question asked in Slack, so a re-check does not ask again.
    op.create_table(
        "name_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_name_questions_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_questions")),
        sa.UniqueConstraint(
            "draft_id", "question", name=op.f("uq_name_questions_draft_id_question")
        ),
    )


def downgrade() -> None:
    op.drop_table("name_questions")
    op.drop_table("name_answers")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("subject")
        batch_op.drop_column("question")
