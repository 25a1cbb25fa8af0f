"""What App Home shows a person: SLT's queue and decisions, staff's own drafts, the policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Draft, utcnow
from chatbot.adapters.db.publishing import (
    drafts_awaiting_approval,
    drafts_scheduled,
    latest_decisions,
    latest_drafts_by,
)
from chatbot.domain.academic_year import LONDON
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.policy.model import Policy
from chatbot.services.draft_view import post_unconfirmed

RECENT = 10


@dataclass(frozen=True, slots=True)
class DraftLine:
    id: int
    state: DraftState
    author_id: str
    text: str
    created_at: datetime
    not_before: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    post_url: str | None
    # A publish is waiting after a try the network never confirmed: it may already be live.
    post_unconfirmed: bool = False


# How App Home names a draft's state, on every platform ("thread" is the platform's word,
# "network" the publisher's name).
STATE_LABELS = {
    DraftState.POSTED: "being checked",
    DraftState.AWAITING_DECLARATION: "waiting for you to say who is pictured",
    DraftState.CHECKED: "being checked",
    DraftState.NEEDS_CHANGES: "needs changes (see its {thread})",
    DraftState.PENDING_APPROVAL: "waiting for SLT",
    DraftState.APPROVED: "approved, queued for {network}",
    DraftState.SCHEDULED: "approved, scheduled",
    DraftState.PUBLISHING: "being posted",
    DraftState.PUBLISHED: "posted on {network}",
    DraftState.DELETED: "deleted from {network}",
    DraftState.FAILED: "posting failed (SLT can retry)",
    DraftState.NEEDS_REVIEW: "SLT are checking whether it was posted",
    DraftState.REJECTED: "not approved",
    DraftState.WITHDRAWN: "withdrawn",
}
# Said instead of "queued" when an earlier try was never confirmed: the post may be live.
UNCONFIRMED = "approved; may already be posted ({network} did not confirm an earlier try)"


def state_label(line: DraftLine, thread: str, network: str) -> str:
    label = STATE_LABELS[line.state]
    if line.state is DraftState.APPROVED and line.post_unconfirmed:
        label = UNCONFIRMED
    return label.format(thread=thread, network=network)


@dataclass(frozen=True, slots=True)
class HomeData:
    user_id: str
    is_slt: bool
    now: datetime
    review_date: date
    pending: tuple[DraftLine, ...] = ()  # SLT: oldest first
    scheduled: tuple[DraftLine, ...] = ()  # SLT: soonest first
    decisions: tuple[DraftLine, ...] = ()  # SLT: latest first
    own: tuple[DraftLine, ...] = ()  # the person's own drafts, latest first
    network: str = field(kw_only=True)  # the publisher's name, for the state labels

    def label(self, line: DraftLine, thread: str) -> str:
        """`line`'s state as App Home says it; `thread`: the platform's word for replies."""
        return state_label(line, thread, self.network)

    @property
    def review_overdue(self) -> bool:
        return self.review_date < self.now.astimezone(LONDON).date()


def _line(session: Session, draft: Draft) -> DraftLine:
    return DraftLine(
        id=draft.id,
        state=DraftState(draft.state),
        author_id=draft.author_id,
        text=draft.text,
        created_at=draft.created_at,
        not_before=draft.not_before,
        decided_by=draft.decided_by,
        decided_at=draft.decided_at,
        reason=draft.decision_reason,
        post_url=draft.posts[0].url if draft.posts else None,
        post_unconfirmed=post_unconfirmed(session, draft.id),
    )


def load_home(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    policy: Policy,
    network: str,
    now: datetime | None = None,
) -> HomeData:
    """What the person sees in App Home: their own drafts, and SLT's queues if they are SLT."""
    now = now or utcnow()
    user_id = actor.id
    with transaction(sessions) as session:

        def lines(drafts: Sequence[Draft]) -> tuple[DraftLine, ...]:
            return tuple(_line(session, d) for d in drafts)

        own = lines(latest_drafts_by(session, user_id, limit=15))
        if not actor.is_slt:
            return HomeData(user_id, False, now, policy.review_date, own=own, network=network)
        pending = lines(drafts_awaiting_approval(session, limit=30))
        scheduled = lines(drafts_scheduled(session, limit=30))
        decisions = lines(latest_decisions(session, limit=RECENT))
    return HomeData(
        user_id,
        True,
        now,
        policy.review_date,
        pending=pending,
        scheduled=scheduled,
        decisions=decisions,
        own=own,
        network=network,
    )
