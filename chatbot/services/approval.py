"""SLT's decisions on drafts: approve (now or later), reject, override.

Every decision is checked here, not just by which buttons a card shows: only SLT decide, never
on their own draft, and only a draft in the right state. Decisions are compare-and-set moves,
so of twenty simultaneous clicks one wins and the others are told who got there first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Draft, utcnow
from chatbot.adapters.db.publishing import existing_draft, find_draft
from chatbot.adapters.db.repositories import StaleState, enqueue, move
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Outcome
from chatbot.domain.london import london_time
from chatbot.domain.messages import Mention, Telling, message
from chatbot.policy.model import Policy
from chatbot.services.checking import judge, may_override, settle, stored_verdict
from chatbot.services.ports import ChatGateway

log = logging.getLogger(__name__)

_DECIDED = {
    DraftState.APPROVED: "approved",
    DraftState.SCHEDULED: "approved",
    DraftState.PUBLISHING: "approved",
    DraftState.PUBLISHED: "approved",
    DraftState.FAILED: "approved",
    DraftState.NEEDS_REVIEW: "approved",
    DraftState.DELETED: "approved",
    DraftState.REJECTED: "rejected",
}
_STATE_WORDS = {
    DraftState.POSTED: "still being checked",
    DraftState.AWAITING_DECLARATION: "waiting for the author to say who is pictured",
    DraftState.CHECKED: "still being checked",
    DraftState.NEEDS_CHANGES: "blocked by the policy checks",
    DraftState.PENDING_APPROVAL: "waiting for approval",
    DraftState.WITHDRAWN: "withdrawn by its author",
}


@dataclass(frozen=True, slots=True)
class Answer:
    """What to tell the person who clicked: ok, or why not (shown only to them)."""

    ok: bool
    message: Telling = ""


NOT_A_DRAFT = "That button does not point to a draft I know."
NOT_SLT = (
    "Only members of the senior leadership team (SLT) can decide on drafts. "
    "If you should be one, ask whoever looks after the bot to add you."
)
OWN_DRAFT = "You wrote this draft, so another member of SLT must decide on it."
RACED = "Someone else has just dealt with this draft."


def _state_refusal(draft: Draft) -> Telling:
    state = DraftState(draft.state)
    if state in _DECIDED and draft.decided_by:
        when = f" at {london_time(draft.decided_at, short=True)}" if draft.decided_at else ""
        return message(f"Already {_DECIDED[state]} by ", Mention(draft.decided_by), f"{when}.")
    words = _STATE_WORDS.get(state, state.value.replace("_", " "))
    return f"This draft is {words}, so that cannot be done now."


def gatekeep(
    session: Session,
    draft_id: int | None,
    actor: Actor,
    allowed: frozenset[DraftState],
) -> Draft | Answer:
    """The draft if `actor` may decide on it now, else the refusal to show them.

    Only SLT decide, never on a draft they wrote, and only a draft in one of `allowed`.
    `draft_id` is None when the click's value did not parse (forged or malformed).
    """
    if draft_id is None:
        log.warning("refused a click with a malformed draft id from %s", actor.id)
        return Answer(False, NOT_A_DRAFT)
    if not actor.is_slt:
        return Answer(False, NOT_SLT)
    draft = find_draft(session, draft_id)
    if draft is None:
        return Answer(False, NOT_A_DRAFT)
    if draft.author_id == actor.id:
        return Answer(False, OWN_DRAFT)
    if DraftState(draft.state) not in allowed:
        return Answer(False, _state_refusal(draft))
    return draft


def check_may_decide(
    sessions: sessionmaker[Session],
    draft_id: int | None,
    actor: Actor,
    allowed: frozenset[DraftState],
) -> Answer:
    """For opening a form (reason, schedule): refuse early rather than after typing.

    The submission is checked again, in the transaction that acts.
    """
    with transaction(sessions) as session:
        found = gatekeep(session, draft_id, actor, allowed)
        return found if isinstance(found, Answer) else Answer(True)


NOT_OVERRIDABLE = (
    "This draft cannot be overridden: a safeguarding rule (consent, a pupil's name with a "
    "photo, an undeclared photo, offensive or extremist language) or a rule the policy does "
    "not let SLT override blocks it."
)


def may_reject(sessions: sessionmaker[Session], draft_id: int | None, actor: Actor) -> Answer:
    return check_may_decide(sessions, draft_id, actor, REJECTABLE)


def may_schedule(sessions: sessionmaker[Session], draft_id: int | None, actor: Actor) -> Answer:
    return check_may_decide(sessions, draft_id, actor, APPROVABLE)


def check_may_override(
    sessions: sessionmaker[Session], draft_id: int | None, actor: Actor
) -> Answer:
    """Before the override form opens: the same checks as `override` makes on submission."""
    with transaction(sessions) as session:
        found = gatekeep(session, draft_id, actor, OVERRIDABLE_STATES)
        if isinstance(found, Answer):
            return found
        if not may_override(stored_verdict(found)):
            return Answer(False, NOT_OVERRIDABLE)
        return Answer(True)


class _Blocked(Exception):
    """The checks block the draft now: the approval's transaction is rolled back."""

    def __init__(self, draft_id: int) -> None:
        super().__init__("blocked")
        self.draft_id = draft_id


