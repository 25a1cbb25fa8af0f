"""Compare-and-set moves: one winner however many try at once; every move audited."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft, OutboxItem
from chatbot.adapters.db.repositories import StaleState, enqueue, move
from chatbot.domain.drafts import DraftState, IllegalTransition


def _draft(sessions: sessionmaker[Session], state: DraftState) -> int:
    with sessions.begin() as session:
        draft = Draft(author_id="U0AUTHOR1", state=state)
        session.add(draft)
        session.flush()
        return draft.id


def test_move_changes_state_and_audits(sessions: sessionmaker[Session]) -> None:
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL)
    with sessions.begin() as session:
        move(session, draft_id, DraftState.PENDING_APPROVAL, DraftState.APPROVED, actor="U0SLT0001")
        enqueue(session, draft_id)
    with sessions() as session:
        assert session.get(Draft, draft_id).state == "approved"  # type: ignore[union-attr]
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action, entry.draft_id) == ("U0SLT0001", "approved", draft_id)


def test_stale_move_raises_and_changes_nothing(sessions: sessionmaker[Session]) -> None:
    draft_id = _draft(sessions, DraftState.REJECTED)
    with pytest.raises(StaleState) as caught, sessions.begin() as session:
        move(session, draft_id, DraftState.PENDING_APPROVAL, DraftState.APPROVED, actor="U0SLT0001")
    assert caught.value.current == "rejected"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_illegal_transition_is_refused_before_touching_the_database() -> None:
    with pytest.raises(IllegalTransition):
        move(None, 1, DraftState.PUBLISHED, DraftState.APPROVED, actor="x")  # type: ignore[arg-type]


def test_twenty_simultaneous_moves_have_one_winner(sessions: sessionmaker[Session]) -> None:
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL)
    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def click(n: int) -> None:
        barrier.wait()
        try:
            with sessions.begin() as session:
                move(
                    session,
                    draft_id,
                    DraftState.PENDING_APPROVAL,
                    DraftState.APPROVED,
                    actor=f"U0SLT{n:04d}",
                )
                enqueue(session, draft_id)
            outcome = "won"
        except StaleState:
            outcome = "stale"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=click, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["stale"] * 19 + ["won"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1
