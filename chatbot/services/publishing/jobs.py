"""Step 1 of the work on an outbox item: claim and check, before anything goes to the network.

Also what the runner and the recovery share: the job a claim becomes, and the notice that asks
a person to look when nobody can know whether a post exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chatbot.adapters.db import outbox
from chatbot.adapters.db.models import Draft, OutboxItem
from chatbot.adapters.db.publishing import find_draft, post_of, reload
from chatbot.adapters.db.repositories import move
from chatbot.domain.drafts import DraftState
from chatbot.domain.london import LONDON
from chatbot.domain.messages import Emphasis, message
from chatbot.domain.outbox import OutboxState
from chatbot.services.ports import ChatGateway
from chatbot.services.publishing.state import SYSTEM

S = DraftState


class LeaseLost(Exception):
    """Another worker took the item over: stop before touching the network again."""


@dataclass(slots=True)
class PhotoJob:
    photo_id: int
    position: int
    data: bytes | None
    mime_type: str
    alt_text: str


@dataclass(slots=True)
class Job:
    item_id: int
    draft_id: int
    kind: str
    attempts: int
    text: str = ""
    post_id: str | None = None
    photos: list[PhotoJob] = field(default_factory=list)
    progress: dict[str, Any] = field(default_factory=dict)


Notice = Callable[[ChatGateway], None]


def ask_a_person(draft_id: int, why: str) -> list[Notice]:
    """Whether the post exists is unknown: SLT look on the account and decide from the card."""

    def tell(chat: ChatGateway) -> None:
        chat.notify_approvers(
            f"Draft #{draft_id} needs a person: {why}, so it may or may not be on the account. "
            f"Check the school's account on {chat.limits.name}, then mark it as published with "
            "its link, or press Retry if it is not there."
        )

    return [tell, lambda chat: chat.refresh_card(draft_id)]


def begin_publish(
    session: Session,
    item: OutboxItem,
    now: datetime,
    notices: list[Notice],
    *,
    worker_id: str,
    dry_run: bool,
) -> Job | None:
    """Claim checks for a publish: the draft moves to `publishing`, or the item is released."""
    draft = find_draft(session, item.draft_id)
    state = draft.state if draft is not None else None
    if draft is None or state not in (S.APPROVED.value, S.SCHEDULED.value):
        # Withdrawn, edited, cancelled or handled elsewhere since it was queued.
        outbox.release(
            session,
            item.id,
            worker_id,
            OutboxState.CANCELLED,
            last_error=f"draft is {state}",
        )
        return None
    if draft.not_before is not None and draft.not_before > now:
        outbox.release(
            session,
            item.id,
            worker_id,
            OutboxState.QUEUED,
            due_at=draft.not_before,
            refund_attempt=True,
        )
        return None
    move(
        session,
        draft.id,
        {S.APPROVED, S.SCHEDULED},
        S.PUBLISHING,
        actor=SYSTEM,
        action="publishing",
        detail={"outbox": item.id, "attempt": item.attempts, "dry_run": dry_run},
    )
    reload(session, draft)
    problem = consent_problem(session, draft, now)
    if problem is not None:
        move(
            session,
            draft.id,
            S.PUBLISHING,
            S.FAILED,
            actor=SYSTEM,
            action="consent_withdrawn",
            reason=problem,
        )
        outbox.release(session, item.id, worker_id, OutboxState.CANCELLED, last_error=problem)
        draft_id = draft.id
        notices.append(
            lambda chat: chat.notify_approvers(
                message(
                    f"Draft #{draft_id} was ",
                    Emphasis("not"),
                    f" published: {problem}. Consent is checked again just before posting. "
                    "Remove the photo (the author edits the draft) or record consent, then "
                    "press Retry.",
                )
            )
        )
        notices.append(lambda chat: chat.refresh_card(draft_id))
        notices.append(
            lambda chat: chat.tell_author(
                draft_id,
                "This post was stopped before publishing: a pictured pupil no longer has "
                "Twitter consent. Please edit the draft to remove or replace the photo.",
            )
        )
        return None
    progress = dict(item.progress or {})
    progress.setdefault("media", {})
    return Job(
        item_id=item.id,
        draft_id=draft.id,
        kind="publish",
        attempts=item.attempts,
        text=draft.text,
        photos=[
            PhotoJob(
                photo_id=photo.id,
                position=photo.position,
                data=photo.data,
                mime_type=photo.mime_type or "image/jpeg",
                alt_text=(photo.alt_text or "").strip(),
            )
            for photo in draft.photos
        ],
        progress=progress,
    )


def consent_problem(session: Session, draft: Draft, now: datetime) -> str | None:
    """Why the photos may not go out today, or None (no pupil names in the answer)."""
    if not draft.photos or draft.no_pupils:
        return None
    if not draft.declared:
        return "nobody has declared who is pictured in the photos"
    if draft.unregistered_pictured:
        return "a pictured child is not on the register"
    from chatbot.services.registers import twitter_consent

    day = now.astimezone(LONDON).date()
    consent = twitter_consent(session, [p.pupil_id for p in draft.pictured], on=day)
    missing = sum(1 for given in consent.values() if not given)
    if not missing:
        return None
    pupils = "pupil" if missing == 1 else "pupils"
    return f"Twitter consent is not in force on {day.isoformat()} for {missing} pictured {pupils}"


def begin_delete(session: Session, item: OutboxItem, *, worker_id: str, network: str) -> Job | None:
    """Claim checks for a takedown: the draft is still published and its post is known."""
    draft = find_draft(session, item.draft_id)
    post = post_of(session, item.draft_id, network)
    if draft is None or draft.state != S.PUBLISHED.value or post is None:
        state = draft.state if draft is not None else None
        outbox.release(
            session,
            item.id,
            worker_id,
            OutboxState.CANCELLED,
            last_error=f"draft is {state}",
        )
        return None
    return Job(
        item_id=item.id,
        draft_id=draft.id,
        kind="delete",
        attempts=item.attempts,
        post_id=post.post_id,
        progress=dict(item.progress or {}),
    )
