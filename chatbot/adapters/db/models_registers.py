"""The pupil register and consent tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chatbot.adapters.db.base import Base, _in, utcnow


class PupilRow(Base):
    __tablename__ = "pupils"
    __table_args__ = (
        UniqueConstraint("upn"),
        # Without an MIS id the name is the identity, so it stays unique among those pupils;
        # two pupils of one name are two pupils only when their ids tell them apart.
        Index(
            "uq_pupils_match_key_without_upn",
            "match_key",
            unique=True,
            sqlite_where=literal_column("upn").is_(None),
            postgresql_where=literal_column("upn").is_(None),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    # casefolded "first last": the identity an import merges on when the file has no upn
    match_key: Mapped[str] = mapped_column(String(210), index=True)
    # the pupil's id in the MIS (UPN or admission number): the identity when the file has one
    upn: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    years: Mapped[list[PupilYear]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan"
    )
    consents: Mapped[list[ConsentRow]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan"
    )


class PupilYear(Base):
    """A pupil on the register in one academic year, in a year group."""

    __tablename__ = "pupil_years"
    __table_args__ = (UniqueConstraint("pupil_id", "academic_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    year_group: Mapped[str] = mapped_column(String(16), default="")

    pupil: Mapped[PupilRow] = relationship(back_populates="years")


class ConsentRow(Base):
    """One pupil, academic year and channel: given or refused, by whom, when, withdrawn when."""

    __tablename__ = "consents"
    __table_args__ = (
        UniqueConstraint("pupil_id", "academic_year", "channel"),
        CheckConstraint(_in("channel", ("twitter", "website")), name="channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(7))
    channel: Mapped[str] = mapped_column(String(16))
    given: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))

    pupil: Mapped[PupilRow] = relationship(back_populates="consents")

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_at is None
