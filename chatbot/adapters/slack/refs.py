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
from collections.abc import Sequence

from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from chatbot.adapters.db.models import Base, NameQuestion, Photo
from chatbot.services.ports import MessageRef

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


Where = tuple[str, str]  # (channel, ts)

_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


def user_id_problem(value: str) -> str | None:
    """Why `value` is not a Slack user id, or None if it is one."""
    if _USER_ID.match(value):
        return None
    return (
        f"{value!r} is not a Slack user id (like U012AB3CD): Slack profile > More > Copy member ID"
    )


class SlackRefs:
    """`MessageRefs` over the tables above: a MessageRef is (channel, ts) here."""

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        return session.scalar(
            select(SlackMessage.draft_id).where(
                SlackMessage.channel == ref.place, SlackMessage.ts == ref.id
            )
        )

    def link_draft(self, session: Session, draft_id: int, ref: MessageRef) -> None:
        session.add(SlackMessage(draft_id=draft_id, channel=ref.place, ts=ref.id))
        session.flush()  # the unique (channel, ts) fails here for a redelivery

    def message_of(self, session: Session, draft_id: int) -> MessageRef | None:
        where = message_of(session, draft_id)
        return MessageRef(place=where[0], id=where[1]) if where else None

    def link_files(self, session: Session, photos: Sequence[tuple[int, str]]) -> None:
        session.execute(delete(SlackFile).where(SlackFile.photo_id.in_([p for p, _ in photos])))
        session.add_all(SlackFile(photo_id=p, file_id=f) for p, f in photos if f)
        session.flush()

    def photo_files(self, session: Session, draft_id: int) -> list[str]:
        return file_ids(session, draft_id)


def message_of(session: Session, draft_id: int) -> Where | None:
    row = session.get(SlackMessage, draft_id)
    return (row.channel, row.ts) if row else None


def card_of(session: Session, draft_id: int) -> Where | None:
    row = session.get(SlackCard, draft_id)
    return (row.channel, row.ts) if row else None


def alert_card_of(session: Session, alert_id: int) -> Where | None:
    row = session.get(SlackAlertCard, alert_id)
    return (row.channel, row.ts) if row else None


CardTable = type[SlackCard] | type[SlackAlertCard] | type[SlackReviewCard]
_KEYS: dict[type[Base], str] = {
    SlackCard: "draft_id",
    SlackAlertCard: "alert_id",
    SlackReviewCard: "review_id",
}


def review_card_of(session: Session, review_id: int) -> Where | None:
    row = session.get(SlackReviewCard, review_id)
    return (row.channel, row.ts) if row else None


def review_at(session: Session, where: Where) -> int | None:
    """The review whose card is this message (what a click on it is about)."""
    return session.scalar(
        select(SlackReviewCard.review_id).where(
            SlackReviewCard.channel == where[0], SlackReviewCard.ts == where[1]
        )
    )


def record_card(session: Session, table: CardTable, row_id: int, where: Where) -> None:
    """Remember where a card went, unless one is already remembered (compare-and-set)."""
    key = _KEYS[table]
    try:
        with session.begin_nested():
            session.add(table(**{key: row_id, "channel": where[0], "ts": where[1]}))
    except IntegrityError:
        pass  # another thread posted first; its card stays the one we redraw


def file_ids(session: Session, draft_id: int) -> list[str]:
    """The Slack file of each of the draft's photos, in order ('' where none is known)."""
    rows = session.execute(
        select(Photo.id, SlackFile.file_id)
        .outerjoin(SlackFile, SlackFile.photo_id == Photo.id)
        .where(Photo.draft_id == draft_id)
        .order_by(Photo.position)
    ).all()
    return [file_id or "" for _photo, file_id in rows]


def record_asked(session: Session, draft_id: int, question: str, where: Where) -> None:
    """Where the question was posted, so its message can show the answer later."""
    question_id = _question_id(session, draft_id, question)
    if question_id is not None:
        session.merge(SlackQuestion(question_id=question_id, channel=where[0], ts=where[1]))


def asked_at(session: Session, draft_id: int, question: str) -> Where | None:
    """(channel, ts) of the question's message, if it was posted."""
    question_id = _question_id(session, draft_id, question)
    row = session.get(SlackQuestion, question_id) if question_id is not None else None
    return (row.channel, row.ts) if row else None


def _question_id(session: Session, draft_id: int, question: str) -> int | None:
    return session.scalar(
        select(NameQuestion.id).where(
            NameQuestion.draft_id == draft_id, NameQuestion.question == question
        )
    )
