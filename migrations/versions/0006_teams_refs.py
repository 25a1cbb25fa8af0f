"""teams refs: what Teams calls our drafts, cards, replies, questions, alerts, photos and people

The Teams adapter's own tables (chatbot/adapters/teams/refs.py), as slack_* are Slack's: a
draft's channel post (unique, so a redelivery makes no second draft), its approval card, the
bot's replies in its thread, a name question's card, an alert card (each a conversation id and
an activity id, long), a photo's attachment, and staff by Entra object id (display name, 1:1
chat). Nothing is copied, and downgrade drops them. The people columns of the core
(drafts.author_id, drafts.decided_by, alerts.decided_by) widen from 32 to 64 characters: an
Entra object id has 36 (downgrade narrows them again, which fails on PostgreSQL if a Teams id
is stored: a Teams database does not go back to a Slack-only schema).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=255)


def _place() -> tuple[sa.Column[str], sa.Column[str]]:
    return (
        sa.Column("conversation", _ID, nullable=False),
        sa.Column("activity_id", _ID, nullable=False),
    )


def _fk(name: str, key: str, parent: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [key], [f"{parent}.id"], name=op.f(f"fk_{name}_{key}_{parent}"), ondelete="CASCADE"
    )


def _ref_table(name: str, key: str, parent: str, *columns: sa.SchemaItem) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.Integer(), nullable=False),
        *columns,
        _fk(name, key, parent),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{name}")),
    )


_PEOPLE = (
    ("drafts", "author_id", False),
    ("drafts", "decided_by", True),
    ("alerts", "decided_by", True),
)


def _people_width(old: int, new: int) -> None:
    for table, column, nullable in _PEOPLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=old),
                type_=sa.String(length=new),
                existing_nullable=nullable,
            )


def upgrade() -> None:
    _people_width(32, 64)
    unique = sa.UniqueConstraint(
        "conversation", "activity_id", name=op.f("uq_teams_messages_conversation_activity_id")
    )
    _ref_table("teams_messages", "draft_id", "drafts", *_place(), unique)
    _ref_table("teams_cards", "draft_id", "drafts", *_place())
    _ref_table("teams_alert_cards", "alert_id", "alerts", *_place())
    _ref_table("teams_questions", "question_id", "name_questions", *_place())
    _ref_table("teams_files", "photo_id", "photos", sa.Column("file_id", sa.Text(), nullable=False))
    op.create_table(
        "teams_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        *_place(),
        _fk("teams_replies", "draft_id", "drafts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_replies")),
    )
    op.create_index(op.f("ix_teams_replies_draft_id"), "teams_replies", ["draft_id"])
    op.create_table(
        "teams_people",
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("chat_id", _ID, nullable=True),
        sa.PrimaryKeyConstraint("object_id", name=op.f("pk_teams_people")),
    )


def downgrade() -> None:
    op.drop_table("teams_people")
    op.drop_index(op.f("ix_teams_replies_draft_id"), table_name="teams_replies")
    op.drop_table("teams_replies")
    for table in (
        "teams_files",
        "teams_questions",
        "teams_alert_cards",
        "teams_cards",
        "teams_messages",
    ):
        op.drop_table(table)
    _people_width(64, 32)
