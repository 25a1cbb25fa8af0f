"""Past posts after a withdrawal: the live posts that picture a pupil whose Twitter consent was
withdrawn, put to SLT to take down or to keep, each decision with a reason and audited.

A withdrawal (by the command line, the office's form or an import) opens a review in its own
transaction when the pupil is pictured in live posts; `announce` then shows it to SLT once (the
chat adapter draws the card). Each post on it is decided once: "delete" queues the deletion for
the worker, which deletes through the publisher and redraws the card; "keep" records why.
Every click is checked here: SLT only, a post that is on that very review, not decided yet.
Nothing here names a pupil in a log; audit rows carry the pupil's id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
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
from chatbot.adapters.db.repositories import audit, enqueue
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.london import london_time
from chatbot.domain.messages import Mention, Message, Part, message
from chatbot.domain.outbox import OutboxState
from chatbot.domain.pupils import Pupil
from chatbot.services.approval import Answer
from chatbot.services.ports import ChatGateway

log = logging.getLogger(__name__)

EXCERPT = 100  # characters of the post's text shown on the card and by the command
MAX_REASON = 500

NOT_ON_CARD = "That post is not on this card, so nothing was done."
NOT_A_CARD = "That button is not on a card I know, so nothing was done."
NOT_SLT = (
    "Only members of the senior leadership team (SLT) can decide about past posts. "
    "If you should be one, ask whoever looks after the bot to add you."
)
OWN_POST = "You wrote this post, so another member of SLT must decide to keep it."
NEED_REASON = "Give a reason: it is kept in the audit log."


class PostStatus(StrEnum):
    OPEN = "open"  # nobody has decided yet
    DELETING = "deleting"  # SLT chose to delete it; the worker is deleting it
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
    rows = session.execute(
        select(Draft, NetworkPost)
        .join(PicturedPupil, PicturedPupil.draft_id == Draft.id)
        .join(NetworkPost, NetworkPost.draft_id == Draft.id)
        .where(PicturedPupil.pupil_id == pupil_id, Draft.state == DraftState.PUBLISHED.value)
        .order_by(Draft.id, NetworkPost.network)
    ).all()
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
    at = session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.draft_id == draft.id,
            AuditEntry.action.in_(("published", "marked_published")),
        )
    )
    return at or draft.decided_at or draft.updated_at


# -- opening and showing a review --------------------------------------------------------------


def open_review(session: Session, pupil_id: int, actor: str) -> int | None:
    """In the withdrawal's transaction: a review of the pupil's live posts, or None (no card)
    when no live post pictures them."""
    posts = live_posts(session, pupil_id)
    if not posts:
        return None
    review = PastPostReview(pupil_id=pupil_id, opened_by=actor, opened_at=utcnow())
    session.add(review)
    session.flush()
    for post in posts:
        network = session.scalar(
            select(NetworkPost.network).where(
                NetworkPost.draft_id == post.draft_id, NetworkPost.post_id == post.post_id
            )
        )
        session.add(
            PastPostItem(
                review_id=review.id,
                draft_id=post.draft_id,
                network=network or "",
                post_id=post.post_id,
                url=post.url or None,
            )
        )
    session.flush()
    audit(
        session,
        actor=actor,
        action="past_posts.review_opened",
        subject=f"pupil:{pupil_id}",
        detail={"review": review.id, "drafts": [p.draft_id for p in posts]},
    )
    return review.id


def unannounced(sessions: sessionmaker[Session]) -> int:
    """How many reviews SLT have not been shown yet."""
    with transaction(sessions) as session:
        waiting = select(func.count(PastPostReview.id)).where(PastPostReview.announced_at.is_(None))
        return session.scalar(waiting) or 0


def announce(sessions: sessionmaker[Session], chat: ChatGateway) -> int:
    """Show SLT every review not shown yet; returns how many. Each is claimed before it is
    posted, so two processes never post one twice; a failed post is released for next time."""
    with transaction(sessions) as session:
        waiting = list(
            session.scalars(
                select(PastPostReview.id)
                .where(PastPostReview.announced_at.is_(None))
                .order_by(PastPostReview.id)
            )
        )
    shown = 0
    for review_id in waiting:
        with transaction(sessions) as session:
            claimed = session.execute(
                update(PastPostReview)
                .where(PastPostReview.id == review_id, PastPostReview.announced_at.is_(None))
                .values(announced_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
        if not claimed:
            continue
        try:
            chat.show_past_posts(review_id)
        except Exception as exc:
            log.warning("past posts review %s not shown: %s", review_id, type(exc).__name__)
            with transaction(sessions) as session:
                session.execute(
                    update(PastPostReview)
                    .where(PastPostReview.id == review_id)
                    .values(announced_at=None)
                )
            continue
        shown += 1
    return shown


def load_review(session: Session, review_id: int) -> ReviewView | None:
    review = session.get(PastPostReview, review_id)
    if review is None:
        return None
    posts = []
    for item in review.items:
        draft = session.get(Draft, item.draft_id)
        if draft is None:
            continue
        posts.append(
            PastPost(
                draft_id=item.draft_id,
                post_id=item.post_id,
                url=item.url or "",
                published_at=_published_at(session, draft),
                excerpt=excerpt(draft.text),
                status=_status(session, item, draft),
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


def _status(session: Session, item: PastPostItem, draft: Draft) -> PostStatus:
    deleted = draft.state == DraftState.DELETED.value
    if item.decision == "delete":
        return PostStatus.DELETED if deleted else PostStatus.DELETING
    if item.decision == "keep":
        return PostStatus.KEPT
    return PostStatus.GONE if draft.state != DraftState.PUBLISHED.value else PostStatus.OPEN


def _deleted_by(session: Session, draft: Draft) -> str | None:
    if draft.state != DraftState.DELETED.value:
        return None
    return session.scalar(
        select(AuditEntry.actor)
        .where(AuditEntry.draft_id == draft.id, AuditEntry.action == "deleted_from_x")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def _pupil_label(session: Session, pupil_id: int | None) -> str:
    pupil = session.get(PupilRow, pupil_id) if pupil_id is not None else None
    if pupil is None:
        return "a pupil no longer on the register"
    group = session.scalar(
        select(PupilYear.year_group)
        .where(PupilYear.pupil_id == pupil.id)
        .order_by(PupilYear.academic_year.desc())
        .limit(1)
    )
    return Pupil(pupil.first_name, pupil.last_name, year_group=group or "").label


def reviews_showing(session: Session, draft_id: int) -> list[int]:
    """The reviews whose card lists this draft's post (to redraw when it is deleted)."""
    return list(
        session.scalars(
            select(PastPostItem.review_id)
            .where(PastPostItem.draft_id == draft_id)
            .order_by(PastPostItem.review_id)
        )
    )


