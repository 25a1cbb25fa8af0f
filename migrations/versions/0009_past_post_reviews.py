"""past post reviews: what SLT decide about live posts picturing a pupil whose consent is withdrawn

New tables only (nothing moves): past_post_reviews (one per withdrawal that found live posts),
past_post_items (one per post, with SLT's decision), and slack_review_cards and
teams_review_cards (where each platform shows the review's card). The pupils pictured in
each post were already kept in pictured_pupils.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "past_post_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("opened_by", _ID, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name=op.f("fk_past_post_reviews_pupil_id_pupils"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_past_post_reviews")),
    )
    op.create_table(
        "past_post_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=32), nullable=False),
        sa.Column("post_id", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=True),
        sa.Column("decided_by", _ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "decision IN ('delete', 'keep')", name=op.f("ck_past_post_items_decision")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_past_post_items_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["past_post_reviews.id"],
            name=op.f("fk_past_post_items_review_id_past_post_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_past_post_items")),
        sa.UniqueConstraint(
            "review_id", "draft_id", name=op.f("uq_past_post_items_review_id_draft_id")
        ),
    )
    op.create_index(
        op.f("ix_past_post_items_draft_id"), "past_post_items", ["draft_id"], unique=False
    )
    op.create_index(
        op.f("ix_past_post_items_review_id"), "past_post_items", ["review_id"], unique=False
    )
    op.create_table(
        "slack_review_cards",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("channel", _ID, nullable=False),
        sa.Column("ts", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["past_post_reviews.id"],
            name=op.f("fk_slack_review_cards_review_id_past_post_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_slack_review_cards")),
    )
    op.create_table(
        "teams_review_cards",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=255), nullable=False),
        sa.Column("activity_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["past_post_reviews.id"],
            name=op.f("fk_teams_review_cards_review_id_past_post_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_teams_review_cards")),
    )


def downgrade() -> None:
    op.drop_table("teams_review_cards")
    op.drop_table("slack_review_cards")
    op.drop_index(op.f("ix_past_post_items_review_id"), table_name="past_post_items")
    op.drop_index(op.f("ix_past_post_items_draft_id"), table_name="past_post_items")
    op.drop_table("past_post_items")
    op.drop_table("past_post_reviews")
