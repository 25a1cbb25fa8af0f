"""The core's tables (SQLAlchemy 2, typed). Alembic migrations in `migrations/` create them.

They hold only our own ids. What a chat platform calls a message, a card or a file lives in
tables its adapter defines on the same `Base` (chatbot/adapters/slack/refs.py); `all_tables()`
imports them so that `Base.metadata` (and Alembic) sees every table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chatbot.adapters.db.base import DRAFT_STATES, Base, _in, utcnow
from chatbot.adapters.db.models_monitoring import (
    Alert,
    KeyValue,
    PeriodicTask,
    SeenAccount,
    StaffAccount,
)
from chatbot.adapters.db.models_registers import ConsentRow, PupilRow, PupilYear
from chatbot.adapters.db.models_reviews import PastPostItem, PastPostReview
from chatbot.domain.outbox import OutboxState


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (
        CheckConstraint(_in("state", DRAFT_STATES), name="state"),
        Index("ix_drafts_state_updated", "state", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[str] = mapped_column(String(64))  # Slack member id or Entra object id
    source_text: Mapped[str] = mapped_column(Text, default="")  # as the chat platform sent it
    text: Mapped[str] = mapped_column(Text, default="")  # as it will be posted
    state: Mapped[str] = mapped_column(String(32), default="posted")
    verdict: Mapped[str | None] = mapped_column(String(8))
    revision: Mapped[int] = mapped_column(Integer, default=1)  # bumped by each edit
    declared: Mapped[bool] = mapped_column(Boolean, default=False)
    no_pupils: Mapped[bool] = mapped_column(Boolean, default=False)
    # "Someone who is not on the register" is pictured: no consent, so the photos are blocked.
    unregistered_pictured: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    photo_source: Mapped[str | None] = mapped_column(String(32))
    not_before: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column()

    photos: Mapped[list[Photo]] = relationship(
        back_populates="draft", order_by="Photo.position", cascade="all, delete-orphan"
    )
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="draft", cascade="all, delete-orphan"
    )
    pictured: Mapped[list[PicturedPupil]] = relationship(
        back_populates="draft", cascade="all, delete-orphan"
    )
    name_answers: Mapped[list[NameAnswer]] = relationship(
        back_populates="draft", cascade="all, delete-orphan"
    )
    posts: Mapped[list[NetworkPost]] = relationship(
        order_by="NetworkPost.network", cascade="all, delete-orphan", passive_deletes=True
    )


class Photo(Base):
    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("draft_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str | None] = mapped_column(String(64))
    # Prepared (oriented, metadata-free, resized) JPEG; emptied after the retention period.
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    face_count: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(Text)
    alt_text: Mapped[str | None] = mapped_column(Text)
    purged_at: Mapped[datetime | None] = mapped_column()

    draft: Mapped[Draft] = relationship(back_populates="photos")


class NetworkPost(Base):
    """A draft's post on a social network: the id and link the publisher gave back.

    One neutral table keyed by network rather than a table per network: the core records what
    its `Publisher` port returns (a `PostRef`) and reads it back to take the post down, and that
    is the same for every network; only the publisher knows what the id means or how the link
    is built. A draft has at most one post per network.
    """

    __tablename__ = "network_posts"
    __table_args__ = (Index("ix_network_posts_post", "network", "post_id"),)

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    network: Mapped[str] = mapped_column(String(32), primary_key=True)  # the publisher's name
    post_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)


class NetworkMedia(Base):
    """A photo uploaded to a network: its media id there (kept for the audit trail and reuse)."""

    __tablename__ = "network_media"

    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True
    )
    network: Mapped[str] = mapped_column(String(32), primary_key=True)
    media_id: Mapped[str] = mapped_column(String(255))


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    overridable: Mapped[bool] = mapped_column(Boolean, default=False)
    # A name the engine is unsure of: the question's key and the name as written (else '').
    question: Mapped[str] = mapped_column(String(20), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(200), default="", server_default="")

    draft: Mapped[Draft] = relationship(back_populates="findings")


class NameAnswer(Base):
    """ "Is 'Frank' here one of our pupils?" answered: one row per question, the latest wins."""

    __tablename__ = "name_answers"
    __table_args__ = (UniqueConstraint("draft_id", "question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))  # the name as written: never logged
    is_pupil: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[str] = mapped_column(String(64))  # Slack user id
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    draft: Mapped[Draft] = relationship(back_populates="name_answers")


class NameQuestion(Base):
    """A question already asked in the draft's thread (so a re-check does not ask again)."""

    __tablename__ = "name_questions"
    __table_args__ = (UniqueConstraint("draft_id", "question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(20))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)


class PicturedPupil(Base):
    __tablename__ = "pictured_pupils"
    __table_args__ = (UniqueConstraint("draft_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))

    draft: Mapped[Draft] = relationship(back_populates="pictured")
    pupil: Mapped[PupilRow] = relationship()


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the first migration)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # platform user id, "system" or "cli:<user>"
    # The person's display name when they acted (migration 0008); NULL for processes and rows
    # written before it. Staff only: a pupil's name never goes here.
    actor_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    draft_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: outlives drafts
    subject: Mapped[str | None] = mapped_column(String(200))
    verdict: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column()


OUTBOX_STATES = tuple(OutboxState)


class OutboxItem(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_in("state", OUTBOX_STATES), name="state"),
        Index("ix_outbox_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="publish")  # publish | delete
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.QUEUED)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # The process holding the claim, so a restart on its host can tell that it died (its pid
    # gone, or reused by a process with another start time) without waiting for the lease.
    owner_host: Mapped[str | None] = mapped_column(String(255))
    owner_pid: Mapped[int | None] = mapped_column(Integer)
    owner_started: Mapped[str | None] = mapped_column(String(80))  # boot/pid namespace/start
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Publishing steps already done, so a retry after a crash reuses uploaded media.
    progress: Mapped[dict[str, Any] | None] = mapped_column()


def all_tables() -> MetaData:
    """`Base.metadata` with the adapters' tables loaded too (for Alembic and schema checks)."""
    # Imported for what they register: the Slack tables, the Teams tables.
    import chatbot.adapters.slack.refs
    import chatbot.adapters.teams.refs  # noqa: F401

    return Base.metadata


__all__ = [
    "DRAFT_STATES",
    "Alert",
    "AuditEntry",
    "Base",
    "ConsentRow",
    "Draft",
    "FindingRow",
    "KeyValue",
    "NameAnswer",
    "NameQuestion",
    "NetworkMedia",
    "NetworkPost",
    "OutboxItem",
    "PastPostItem",
    "PastPostReview",
    "PeriodicTask",
    "Photo",
    "PicturedPupil",
    "PupilRow",
    "PupilYear",
    "SeenAccount",
    "StaffAccount",
    "all_tables",
    "utcnow",
]
