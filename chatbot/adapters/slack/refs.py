"""What Slack calls our things: a draft's message, its approval card, a name question's message,
an alert card, a shared file. The core keeps only its own ids; these tables (on the core's
`Base`, created by the migrations) map them to Slack's, and belong to this adapter alone.

A Slack message is a channel id and a `ts`. The draft's own message is unique on
(channel, ts): that is what makes intake idempotent (see `MessageRefs` in services/ports.py).
Every row hangs off a core row with ON DELETE CASCADE, so a deleted draft leaves no link that
a reused id could pick up.
"""

from __future__ import annotations

import re

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.adapters.db import platform_refs
from chatbot.adapters.db.models import Base
from chatbot.adapters.db.platform_refs import PlatformRefs, RefTables

# Slack's ids are short (C012AB3CD, 1712345678.000100, F012AB3CD); 64 leaves room.
_ID = String(64)


class SlackMessage(Base):
    """The message a draft came from (in the drafts channel): its thread is the draft's."""

    __tablename__ = "slack_messages"
    __table_args__ = (UniqueConstraint("channel", "ts"),)

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(_ID)
    ts: Mapped[str] = mapped_column(_ID)


class SlackCard(Base):
    """Where a draft's approval card was posted (once: the first writer wins)."""

    __tablename__ = "slack_cards"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(_ID)
    ts: Mapped[str] = mapped_column(_ID)


class SlackAlertCard(Base):
    """Where a safeguarding alert's card was posted."""

    __tablename__ = "slack_alert_cards"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(_ID)
    ts: Mapped[str] = mapped_column(_ID)


class SlackReviewCard(Base):
    """Where the card listing a withdrawn pupil's live posts was posted."""

    __tablename__ = "slack_review_cards"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("past_post_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(_ID)
    ts: Mapped[str] = mapped_column(_ID)


class SlackQuestion(Base):
    """The thread message that asked a name question (so it can show the answer later)."""

    __tablename__ = "slack_questions"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("name_questions.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(_ID)
    ts: Mapped[str] = mapped_column(_ID)


class SlackFile(Base):
    """The Slack file a photo was downloaded from."""

    __tablename__ = "slack_files"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(_ID)


Where = platform_refs.Where  # (channel, ts)

_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


def user_id_problem(value: str) -> str | None:
    """Why `value` is not a Slack user id, or None if it is one."""
    if _USER_ID.match(value):
        return None
    return (
        f"{value!r} is not a Slack user id (like U012AB3CD): Slack profile > More > Copy member ID"
    )


_TABLES = RefTables(
    message=SlackMessage,
    card=SlackCard,
    alert_card=SlackAlertCard,
    question=SlackQuestion,
    file=SlackFile,
    review_card=SlackReviewCard,
    place="channel",
    id="ts",
)


class SlackRefs(PlatformRefs):
    """`MessageRefs` over the tables above: a MessageRef is (channel, ts) here."""

    def __init__(self) -> None:
        super().__init__(_TABLES)


CardTable = type[SlackCard] | type[SlackAlertCard] | type[SlackReviewCard]
_REFS = SlackRefs()
message_of = _REFS.message_where
card_of = _REFS.card_of
alert_card_of = _REFS.alert_card_of
record_card = _REFS.record_card
file_ids = _REFS.file_ids
record_asked = _REFS.record_asked
asked_at = _REFS.asked_at
review_card_of = _REFS.review_card_of
review_at = _REFS.review_at
