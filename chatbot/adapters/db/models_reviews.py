"""Past posts reviewed after a withdrawal of consent: one review per withdrawal that found live
posts picturing the pupil, one item per such post with SLT's decision on it.

The pupil is kept by id only (never a name); the post's id and link are copied from
`network_posts` when the review opens, so the card still says which post it was once the post
is gone from the network.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chatbot.adapters.db.base import Base, _in, utcnow

REVIEW_DECISIONS = ("delete", "keep")


class PastPostReview(Base):
    __tablename__ = "past_post_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SET NULL: removing a leaver must not erase what SLT decided about the posts.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id", ondelete="SET NULL"))
    opened_by: Mapped[str] = mapped_column(String(64))  # who withdrew the consent
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set once the card has gone to SLT (claimed before posting, so it goes once).
    announced_at: Mapped[datetime | None] = mapped_column()

    items: Mapped[list[PastPostItem]] = relationship(
        back_populates="review", order_by="PastPostItem.id", cascade="all, delete-orphan"
    )


class PastPostItem(Base):
    __tablename__ = "past_post_items"
    __table_args__ = (
        UniqueConstraint("review_id", "draft_id"),
        CheckConstraint(_in("decision", REVIEW_DECISIONS), name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("past_post_reviews.id", ondelete="CASCADE"), index=True
    )
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    network: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(8))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)

    review: Mapped[PastPostReview] = relationship(back_populates="items")
