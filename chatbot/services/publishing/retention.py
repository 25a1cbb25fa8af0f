"""Claims whose worker stopped (recovery), and how long photo data is kept (retention)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import OutboxItem
from chatbot.adapters.db.publishing import find_draft, purge_photo_data
from chatbot.adapters.db.repositories import audit, move
from chatbot.domain.drafts import DraftState
from chatbot.domain.outbox import OutboxState
from chatbot.services.publishing.jobs import Notice, ask_a_person
from chatbot.services.publishing.state import SYSTEM

S = DraftState


def reap_claim(
    session: Session,
    item: OutboxItem,
    notices: list[Notice],
    *,
    now: datetime,
    max_attempts: int,
    network: str,
    died: bool = False,
) -> None:
    """Resolve a claim whose worker stopped; `died`: its process is known to be gone
    (found at once on its host), else its lease ran out. `network`: its name, for the texts."""
    draft = find_draft(session, item.draft_id)
    draft_id = item.draft_id
    if died:
        note = "worker died: its process stopped while handling this item"
        action = "worker_died"
    else:
        note = "lease expired: the worker stopped while handling this item"
        action = "lease_expired"
    if item.kind == "delete":
        # Deleting twice is harmless (a post already gone counts as deleted).
        outbox.release(session, item.id, None, OutboxState.QUEUED, last_error=note)
        return
    if draft is None or draft.state != S.PUBLISHING.value:
        outbox.release(session, item.id, None, OutboxState.CANCELLED, last_error=note)
        return
    if (item.progress or {}).get("post_attempt_at"):
        outbox.release(session, item.id, None, OutboxState.NEEDS_REVIEW, last_error=note)
        move(
            session,
            draft_id,
            S.PUBLISHING,
            S.NEEDS_REVIEW,
            actor=SYSTEM,
            action=action,
            reason=f"{note} after sending the post to {network}",
        )
        notices += ask_a_person(draft_id, f"the bot stopped while sending it to {network}")
    elif item.attempts >= max_attempts:
        outbox.release(session, item.id, None, OutboxState.FAILED, last_error=note)
        move(
            session,
            draft_id,
            S.PUBLISHING,
            S.FAILED,
            actor=SYSTEM,
            action=action,
            reason=note,
        )
        notices.append(
            lambda chat: chat.notify_approvers(
                f"Draft #{draft_id} could not be published: the bot stopped while preparing "
                "it, too many times. Nothing was posted. Press Retry on its card."
            )
        )
        notices.append(lambda chat: chat.refresh_card(draft_id))
    else:
        # Nothing was sent as a post yet: a retry is safe (and reuses uploaded media).
        outbox.release(session, item.id, None, OutboxState.QUEUED, due_at=now, last_error=note)
        move(
            session,
            draft_id,
            S.PUBLISHING,
            S.APPROVED,
            actor=SYSTEM,
            action=action + "_retry",
            reason=note,
        )


_FINISHED = (S.PUBLISHED, S.DELETED, S.REJECTED, S.WITHDRAWN)


def purge_finished_photos(
    sessions: sessionmaker[Session], older_than: timedelta, *, now: datetime | None = None
) -> int:
    """Delete the image data of finished drafts untouched for `older_than`; returns how many."""
    now = now or datetime.now(UTC)
    with transaction(sessions) as session:
        count = purge_photo_data(session, [s.value for s in _FINISHED], now - older_than, now)
        if count:
            audit(session, actor=SYSTEM, action="photos_purged", detail={"photos": count})
    return count
