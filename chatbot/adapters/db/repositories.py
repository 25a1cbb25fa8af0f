"""The only ways the services change drafts: compare-and-set moves, audit rows, outbox rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import AuditEntry, Draft, OutboxItem, utcnow
from chatbot.domain.actors import Acting, acting_id, acting_name
from chatbot.domain.drafts import DraftState, check_transition
from chatbot.domain.outbox import OutboxState


class StaleState(Exception):
    """The draft was not in an expected state: someone (or a retry) got there first."""

    def __init__(self, draft_id: int, current: str | None) -> None:
        super().__init__(f"draft {draft_id} is {current or 'missing'}")
        self.draft_id = draft_id
        self.current = current


def audit(
    session: Session,
    *,
    actor: Acting,
    action: str,
    draft_id: int | None = None,
    subject: str | None = None,
    verdict: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit row. Never put a pupil's name or a token in `detail`.

    A person (`Actor`) is recorded with their name as it is now; a process by its id alone."""
    name = acting_name(actor)
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=acting_id(actor),
            actor_name=name[:200] if name else None,
            action=action,
            draft_id=draft_id,
            subject=subject,
            verdict=verdict,
            reason=reason,
            detail=detail,
        )
    )


def move(
    session: Session,
    draft_id: int,
    expected: DraftState | Iterable[DraftState],
    new: DraftState,
    *,
    actor: Acting,
    action: str | None = None,
    reason: str | None = None,
    values: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Move a draft from one of `expected` to `new`, or raise `StaleState` and change nothing.

    `UPDATE ... WHERE id = :id AND state IN (:expected)` decides the race in the database, so
    two clicks, two processes or a Slack retry can never move a draft twice.
    """
    allowed = {expected} if isinstance(expected, DraftState) else set(expected)
    for state in allowed:
        check_transition(state, new)
    result = session.execute(
        update(Draft)
        .where(Draft.id == draft_id, Draft.state.in_([s.value for s in allowed]))
        .values(state=new.value, updated_at=utcnow(), **(values or {}))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(select(Draft.state).where(Draft.id == draft_id))
        raise StaleState(draft_id, current)
    audit(
        session,
        actor=actor,
        action=action or new.value,
        draft_id=draft_id,
        reason=reason,
        detail=detail,
    )
    session.expire_all()  # later reads in this unit of work must see the new state


def enqueue(
    session: Session, draft_id: int, *, kind: str = "publish", due_at: datetime | None = None
) -> OutboxItem:
    """Queue work for the worker in the caller's transaction (so approval and outbox agree)."""
    item = OutboxItem(
        draft_id=draft_id, kind=kind, state=OutboxState.QUEUED, due_at=due_at or utcnow()
    )
    session.add(item)
    session.flush()
    return item
