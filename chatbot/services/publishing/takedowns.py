"""Takedowns: the worker deletes a published draft's post, and what happens when it cannot."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.repositories import StaleState, audit, move
from chatbot.domain.actors import Acting, Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.outbox import OutboxState
from chatbot.services.past_posts import reviews_showing
from chatbot.services.ports import PublishError
from chatbot.services.publishing.jobs import Job, LeaseLost, Notice
from chatbot.services.publishing.state import SYSTEM

if TYPE_CHECKING:
    from chatbot.services.publishing.runner import Publishing

S = DraftState


def run_takedown(worker: Publishing, job: Job) -> None:
    """Delete a published draft's post (an outbox `delete` item the worker claimed)."""
    post_id = job.post_id or ""
    by = job.progress.get("actor")
    actor: Acting = Actor(str(by), name=job.progress.get("actor_name")) if by else SYSTEM
    reason = str(job.progress.get("reason") or "")
    try:
        worker.publisher.delete_post(post_id)
    except PublishError as error:
        _takedown_failed(worker, job, error)
        return
    with transaction(worker.sessions) as session:
        with contextlib.suppress(StaleState):  # deleted meanwhile from the command line
            move(
                session,
                job.draft_id,
                S.PUBLISHED,
                S.DELETED,
                actor=actor,
                action=f"deleted_from_{worker.publisher.network}",
                reason=reason,
                detail={"post_id": job.post_id},
            )
        if not outbox.release(session, job.item_id, worker.worker_id, OutboxState.DONE):
            raise LeaseLost
        reviews = reviews_showing(session, job.draft_id)
    worker.safe(lambda chat: chat.refresh_card(job.draft_id))
    for review_id in reviews:  # the past-posts cards that list it say it is gone
        worker.safe(_show_review(review_id))
    worker.safe(
        lambda chat: chat.notify_approvers(
            f"Draft #{job.draft_id}'s post was deleted from {chat.limits.name}."
        )
    )


def _takedown_failed(worker: Publishing, job: Job, error: PublishError) -> None:
    notices: list[Notice] = []
    now = worker.clock()
    reason = str(error)
    with transaction(worker.sessions) as session:
        again = worker.try_again(session, job, error, now, notices)
        kwargs: dict[str, Any] = {"last_error": reason, **(again or {})}
        if again is not None:
            state = OutboxState.QUEUED
        else:
            state = OutboxState.FAILED
            audit(
                session,
                actor=SYSTEM,
                action="delete_failed",
                draft_id=job.draft_id,
                reason=reason,
                detail={"post_id": job.post_id},
            )
            notices.append(
                lambda chat: chat.notify_approvers(
                    f"Draft #{job.draft_id}'s post could not be deleted from "
                    f"{chat.limits.name} ({reason}). Delete it by hand on {chat.limits.name}, "
                    f"or try `chatbot {chat.limits.network} delete` later."
                )
            )
        if not outbox.release(session, job.item_id, worker.worker_id, state, **kwargs):
            raise LeaseLost
        if state is OutboxState.FAILED:  # the past-posts cards that list it say it failed
            notices.extend(_show_review(r) for r in reviews_showing(session, job.draft_id))
    worker.tell(notices)


def _show_review(review_id: int) -> Notice:
    return lambda chat: chat.show_past_posts(review_id)
