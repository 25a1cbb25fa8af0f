"""platform refs: what Slack and X call our drafts, cards, photos and posts leaves the core tables

The core tables keep only our own ids. Slack's (channel, ts) of a draft's message, its card,
a name question's message and an alert card, and a photo's Slack file, move to the Slack
adapter's tables (slack_*); a draft's post and a photo's media on X move to the neutral
network_posts and network_media, keyed by network ("x"). staff_accounts.slack_user becomes the
opaque chat_user. Every row is copied across, and back again on downgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=64)
# Everything already on X was posted as network "x".
_X = "'x'"


def _ref_table(name: str, key: str, parent: str, *columns: sa.SchemaItem) -> None:
    op.create_table(
        name,
        sa.Column(key, sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            [key], [f"{parent}.id"], name=op.f(f"fk_{name}_{key}_{parent}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{name}")),
    )


def _place() -> tuple[sa.Column[str], sa.Column[str]]:
    return sa.Column("channel", _ID, nullable=False), sa.Column("ts", _ID, nullable=False)


def upgrade() -> None:
    # Unique on Slack's key: a message delivered twice, even racing, makes one draft.
    unique = sa.UniqueConstraint("channel", "ts", name=op.f("uq_slack_messages_channel_ts"))
    _ref_table("slack_messages", "draft_id", "drafts", *_place(), unique)
    _ref_table("slack_cards", "draft_id", "drafts", *_place())
    _ref_table("slack_alert_cards", "alert_id", "alerts", *_place())
    _ref_table("slack_questions", "question_id", "name_questions", *_place())
    _ref_table("slack_files", "photo_id", "photos", sa.Column("file_id", _ID, nullable=False))
    op.create_table(
        "network_posts",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=32), nullable=False),
        sa.Column("post_id", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_network_posts_draft_id_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", "network", name=op.f("pk_network_posts")),
    )
    op.create_index("ix_network_posts_post", "network_posts", ["network", "post_id"])
    op.create_table(
        "network_media",
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=32), nullable=False),
        sa.Column("media_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_id"],
            ["photos.id"],
            name=op.f("fk_network_media_photo_id_photos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("photo_id", "network", name=op.f("pk_network_media")),
    )

    for statement in (
        "INSERT INTO slack_messages (draft_id, channel, ts)"
        " SELECT id, channel_id, message_ts FROM drafts",
        "INSERT INTO slack_cards (draft_id, channel, ts) SELECT id, card_channel, card_ts"
        " FROM drafts WHERE card_channel IS NOT NULL AND card_ts IS NOT NULL",
        "INSERT INTO slack_alert_cards (alert_id, channel, ts) SELECT id, card_channel, card_ts"
        " FROM alerts WHERE card_channel IS NOT NULL AND card_ts IS NOT NULL",
        "INSERT INTO slack_questions (question_id, channel, ts) SELECT id, channel_id,"
        " message_ts FROM name_questions WHERE channel_id IS NOT NULL AND message_ts IS NOT NULL",
        "INSERT INTO slack_files (photo_id, file_id) SELECT id, slack_file_id FROM photos"
        " WHERE slack_file_id IS NOT NULL",
        "INSERT INTO network_posts (draft_id, network, post_id, url) SELECT id, 'x',"
        " x_post_id, x_post_url FROM drafts WHERE x_post_id IS NOT NULL",
        "INSERT INTO network_media (photo_id, network, media_id) SELECT id, 'x', x_media_id"
        " FROM photos WHERE x_media_id IS NOT NULL",
    ):
        op.execute(statement)

    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_drafts_channel_id_message_ts"), type_="unique")
        for column in ("channel_id", "message_ts", "card_channel", "card_ts"):
            batch_op.drop_column(column)
        batch_op.drop_column("x_post_id")
        batch_op.drop_column("x_post_url")
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_column("slack_file_id")
        batch_op.drop_column("x_media_id")
    with op.batch_alter_table("name_questions", schema=None) as batch_op:
        batch_op.drop_column("channel_id")
        batch_op.drop_column("message_ts")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("card_channel")
        batch_op.drop_column("card_ts")
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "slack_user",
            new_column_name="chat_user",
            existing_type=sa.String(length=32),
            type_=sa.String(length=255),
            existing_nullable=False,
        )


def _fill(table: str, column: str, source: str, value: str, key: str, *, extra: str = "") -> None:
    """Set table.column from the source row whose `key` is the row's id."""
    where = f" AND {extra}" if extra else ""
    op.execute(
        f"UPDATE {table} SET {column} = (SELECT {value} FROM {source}"  # noqa: S608 (constants)
        f" WHERE {source}.{key} = {table}.id{where})"
    )


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "chat_user",
            new_column_name="slack_user",
            existing_type=sa.String(length=255),
            type_=sa.String(length=32),
            existing_nullable=False,
        )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("card_ts", sa.String(length=32), nullable=True))
    with op.batch_alter_table("name_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("message_ts", sa.String(length=32), nullable=True))
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slack_file_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("x_media_id", sa.String(length=32), nullable=True))
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("message_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("card_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("card_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("x_post_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("x_post_url", sa.String(length=200), nullable=True))

    _fill("drafts", "channel_id", "slack_messages", "channel", "draft_id")
    _fill("drafts", "message_ts", "slack_messages", "ts", "draft_id")
    # A draft with no Slack message (none should exist) still needs a unique (channel, ts).
    op.execute("UPDATE drafts SET channel_id = '' WHERE channel_id IS NULL")
    op.execute("UPDATE drafts SET message_ts = 'draft-' || id WHERE message_ts IS NULL")
    _fill("drafts", "card_channel", "slack_cards", "channel", "draft_id")
    _fill("drafts", "card_ts", "slack_cards", "ts", "draft_id")
    on_x = f"network_posts.network = {_X}"
    _fill("drafts", "x_post_id", "network_posts", "post_id", "draft_id", extra=on_x)
    _fill("drafts", "x_post_url", "network_posts", "url", "draft_id", extra=on_x)
    _fill("photos", "slack_file_id", "slack_files", "file_id", "photo_id")
    on_x = f"network_media.network = {_X}"
    _fill("photos", "x_media_id", "network_media", "media_id", "photo_id", extra=on_x)
    _fill("name_questions", "channel_id", "slack_questions", "channel", "question_id")
    _fill("name_questions", "message_ts", "slack_questions", "ts", "question_id")
    _fill("alerts", "card_channel", "slack_alert_cards", "channel", "alert_id")
    _fill("alerts", "card_ts", "slack_alert_cards", "ts", "alert_id")

    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.alter_column("channel_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("message_ts", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(
            op.f("uq_drafts_channel_id_message_ts"), ["channel_id", "message_ts"]
        )

    op.drop_table("network_media")
    op.drop_index("ix_network_posts_post", table_name="network_posts")
    op.drop_table("network_posts")
    for table in (
        "slack_files",
        "slack_questions",
        "slack_alert_cards",
        "slack_cards",
        "slack_messages",
    ):
        op.drop_table(table)
