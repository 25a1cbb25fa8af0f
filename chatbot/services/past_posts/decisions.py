"""SLT's decisions on a review's posts: delete from the network (queued for the worker) or keep,
each with a reason, audited, checked here: SLT only, a post on that very review, once."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import past_posts as repo
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import PastPostItem
from chatbot.adapters.db.repositories import audit
from chatbot.domain.actors import Actor
from chatbot.services.approval import Answer
from chatbot.services.past_posts.view import PostStatus, status_of
from chatbot.services.ports import ChatGateway

log = logging.getLogger(__name__)

MAX_REASON = 500

NOT_ON_CARD = "That post is not on this card, so nothing was done."
NOT_A_CARD = "That button is not on a card I know, so nothing was done."
NOT_SLT = (
    "Only members of the senior leadership team (SLT) can decide about past posts. "
    "If you should be one, ask whoever looks after the bot to add you."
)
OWN_POST = "You wrote this post, so another member of SLT must decide to keep it."
NEED_REASON = "Give a reason: it is kept in the audit log."


def _gatekeep(
    session: Session, review_id: int | None, draft_id: int | None, actor: Actor, *, keeping: bool
) -> PastPostItem | Answer:
    if review_id is None:
        log.warning("refused a past-post click not on a known card from %s", actor.id)
        return Answer(False, NOT_A_CARD)
    if not actor.is_slt:
        return Answer(False, NOT_SLT)
    item = repo.item_on_review(session, review_id, draft_id) if draft_id is not None else None
    if item is None:
        log.warning("refused a past-post click for a post not on review %s", review_id)
        return Answer(False, NOT_ON_CARD)
    draft = repo.get_draft(session, item.draft_id)
    status = status_of(session, item, draft)
    if status is not PostStatus.OPEN:
        return Answer(False, _already(status))
    if keeping and draft.author_id == actor.id:
        return Answer(False, OWN_POST)
    return item


_ALREADY = {
    PostStatus.DELETING: "Someone has already chosen to delete this post; it is being deleted.",
    PostStatus.DELETED: "This post has already been deleted.",
    PostStatus.KEPT: "Someone has already reviewed this post and kept it.",
    PostStatus.GONE: "This post is no longer live: it was taken down another way.",
}


def _already(status: PostStatus) -> str:
    return _ALREADY.get(status, "This post has already been dealt with.")


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
            answer = found
        else:
            answer = _record(session, found, actor, reason, decision)
            decided = (found.review_id, found.draft_id)
    if not answer.ok:
        if review_id is not None and answer.message in _ALREADY.values():
            # The card was out of date (say, the post was deleted from the command line).
            chat.show_past_posts(review_id)
        return answer
    chat.show_past_posts(decided[0])
    if decision == "delete":
        chat.refresh_card(decided[1])
    return answer


def _record(
    session: Session, item: PastPostItem, actor: Actor, reason: str, decision: str
) -> Answer:
    """The decision on `item`, compare-and-set (one of two simultaneous clicks wins), audited."""
    won = repo.record_decision(
        session, item.id, decision=decision, decided_by=actor.id, reason=reason
    )
    if not won:
        return Answer(False, "Someone else has just dealt with this post.")
    review = repo.get_review(session, item.review_id)
    audit(
        session,
        actor=actor,  # with their name, for the governors' export
        action="past_post.delete" if decision == "delete" else "past_post.keep",
        draft_id=item.draft_id,
        subject=f"pupil:{review.pupil_id}" if review.pupil_id is not None else None,
        reason=reason,
        detail={"review": review.id, "post_id": item.post_id, "network": item.network},
    )
    if decision == "delete":
        _queue_deletion(session, item.draft_id, actor, reason)
    return Answer(True)


def _queue_deletion(session: Session, draft_id: int, actor: Actor, reason: str) -> None:
    if repo.pending_deletion(session, draft_id) is None:
        repo.queue_deletion(session, draft_id, actor=actor.id, name=actor.name, reason=reason)
