"""Monitoring tables: staff accounts, alerts, accounts seen, periodic tasks and key values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chatbot.adapters.db.base import Base, _in, utcnow
from chatbot.domain.alerts import AlertState


class StaffAccount(Base):
    __tablename__ = "staff_accounts"
    __table_args__ = (UniqueConstraint("handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handle: Mapped[str] = mapped_column(String(32))  # without "@", casefolded
    # The account's id on the network; the column keeps its first name (X was the only one).
    network_user_id: Mapped[str | None] = mapped_column("x_user_id", String(32))
    # The person on the chat platform, opaque here (the platform's user id).
    chat_user: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    opted_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column()


class Alert(Base):
    """A safeguarding flag: a handle, a rule and the decision; never a stored profile."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "rule", "evidence_key"),
        CheckConstraint(_in("state", tuple(AlertState)), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # follower | staff_follower | mention | ...
    subject_id: Mapped[str] = mapped_column(String(32))  # X user or post id
    subject_handle: Mapped[str] = mapped_column(String(64), default="")
    staff_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id", ondelete="SET NULL")
    )
    rule: Mapped[str] = mapped_column(String(40))
    evidence: Mapped[str] = mapped_column(Text, default="")
    # a hash of the evidence: the same follower is alerted again only on new evidence
    evidence_key: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default=AlertState.OPEN, index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A mention or reply: the post (subject_id is then its author, so mute works on every kind).
    post_id: Mapped[str | None] = mapped_column(String(32))
    # The pupil a name matched: the card looks the name up, so it is never copied here and
    # goes when the pupil leaves the register.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id", ondelete="SET NULL"))


class SeenAccount(Base):
    """An account a monitor has already checked, by X's id only (never a profile)."""

    __tablename__ = "seen_accounts"

    scope: Mapped[str] = mapped_column(String(48), primary_key=True)  # "followers:<id>", ...
    account_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PeriodicTask(Base):
    __tablename__ = "periodic_tasks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column()
    lease_until: Mapped[datetime | None] = mapped_column()
    cursor: Mapped[str | None] = mapped_column(String(64))  # e.g. the last seen post id
    last_error: Mapped[str | None] = mapped_column(Text)


class KeyValue(Base):
    """Small facts the bot keeps between runs (read budget per month, paused flags)."""

    __tablename__ = "key_values"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
