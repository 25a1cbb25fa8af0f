"""Opening a review in the withdrawal's transaction, and showing it to SLT once."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import past_posts as repo
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.repositories import audit
from chatbot.domain.actors import Acting, acting_id
from chatbot.services.past_posts.view import live_posts
from chatbot.services.ports import ChatGateway

log = logging.getLogger(__name__)


def open_review(session: Session, pupil_id: int, actor: Acting) -> int | None:
    """In the withdrawal's transaction: a review of the pupil's live posts, or None (no card)
    when no live post pictures them."""
    posts = live_posts(session, pupil_id)
    if not posts:
        return None
    review = repo.add_review(session, pupil_id, opened_by=acting_id(actor), opened_at=utcnow())
    repo.add_review_items(
        session, review.id, ((post.draft_id, post.post_id, post.url or None) for post in posts)
    )
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
        return repo.count_unannounced(session)


def announce(sessions: sessionmaker[Session], chat: ChatGateway) -> int:
    """Show SLT every review not shown yet; returns how many. Each is claimed before it is
    posted, so two processes never post one twice; a failed post is released for next time."""
    with transaction(sessions) as session:
        waiting = repo.unannounced_review_ids(session)
    shown = 0
    for review_id in waiting:
        with transaction(sessions) as session:
            claimed = repo.claim_announcement(session, review_id)
        if not claimed:
            continue
        try:
            chat.show_past_posts(review_id)
        except Exception as exc:
            log.warning("past posts review %s not shown: %s", review_id, type(exc).__name__)
            with transaction(sessions) as session:
                repo.release_announcement(session, review_id)
            continue
        shown += 1
    return shown