def _blocked_again(
    sessions: sessionmaker[Session], chat: ChatGateway, policy: Policy, draft_id: int, now: datetime
) -> Answer:
    """The checks now block (consent withdrawn since): record it and say so."""
    try:
        with transaction(sessions) as session:
            settle(session, draft_id, policy, now, actor="system")
    except StaleState:
        pass
    chat.refresh_card(draft_id)
    return Answer(
        False,
        "Not approved: the checks now block this draft (for example, a pupil's consent has "
        "been withdrawn). The card shows why.",
    )


APPROVABLE = frozenset({DraftState.PENDING_APPROVAL})
REJECTABLE = frozenset({DraftState.PENDING_APPROVAL, DraftState.NEEDS_CHANGES})
OVERRIDABLE_STATES = frozenset({DraftState.NEEDS_CHANGES})


def decide(
    sessions: sessionmaker[Session],
    draft_id: int | None,
    actor: Actor,
    allowed: frozenset[DraftState],
    *,
    act: Callable[[Session, Draft], object],
    raced: str | None = None,
) -> int | Answer:
    """Check that `actor` may decide on the draft now and run `act`, in one transaction.

    Returns the draft id, or the refusal to show. When another decision won the race (the
    compare-and-set in `act` failed) the refusal is `raced`, or else says who decided and
    when.
    """
    try:
        with transaction(sessions) as session:
            found = gatekeep(session, draft_id, actor, allowed)
            if isinstance(found, Answer):
                return found
            act(session, found)
            return found.id
    except StaleState:
        if raced is not None:
            return Answer(False, raced)
        with transaction(sessions) as session:
            draft = find_draft(session, draft_id)
            return Answer(False, _state_refusal(draft) if draft else "This draft no longer exists.")


def approve(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    policy: Policy,
    draft_id: int | None,
    actor: Actor,
    *,
    not_before: datetime | None = None,
    now: datetime | None = None,
) -> Answer:
    """Approve a pending draft, to be posted now or at `not_before` (queued in the outbox)."""
    now = now or utcnow()
    scheduled = not_before is not None and not_before > now
    if not_before is not None and not scheduled:
        return Answer(False, "That time has passed: choose a time in the future.")

    def act(session: Session, draft: Draft) -> None:
        new = DraftState.SCHEDULED if scheduled else DraftState.APPROVED
        move(
            session,
            draft.id,
            DraftState.PENDING_APPROVAL,
            new,
            actor=actor,
            values={"decided_by": actor.id, "decided_at": now, "not_before": not_before},
        )
        # Consent is read again now, in the same transaction as the approval.
        if judge(session, existing_draft(session, draft.id), policy, now).outcome is Outcome.BLOCK:
            raise _Blocked(draft.id)
        enqueue(session, draft.id, due_at=not_before if scheduled else now)

    try:
        decided = decide(sessions, draft_id, actor, APPROVABLE, act=act)
    except _Blocked as blocked:
        return _blocked_again(sessions, chat, policy, blocked.draft_id, now)
    if isinstance(decided, Answer):
        return decided
    chat.refresh_card(decided)
    if scheduled:
        assert not_before is not None  # noqa: S101 (scheduled implies it)
        chat.tell_author(
            decided,
            message(
                "Approved by ",
                Mention(actor.id),
                f"; it will be posted on {chat.limits.name} at "
                f"{london_time(not_before, short=True)} (London time).",
            ),
        )
    else:
        chat.tell_author(
            decided,
            message(
                "Approved by ", Mention(actor.id), f"; it is being posted on {chat.limits.name}."
            ),
        )
    return Answer(True)


def reject(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    *,
    reason: str,
    now: datetime | None = None,
) -> Answer:
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        return Answer(False, "Give the author a reason, so they know what to change.")

    def act(session: Session, draft: Draft) -> None:
        move(
            session,
            draft.id,
            DraftState(draft.state),
            DraftState.REJECTED,
            actor=actor,
            reason=reason,
            values={"decided_by": actor.id, "decided_at": now, "decision_reason": reason},
        )

    decided = decide(sessions, draft_id, actor, REJECTABLE, act=act)
    if isinstance(decided, Answer):
        return decided
    chat.refresh_card(decided)
    chat.tell_author(decided, message("Not approved by ", Mention(actor.id), f". Reason: {reason}"))
    return Answer(True)


def override(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    policy: Policy,
    draft_id: int | None,
    actor: Actor,
    *,
    reason: str,
    now: datetime | None = None,
) -> Answer:
    """Approve a blocked draft, with a reason, when every blocking finding may be overridden."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        return Answer(False, "Say why the policy checks may be overridden for this post.")

    def act(session: Session, draft: Draft) -> None:
        move(
            session,
            draft.id,
            DraftState.NEEDS_CHANGES,
            DraftState.APPROVED,
            actor=actor,
            action="overridden",
            reason=reason,
            values={"decided_by": actor.id, "decided_at": now, "decision_reason": reason},
        )
        verdict = judge(session, existing_draft(session, draft.id), policy, now)
        if verdict.outcome is Outcome.BLOCK and not may_override(verdict):
            raise _Blocked(draft.id)
        enqueue(session, draft.id, due_at=now)

    try:
        decided = decide(sessions, draft_id, actor, OVERRIDABLE_STATES, act=act)
    except _Blocked as blocked:
        chat.refresh_card(blocked.draft_id)
        return Answer(False, NOT_OVERRIDABLE)
    if isinstance(decided, Answer):
        return decided
    chat.refresh_card(decided)
    chat.tell_author(
        decided,
        message(
            "Approved by ",
            Mention(actor.id),
            f" despite the checks. Reason: {reason}. It is being posted on {chat.limits.name}.",
        ),
    )
    return Answer(True)
