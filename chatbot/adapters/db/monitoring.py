"""What the monitors keep between runs: accounts already checked, and alerts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chatbot.adapters.db.inserts import ignore_duplicates, insert_ignoring_duplicates
from chatbot.adapters.db.models import Alert, SeenAccount, utcnow
from chatbot.domain.alerts import AlertState

_IN_CHUNK = 500  # ids per IN (...): well under SQLite's variable limit


def unseen(session: Session, scope: str, ids: Sequence[str]) -> set[str]:
    """The ids in `ids` not checked before in `scope`."""
    seen: set[str] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        seen.update(
            session.scalars(
                select(SeenAccount.account_id).where(
                    SeenAccount.scope == scope, SeenAccount.account_id.in_(chunk)
                )
            )
        )
    return set(ids) - seen


def mark_seen(session: Session, scope: str, ids: Iterable[str]) -> None:
    now = utcnow()
    rows = [{"scope": scope, "account_id": i, "first_seen_at": now} for i in ids]
    if rows:
        # One statement, many parameter sets: compiled once and cached (a page is 1,000 ids).
        session.execute(ignore_duplicates(session, SeenAccount), rows)


def forget_scope(session: Session, scope: str) -> None:
    session.execute(delete(SeenAccount).where(SeenAccount.scope == scope))


def insert_alert(
    session: Session,
    *,
    kind: str,
    subject_id: str,
    handle: str,
    rule: str,
    evidence: str,
    evidence_key: str,
    pupil_id: int | None,
    post_id: str | None,
    staff_account_id: int | None,
) -> int | None:
    """A new open alert's id, or None when this evidence was alerted before."""
    row = {
        "kind": kind,
        "subject_id": subject_id,
        "subject_handle": handle[:64],
        "rule": rule,
        "evidence": evidence,
        "evidence_key": evidence_key,
        "state": AlertState.OPEN,
        "post_id": post_id,
        "pupil_id": pupil_id,
        "staff_account_id": staff_account_id,
        "created_at": utcnow(),
    }
    statement = insert_ignoring_duplicates(session, Alert, [row])
    new_id = session.execute(statement.returning(Alert.id)).scalar_one_or_none()
    return int(new_id) if new_id is not None else None