# -- SLT's decisions ---------------------------------------------------------------------------


def _gatekeep(
    session: Session, review_id: int | None, draft_id: int | None, actor: Actor, *, keeping: bool
) -> PastPostItem | Answer:
    if review_id is None:
        log.warning("refused a past-post click not on a known card from %s", actor.id)
        return Answer(False, NOT_A_CARD)
    if not actor.is_slt:
        return Answer(False, NOT_SLT)
    item = (
        session.scalar(
            select(PastPostItem).where(
                PastPostItem.review_id == review_id, PastPostItem.draft_id == draft_id
            )
        )
        if draft_id is not None
        else None
    )
    if item is None:
        log.warning("refused a past-post click for a post not on review %s", review_id)
        return Answer(False, NOT_ON_CARD)
    draft = session.get_one(Draft, item.draft_id)
    status = _status(session, item, draft)
    if status is not PostStatus.OPEN:
        return Answer(False, _already(status))
    if keeping and draft.author_id == actor.id:
        return Answer(False, OWN_POST)
    return item


def _already(status: PostStatus) -> str:
    return {
        PostStatus.DELETING: "Someone has already chosen to delete this post; it is being deleted.",
        PostStatus.DELETED: "This post has already been deleted.",
        PostStatus.KEPT: "Someone has already reviewed this post and kept it.",
        PostStatus.GONE: "This post is no longer live: it was taken down another way.",
    }.get(status, "This post has already been dealt with.")


