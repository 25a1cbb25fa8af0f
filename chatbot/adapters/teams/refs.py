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

from collections.abc import Iterable, Sequence

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from chatbot.adapters.db.kv import get_value, set_value
from chatbot.adapters.db.models import Base, NameQuestion, Photo
from chatbot.services.ports import MessageRef

_ID = String(255)  # conversation and activity ids: long, and Teams gives no maximum
SERVICE_URL_KEY = "teams.service_url"

Where = tuple[str, str]  # (conversation id, activity id)


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


class TeamsRefs:
    """`MessageRefs` over the tables above: a MessageRef is (conversation, activity id) here,
    the conversation being the channel's id without ``;messageid=``."""

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        return session.scalar(
            select(TeamsMessage.draft_id).where(
                TeamsMessage.conversation == ref.place, TeamsMessage.activity_id == ref.id
            )
        )

    def link_draft(self, session: Session, draft_id: int, ref: MessageRef) -> None:
        session.add(TeamsMessage(draft_id=draft_id, conversation=ref.place, activity_id=ref.id))
        session.flush()  # the unique (conversation, activity_id) fails here for a redelivery

    def message_of(self, session: Session, draft_id: int) -> MessageRef | None:
        where = message_of(session, draft_id)
        return MessageRef(place=where[0], id=where[1]) if where else None

    def link_files(self, session: Session, photos: Sequence[tuple[int, str]]) -> None:
        session.execute(delete(TeamsFile).where(TeamsFile.photo_id.in_([p for p, _ in photos])))
        session.add_all(TeamsFile(photo_id=p, file_id=f) for p, f in photos if f)
        session.flush()

    def photo_files(self, session: Session, draft_id: int) -> list[str]:
        return file_ids(session, draft_id)


def message_of(session: Session, draft_id: int) -> Where | None:
    row = session.get(TeamsMessage, draft_id)
    return (row.conversation, row.activity_id) if row else None


def card_of(session: Session, draft_id: int) -> Where | None:
    row = session.get(TeamsDraftCard, draft_id)
    return (row.conversation, row.activity_id) if row else None


def alert_card_of(session: Session, alert_id: int) -> Where | None:
    row = session.get(TeamsAlertCard, alert_id)
    return (row.conversation, row.activity_id) if row else None


CardTable = type[TeamsDraftCard] | type[TeamsAlertCard] | type[TeamsReviewCard]
_KEYS: dict[type[Base], str] = {
    TeamsDraftCard: "draft_id",
    TeamsAlertCard: "alert_id",
    TeamsReviewCard: "review_id",
}


def review_card_of(session: Session, review_id: int) -> Where | None:
    row = session.get(TeamsReviewCard, review_id)
    return (row.conversation, row.activity_id) if row else None


def review_at(session: Session, where: Where) -> int | None:
    """The review whose card is this activity (what a click on it is about)."""
    return session.scalar(
        select(TeamsReviewCard.review_id).where(
            TeamsReviewCard.conversation == where[0], TeamsReviewCard.activity_id == where[1]
        )
    )


def record_card(session: Session, table: CardTable, row_id: int, where: Where) -> bool:
    """Remember where a card went unless one is remembered already (compare-and-set); True if
    this call's card is the one kept."""
    key = _KEYS[table]
    try:
        with session.begin_nested():
            session.add(table(**{key: row_id, "conversation": where[0], "activity_id": where[1]}))
    except IntegrityError:
        return False  # another process posted first; its card stays the one we redraw
    return True


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


def file_ids(session: Session, draft_id: int) -> list[str]:
    """The attachment of each of the draft's photos, in order ('' where none is known)."""
    rows = session.execute(
        select(Photo.id, TeamsFile.file_id)
        .outerjoin(TeamsFile, TeamsFile.photo_id == Photo.id)
        .where(Photo.draft_id == draft_id)
        .order_by(Photo.position)
    ).all()
    return [file_id or "" for _photo, file_id in rows]


def record_asked(session: Session, draft_id: int, question: str, where: Where) -> None:
    """Where the question was posted, so its card can show the answer later."""
    question_id = _question_id(session, draft_id, question)
    if question_id is not None:
        session.merge(
            TeamsQuestion(question_id=question_id, conversation=where[0], activity_id=where[1])
        )


def asked_at(session: Session, draft_id: int, question: str) -> Where | None:
    """(conversation, activity id) of the question's card, if it was posted."""
    question_id = _question_id(session, draft_id, question)
    row = session.get(TeamsQuestion, question_id) if question_id is not None else None
    return (row.conversation, row.activity_id) if row else None


def _question_id(session: Session, draft_id: int, question: str) -> int | None:
    return session.scalar(
        select(NameQuestion.id).where(
            NameQuestion.draft_id == draft_id, NameQuestion.question == question
        )
    )


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
