"""SLT's buttons for what happens on the network, and the command line's immediate delete.

Each button checks who may press it (SLT, not the draft's author) in the transaction that acts;
the answer is what to tell the person who pressed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import OutboxItem
from chatbot.adapters.db.publishing import (
    cancel_open_items,
    close_items,
    existing_draft,
    flush_changes,
    latest_publish_item,
    lock_queued_items,
    pending_takedown,
    post_of,
    record_post,
)
from chatbot.adapters.db.repositories import StaleState, audit, enqueue, move
from chatbot.domain.actors import Acting, Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.networks import NetworkLimits
from chatbot.domain.outbox import OutboxState
from chatbot.services.approval import RACED, Answer, check_may_decide, decide
from chatbot.services.ports import ChatGateway, Publisher

S = DraftState

RETRYABLE = frozenset({S.FAILED, S.NEEDS_REVIEW})
TAKEABLE_DOWN = frozenset({S.PUBLISHED})
MARKABLE = frozenset({S.NEEDS_REVIEW})
CANCELLABLE = frozenset({S.SCHEDULED})


def _slt_act(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    allowed: frozenset[DraftState],
    *,
    act: Callable[[Session, int], object],
) -> Answer:
    decided = decide(sessions, draft_id, actor, allowed, act=lambda s, d: act(s, d.id), raced=RACED)
    if isinstance(decided, Answer):
        return decided
    chat.refresh_card(decided)
    return Answer(True)


def may_take_down(sessions: sessionmaker[Session], draft_id: int | None, actor: Actor) -> Answer:
    return check_may_decide(sessions, draft_id, actor, TAKEABLE_DOWN)


def may_mark_published(
    sessions: sessionmaker[Session], draft_id: int | None, actor: Actor
) -> Answer:
    return check_may_decide(sessions, draft_id, actor, MARKABLE)


def retry(
    sessions: sessionmaker[Session], chat: ChatGateway, draft_id: int | None, actor: Actor
) -> Answer:
    """Queue a failed or needs-review draft again, now. Media uploaded before are reused."""
    return _slt_act(
        sessions, chat, draft_id, actor, RETRYABLE, act=lambda s, i: _requeue(s, i, actor)
    )


def _requeue(session: Session, draft_id: int, actor: Actor) -> OutboxItem:
    move(session, draft_id, RETRYABLE, S.APPROVED, actor=actor, action="retry")
    previous = latest_publish_item(session, draft_id)
    cancel_open_items(session, draft_id)
    item = enqueue(session, draft_id)
    media = ((previous.progress or {}).get("media")) if previous is not None else None
    if media:
        item.progress = {"media": media}
    flush_changes(session)
    return item


def not_a_post_link(limits: NetworkLimits) -> str:
    return f"that is not the link to a post on {limits.name} (like {limits.post_link_example})"


def mark_published(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    url: str,
    *,
    limits: NetworkLimits,
) -> Answer:
    """A person checked the account and found the post: record its URL (a link to a post on
    the network of `limits`, the publisher's)."""
    post_id = limits.post_id_in(url)
    if post_id is None:
        return Answer(False, not_a_post_link(limits))

    def act(session: Session, draft_id: int) -> None:
        move(
            session,
            draft_id,
            S.NEEDS_REVIEW,
            S.PUBLISHED,
            actor=actor,
            action="marked_published",
            detail={"post_id": post_id},
        )
        record_post(session, draft_id, limits.network, post_id, url.strip())
        close_items(
            session,
            draft_id,
            (OutboxState.NEEDS_REVIEW, OutboxState.QUEUED),
            OutboxState.DONE,
            kind="publish",
        )

    return _slt_act(sessions, chat, draft_id, actor, MARKABLE, act=act)


def request_takedown(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    reason: str,
) -> Answer:
    """Queue the deletion of a published draft's post; the worker deletes it."""
    reason = reason.strip()
    if not reason:
        return Answer(False, "a takedown needs a reason for the audit log")

    def act(session: Session, draft_id: int) -> None:
        existing_draft(session, draft_id)  # raises if the draft went away
        pending = pending_takedown(session, draft_id)
        audit(
            session,
            actor=actor,
            action="takedown_requested",
            draft_id=draft_id,
            reason=reason,
            detail={"post_id": post.post_id if (post := post_of(session, draft_id)) else None},
        )
        if pending is None:
            item = enqueue(session, draft_id, kind="delete")
            # The worker deletes it later, on their behalf: it audits them, by name too.
            item.progress = {"actor": actor.id, "actor_name": actor.name, "reason": reason}
            flush_changes(session)

    return _slt_act(sessions, chat, draft_id, actor, TAKEABLE_DOWN, act=act)


def cancel_schedule(
    sessions: sessionmaker[Session], chat: ChatGateway, draft_id: int | None, actor: Actor
) -> Answer:
    """Take a scheduled draft back to SLT before its time (refused if it is too late)."""

    def act(session: Session, draft_id: int) -> None:
        # Lock the outbox row before the draft, in the worker's order: no deadlock, and a
        # worker claiming at this moment skips the row (SKIP LOCKED).
        lock_queued_items(session, draft_id)
        move(
            session,
            draft_id,
            S.SCHEDULED,
            S.PENDING_APPROVAL,
            actor=actor,
            action="schedule_cancelled",
            values={"not_before": None},
        )
        close_items(session, draft_id, (OutboxState.QUEUED,), OutboxState.CANCELLED, kind="publish")

    return _slt_act(sessions, chat, draft_id, actor, CANCELLABLE, act=act)


def delete_now(
    sessions: sessionmaker[Session],
    publisher: Publisher,
    *,
    post_id: str,
    draft_id: int | None,
    actor: Acting,
    reason: str,
) -> None:
    """Delete a post now (the CLI's takedown) and record it; raises PublishError."""
    publisher.delete_post(post_id)
    with transaction(sessions) as session:
        if draft_id is not None:
            # The draft may have moved on (the worker deleted it); the deletion is audited anyway.
            with contextlib.suppress(StaleState):
                move(
                    session,
                    draft_id,
                    S.PUBLISHED,
                    S.DELETED,
                    actor=actor,
                    action=f"deleted_from_{publisher.network}",
                    reason=reason,
                    detail={"post_id": post_id},
                )
            close_items(
                session, draft_id, (OutboxState.QUEUED,), OutboxState.CANCELLED, kind="delete"
            )
        audit(
            session,
            actor=actor,
            action=f"{publisher.network}_post_deleted",
            draft_id=draft_id,
            subject=post_id,
            reason=reason,
        )


# -- retention ---------------------------------------------------------------------------------
