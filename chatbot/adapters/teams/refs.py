"""What Teams calls our things: a draft's post, its approval card, the replies in its thread, a
name question's card, an alert card, a photo's attachment, and the people the bot mentions.
The core keeps only its own ids; these tables (on the core's `Base`, created by migration 0006)
map them to Teams', and belong to this adapter alone, as slack_* belong to Slack's.

A Teams message is a conversation id (a channel's `19:...@thread.tacv2`, a 1:1 chat's `a:...`;
100+ characters) and an activity id. The draft's own post is unique on (conversation, activity):
that is what makes intake idempotent (see `MessageRefs` in services/ports.py). Every row hangs
off a core row with ON DELETE CASCADE, so a deleted draft leaves no link a reused id could find.

The service URL that Teams gave (the first activity's ``serviceUrl``) is kept in key_values, so
that after a restart the bot can post before anyone writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chatbot.adapters.db import platform_refs
from chatbot.adapters.db.kv import get_value, set_value
from chatbot.adapters.db.models import Base
from chatbot.adapters.db.platform_refs import PlatformRefs, RefTables
from chatbot.services.ports import MessageRef

_ID = String(255)  # conversation and activity ids: long, and Teams gives no maximum
SERVICE_URL_KEY = "teams.service_url"

Where = platform_refs.Where  # (conversation id, activity id)


class TeamsMessage(Base):
    """The channel post a draft came from: its reply chain is the draft's thread."""

    __tablename__ = "teams_messages"
    __table_args__ = (UniqueConstraint("conversation", "activity_id"),)

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsDraftCard(Base):
    """Where a draft's approval card was posted (once: the first writer wins)."""

    __tablename__ = "teams_cards"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsAlertCard(Base):
    """Where a safeguarding alert's card was posted."""

    __tablename__ = "teams_alert_cards"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsReviewCard(Base):
    """Where the card listing a withdrawn pupil's live posts was posted."""

    __tablename__ = "teams_review_cards"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("past_post_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsQuestion(Base):
    """The reply that asked a name question (so its card can show the answer later)."""

    __tablename__ = "teams_questions"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("name_questions.id", ondelete="CASCADE"), primary_key=True
    )
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsReply(Base):
    """A reply the bot posted in a draft's thread (its findings, a notice to the author)."""

    __tablename__ = "teams_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    conversation: Mapped[str] = mapped_column(_ID)
    activity_id: Mapped[str] = mapped_column(_ID)


class TeamsFile(Base):
    """The attachment a photo was downloaded from (its URL, or the id intake gave it)."""

    __tablename__ = "teams_files"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(Text)


class TeamsPerson(Base):
    """A member of staff as Teams shows them: for mentions (the name) and their 1:1 chat.

    Keyed by Entra object id (``aadObjectId``); the name is the display name Teams sent in
    ``from.name``. Staff only: pupils do not use the school's Teams with the bot.
    """

    __tablename__ = "teams_people"

    object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    chat_id: Mapped[str | None] = mapped_column(_ID)


def draft_ref(conversation_id: str, activity_id: str) -> MessageRef:
    """The key of a channel post as intake stores it: the channel's id (a post's conversation
    arrives as ``{channel};messageid={root}``) and the post's activity id."""
    return MessageRef(place=conversation_id.split(";messageid=", 1)[0], id=activity_id)


class TeamsRefs(PlatformRefs):
    """`MessageRefs` over the tables above: a MessageRef is (conversation, activity id) here,
    the conversation being the channel's id without ``;messageid=``."""

    def __init__(self) -> None:
        super().__init__(_TABLES)


_TABLES = RefTables(
    message=TeamsMessage,
    card=TeamsDraftCard,
    alert_card=TeamsAlertCard,
    question=TeamsQuestion,
    review_card=TeamsReviewCard,
    file=TeamsFile,
    place="conversation",
    id="activity_id",
)
CardTable = type[TeamsDraftCard] | type[TeamsAlertCard] | type[TeamsReviewCard]
_REFS = TeamsRefs()
message_of = _REFS.message_where
card_of = _REFS.card_of
alert_card_of = _REFS.alert_card_of
record_card = _REFS.record_card
file_ids = _REFS.file_ids
record_asked = _REFS.record_asked
asked_at = _REFS.asked_at
review_card_of = _REFS.review_card_of
review_at = _REFS.review_at


def record_reply(session: Session, draft_id: int, kind: str, where: Where) -> None:
    session.add(
        TeamsReply(draft_id=draft_id, kind=kind, conversation=where[0], activity_id=where[1])
    )


def replies_of(session: Session, draft_id: int, kind: str | None = None) -> list[Where]:
    """The bot's replies in the draft's thread, oldest first."""
    query = select(TeamsReply.conversation, TeamsReply.activity_id).where(
        TeamsReply.draft_id == draft_id
    )
    if kind is not None:
        query = query.where(TeamsReply.kind == kind)
    return [(c, a) for c, a in session.execute(query.order_by(TeamsReply.id)).all()]


# -- people ------------------------------------------------------------------------------------


def remember_person(session: Session, object_id: str, name: str | None) -> None:
    """Keep a display name for mentions (from ``from.name`` of an incoming activity)."""
    name = " ".join((name or "").split())[:255] or None
    row = session.get(TeamsPerson, object_id)
    if row is None:
        session.add(TeamsPerson(object_id=object_id, name=name))
    elif name and row.name != name:
        row.name = name
    session.flush()


def names_of(session: Session, object_ids: Iterable[str]) -> dict[str, str]:
    """Display names of the people known by these Entra object ids (unknown ones left out)."""
    wanted = sorted({i for i in object_ids if i})
    if not wanted:
        return {}
    rows = session.execute(
        select(TeamsPerson.object_id, TeamsPerson.name).where(TeamsPerson.object_id.in_(wanted))
    ).all()
    return {object_id: name for object_id, name in rows if name}


def personal_chat_of(session: Session, object_id: str) -> str | None:
    row = session.get(TeamsPerson, object_id)
    return row.chat_id if row else None


def record_personal_chat(session: Session, object_id: str, chat_id: str) -> None:
    """The 1:1 chat the bot created with this person (Teams gives the same one again)."""
    row = session.get(TeamsPerson, object_id)
    if row is None:
        session.add(TeamsPerson(object_id=object_id, chat_id=chat_id))
    else:
        row.chat_id = chat_id
    session.flush()


# -- the service URL ---------------------------------------------------------------------------


def stored_service_url(session: Session) -> str | None:
    value = get_value(session, SERVICE_URL_KEY)
    url = value.get("url") if value else None
    return url if isinstance(url, str) and url else None


def store_service_url(session: Session, url: str) -> None:
    set_value(session, SERVICE_URL_KEY, {"url": url})
