"""Past-post reviews' queries: the live posts picturing a pupil, the reviews SLT are shown, and
SLT's decisions on them (services/past_posts keeps the rules; this is only the SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import (
    AuditEntry,
    Draft,
    NetworkPost,
    OutboxItem,
    PastPostItem,
    PastPostReview,
    PicturedPupil,
    PupilRow,
    PupilYear,
    utcnow,
)
from chatbot.adapters.db.repositories import enqueue
from chatbot.domain.drafts import DraftState
from chatbot.domain.outbox import OutboxState

# -- finding the posts -------------------------------------------------------------------------


def published_posts_picturing(session: Session, pupil_id: int) -> list[tuple[Draft, NetworkPost]]:
    """Each published draft picturing the pupil with each of its network posts, by draft id."""
    rows = session.execute(
        select(Draft, NetworkPost)
        .join(PicturedPupil, PicturedPupil.draft_id == Draft.id)
        .join(NetworkPost, NetworkPost.draft_id == Draft.id)
        .where(PicturedPupil.pupil_id == pupil_id, Draft.state == DraftState.PUBLISHED.value)
        .order_by(Draft.id, NetworkPost.network)
    ).all()
    return [(draft, post) for draft, post in rows]


def last_published_at(session: Session, draft_id: int) -> datetime | None:
    """When the audit log last says the draft was published (or marked published)."""
    return session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.draft_id == draft_id,
            AuditEntry.action.in_(("published", "marked_published")),
        )
    )


def find_draft(session: Session, draft_id: int) -> Draft | None:
    """The draft with this id, or None."""
    return session.get(Draft, draft_id)


def get_draft(session: Session, draft_id: int) -> Draft:
    """The draft with this id (it must exist)."""
    return session.get_one(Draft, draft_id)


def find_review(session: Session, review_id: int) -> PastPostReview | None:
    """The review with this id, or None."""
    return session.get(PastPostReview, review_id)


def get_review(session: Session, review_id: int) -> PastPostReview:
    """The review with this id (it must exist)."""
    return session.get_one(PastPostReview, review_id)


def last_deletion_state(session: Session, draft_id: int) -> str | None:
    """The state of the draft's newest deletion in the outbox, or None if none was queued."""
    return session.scalar(
        select(OutboxItem.state)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.kind == "delete")
        .order_by(OutboxItem.id.desc())
        .limit(1)
    )


def last_deleted_by(session: Session, draft_id: int) -> str | None:
    """Who the audit log last says deleted the draft's post from its network (the action is
    `deleted_from_<network>`, whichever network it was)."""
    return session.scalar(
        select(AuditEntry.actor)
        .where(AuditEntry.draft_id == draft_id, AuditEntry.action.startswith("deleted_from_"))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def find_pupil(session: Session, pupil_id: int) -> PupilRow | None:
    """The pupil on the register with this id, or None."""
    return session.get(PupilRow, pupil_id)


def latest_year_group(session: Session, pupil_id: int) -> str | None:
    """The pupil's year group in the latest academic year the register has for them."""
    return session.scalar(
        select(PupilYear.year_group)
        .where(PupilYear.pupil_id == pupil_id)
        .order_by(PupilYear.academic_year.desc())
        .limit(1)
    )


def reviews_listing(session: Session, draft_id: int) -> list[int]:
    """The ids of the reviews that list this draft's post, lowest first."""
    return list(
        session.scalars(
            select(PastPostItem.review_id)
            .where(PastPostItem.draft_id == draft_id)
            .order_by(PastPostItem.review_id)
        )
    )


# -- opening and showing reviews ---------------------------------------------------------------


def add_review(
    session: Session, pupil_id: int, *, opened_by: str, opened_at: datetime
) -> PastPostReview:
    """A new review of the pupil's posts, flushed so it has its id."""
    review = PastPostReview(pupil_id=pupil_id, opened_by=opened_by, opened_at=opened_at)
    session.add(review)
    session.flush()
    return review


def add_review_items(
    session: Session, review_id: int, posts: Iterable[tuple[int, str, str | None]]
) -> None:
    """One item on the review per (draft id, post id, url), each with its post's network."""
    for draft_id, post_id, url in posts:
        network = session.scalar(
            select(NetworkPost.network).where(
                NetworkPost.draft_id == draft_id, NetworkPost.post_id == post_id
            )
        )
        session.add(
            PastPostItem(
                review_id=review_id,
                draft_id=draft_id,
                network=network or "",
                post_id=post_id,
                url=url,
            )
        )
    session.flush()


def count_unannounced(session: Session) -> int:
    """How many reviews have not been shown to SLT yet."""
    waiting = select(func.count(PastPostReview.id)).where(PastPostReview.announced_at.is_(None))
    return session.scalar(waiting) or 0


def unannounced_review_ids(session: Session) -> list[int]:
    """The ids of the reviews not shown to SLT yet, oldest first."""
    return list(
        session.scalars(
            select(PastPostReview.id)
            .where(PastPostReview.announced_at.is_(None))
            .order_by(PastPostReview.id)
        )
    )


def claim_announcement(session: Session, review_id: int) -> bool:
    """Mark the review as shown if nobody has (compare-and-set); False if someone had."""
    claimed = session.execute(
        update(PastPostReview)
        .where(PastPostReview.id == review_id, PastPostReview.announced_at.is_(None))
        .values(announced_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    return bool(claimed)


def release_announcement(session: Session, review_id: int) -> None:
    """Mark the review as not shown again (its post failed), so it is tried next time."""
    session.execute(
        update(PastPostReview).where(PastPostReview.id == review_id).values(announced_at=None)
    )


# -- SLT's decisions ---------------------------------------------------------------------------


def item_on_review(session: Session, review_id: int, draft_id: int) -> PastPostItem | None:
    """The review's item for this draft, or None if the draft is not on that review."""
    return session.scalar(
        select(PastPostItem).where(
            PastPostItem.review_id == review_id, PastPostItem.draft_id == draft_id
        )
    )


def record_decision(
    session: Session, item_id: int, *, decision: str, decided_by: str, reason: str
) -> bool:
    """Set the item's decision if it has none (compare-and-set); False if another got there."""
    won = session.execute(
        update(PastPostItem)
        .where(PastPostItem.id == item_id, PastPostItem.decision.is_(None))
        .values(decision=decision, decided_by=decided_by, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return bool(won)


def pending_deletion(session: Session, draft_id: int) -> int | None:
    """The id of a deletion of the draft still queued or claimed in the outbox, or None."""
    return session.scalar(
        select(OutboxItem.id).where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.kind == "delete",
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
    )


def queue_deletion(
    session: Session, draft_id: int, *, actor: str, name: str | None, reason: str
) -> None:
    """Queue the deletion of the draft's post for the worker, with who asked (and their name,
    for the worker's audit row) and why."""
    item = enqueue(session, draft_id, kind="delete")
    item.progress = {"actor": actor, "actor_name": name, "reason": reason}
    session.flush()
