"""What a review shows: the live posts picturing a pupil, each with what SLT decided, read
from the database when the card is drawn (and as words for the command line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from chatbot.adapters.db import past_posts as repo
from chatbot.adapters.db.models import Draft, PastPostItem
from chatbot.domain.drafts import DraftState
from chatbot.domain.london import london_time
from chatbot.domain.outbox import OutboxState
from chatbot.domain.pupils import Pupil

EXCERPT = 100  # characters of the post's text shown on the card and by the command


class PostStatus(StrEnum):
    OPEN = "open"  # nobody has decided yet
    DELETING = "deleting"  # SLT chose to delete it; the worker is deleting it
    DELETE_FAILED = "delete_failed"  # SLT chose to delete it; the network refused for good
    DELETED = "deleted"  # deleted from the network on this card's decision
    KEPT = "kept"  # SLT reviewed it and keep it
    GONE = "gone"  # taken down another way (a takedown, the command line)


@dataclass(frozen=True, slots=True)
class PastPost:
    draft_id: int
    post_id: str
    url: str
    published_at: datetime | None
    excerpt: str
    status: PostStatus = PostStatus.OPEN
    by: str | None = None  # who decided (a platform user id, or cli:<user>)
    at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewView:
    """What the card shows: the pupil (named for SLT only: never log this), the posts."""

    review_id: int
    pupil_label: str
    withdrawn_by: str
    withdrawn_at: datetime
    posts: tuple[PastPost, ...]


def excerpt(text: str, limit: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# -- finding the posts -------------------------------------------------------------------------


def live_posts(session: Session, pupil_id: int) -> list[PastPost]:
    """Every post still live on a network that pictures the pupil, oldest first."""
    rows = repo.published_posts_picturing(session, pupil_id)
    seen: set[int] = set()
    posts = []
    for draft, post in rows:
        if draft.id in seen:
            continue  # one line per draft (its first network)
        seen.add(draft.id)
        posts.append(
            PastPost(
                draft_id=draft.id,
                post_id=post.post_id,
                url=post.url or "",
                published_at=_published_at(session, draft),
                excerpt=excerpt(draft.text),
            )
        )
    return posts


def _published_at(session: Session, draft: Draft) -> datetime | None:
    at = repo.last_published_at(session, draft.id)
    return at or draft.decided_at or draft.updated_at


def load_review(session: Session, review_id: int) -> ReviewView | None:
    review = repo.find_review(session, review_id)
    if review is None:
        return None
    posts = []
    for item in review.items:
        draft = repo.find_draft(session, item.draft_id)
        if draft is None:
            continue
        posts.append(
            PastPost(
                draft_id=item.draft_id,
                post_id=item.post_id,
                url=item.url or "",
                published_at=_published_at(session, draft),
                excerpt=excerpt(draft.text),
                status=status_of(session, item, draft),
                by=item.decided_by if item.decision else _deleted_by(session, draft),
                at=item.decided_at,
                reason=item.reason,
            )
        )
    return ReviewView(
        review_id=review.id,
        pupil_label=_pupil_label(session, review.pupil_id),
        withdrawn_by=review.opened_by,
        withdrawn_at=review.opened_at,
        posts=tuple(posts),
    )


def status_of(session: Session, item: PastPostItem, draft: Draft) -> PostStatus:
    deleted = draft.state == DraftState.DELETED.value
    if item.decision == "delete":
        if deleted:
            return PostStatus.DELETED
        last = repo.last_deletion_state(session, draft.id)
        # The worker gave up (it told SLT): the card must not say "being deleted" for ever.
        return PostStatus.DELETE_FAILED if last == OutboxState.FAILED else PostStatus.DELETING
    if item.decision == "keep":
        return PostStatus.KEPT
    if draft.state != DraftState.PUBLISHED.value:
        return PostStatus.GONE
    # Decided on another review (two pictured pupils withdrawn) or taken down from its card:
    # a deletion on its way is not a post to keep.
    if repo.pending_deletion(session, draft.id) is not None:
        return PostStatus.DELETING
    return PostStatus.OPEN


def _deleted_by(session: Session, draft: Draft) -> str | None:
    if draft.state != DraftState.DELETED.value:
        return None
    return repo.last_deleted_by(session, draft.id)


def _pupil_label(session: Session, pupil_id: int | None) -> str:
    pupil = repo.find_pupil(session, pupil_id) if pupil_id is not None else None
    if pupil is None:
        return "a pupil no longer on the register"
    group = repo.latest_year_group(session, pupil.id)
    return Pupil(pupil.first_name, pupil.last_name, year_group=group or "").label


def reviews_showing(session: Session, draft_id: int) -> list[int]:
    """The reviews whose card lists this draft's post (to redraw when it is deleted)."""
    return repo.reviews_listing(session, draft_id)


# -- as words (the command line) ------------------------------------------------------------


def post_line(post: PastPost) -> str:
    """'Tue 1 Dec 2026, 10:42  "Year 4 at the museum…"  https://…' (London time)."""
    when = london_time(post.published_at) if post.published_at else "date unknown"
    return f'{when}  "{post.excerpt}"  {post.url or post.post_id}'