def check_may_act(
    sessions: sessionmaker[Session],
    review_id: int | None,
    draft_id: int | None,
    actor: Actor,
    *,
    keeping: bool = False,
) -> Answer:
    """Before the reason form opens (the submission is checked again when it acts)."""
    with transaction(sessions) as session:
        found = _gatekeep(session, review_id, draft_id, actor, keeping=keeping)
        return found if isinstance(found, Answer) else Answer(True)


def request_delete(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    review_id: int | None,
    draft_id: int | None,
    actor: Actor,
    *,
    reason: str,
) -> Answer:
    """SLT chose "Delete": record it (audited) and queue the deletion for the worker."""
    return _decide(sessions, chat, review_id, draft_id, actor, reason=reason, decision="delete")


def keep(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    review_id: int | None,
    draft_id: int | None,
    actor: Actor,
    *,
    reason: str,
) -> Answer:
    """SLT reviewed the post and keep it live: record who and why (audited)."""
    return _decide(sessions, chat, review_id, draft_id, actor, reason=reason, decision="keep")


def _decide(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    review_id: int | None,
    draft_id: int | None,
    actor: Actor,
    *,
    reason: str,
    decision: str,
) -> Answer:
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        return Answer(False, NEED_REASON)
    with transaction(sessions) as session:
        found = _gatekeep(session, review_id, draft_id, actor, keeping=decision == "keep")
        if isinstance(found, Answer):
            return found
        item = found
        won = session.execute(
            update(PastPostItem)
            .where(PastPostItem.id == item.id, PastPostItem.decision.is_(None))
            .values(decision=decision, decided_by=actor.id, decided_at=utcnow(), reason=reason)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if not won:
            return Answer(False, "Someone else has just dealt with this post.")
        review = session.get_one(PastPostReview, item.review_id)
        audit(
            session,
            actor=actor.id,
            action="past_post.delete" if decision == "delete" else "past_post.keep",
            draft_id=item.draft_id,
            subject=f"pupil:{review.pupil_id}" if review.pupil_id is not None else None,
            reason=reason,
            detail={"review": review.id, "post_id": item.post_id, "network": item.network},
        )
        if decision == "delete":
            _queue_deletion(session, item.draft_id, actor.id, reason)
        decided_draft, decided_review = item.draft_id, item.review_id
    chat.show_past_posts(decided_review)
    if decision == "delete":
        chat.refresh_card(decided_draft)
    return Answer(True)


def _queue_deletion(session: Session, draft_id: int, actor: str, reason: str) -> None:
    pending = session.scalar(
        select(OutboxItem.id).where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.kind == "delete",
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
    )
    if pending is None:
        item = enqueue(session, draft_id, kind="delete")
        item.progress = {"actor": actor, "reason": reason}
        session.flush()


# -- as words (the command line, a chat without the card) ----------------------------------------


def post_line(post: PastPost) -> str:
    """'Tue 1 Dec 2026, 10:42  "Year 4 at the museum…"  https://…' (London time)."""
    when = london_time(post.published_at) if post.published_at else "date unknown"
    return f'{when}  "{post.excerpt}"  {post.url or post.post_id}'


_STATUS_WORDS = {
    PostStatus.DELETING: "being deleted, chosen by ",
    PostStatus.DELETED: "deleted, chosen by ",
    PostStatus.KEPT: "reviewed and kept by ",
    PostStatus.GONE: "taken down by ",
}


def listing(view: ReviewView) -> Message:
    """The review as plain words: for a chat that shows it without buttons."""
    parts: list[Part | str] = [
        f"Twitter consent was withdrawn for {view.pupil_label}. These live posts picture them:"
    ]
    for post in view.posts:
        parts.append(f"\n• {post_line(post)}")
        if post.status is not PostStatus.OPEN:
            parts += [f" ({_STATUS_WORDS[post.status]}", Mention(post.by or "system"), ")"]
    parts.append(
        "\nDelete a post with `chatbot x delete <draft id> --reason …`, or review it and keep it."
    )
    return message(*parts)
