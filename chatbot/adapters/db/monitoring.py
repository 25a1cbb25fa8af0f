"""The monitors' SQL: accounts already checked, alerts and SLT's decisions on them, staff
accounts, the mentions cursor; and the reminders' claim on drafts waiting for SLT."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.inserts import ignore_duplicates, insert_ignoring_duplicates
from chatbot.adapters.db.models import (
    Alert,
    AuditEntry,
    Draft,
    PeriodicTask,
    PupilRow,
    PupilYear,
    SeenAccount,
    StaffAccount,
    utcnow,
)
from chatbot.domain.alerts import AlertState
from chatbot.domain.drafts import DraftState

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
    """Record `ids` as checked in `scope` (ids already there are left as they are)."""
    now = utcnow()
    rows = [{"scope": scope, "account_id": i, "first_seen_at": now} for i in ids]
    if rows:
        # One statement, many parameter sets: compiled once and cached (a page is 1,000 ids).
        session.execute(ignore_duplicates(session, SeenAccount), rows)


def forget_scope(session: Session, scope: str) -> None:
    """Forget every id checked in `scope`."""
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


def alert_by_id(session: Session, alert_id: int) -> Alert | None:
    """The alert with this id, or None."""
    return session.get(Alert, alert_id)


def decide_alert_state(
    session: Session,
    alert_id: int,
    *,
    from_states: Sequence[AlertState],
    state: str,
    decided_by: str,
    note: str | None,
) -> bool:
    """Compare-and-set: move the alert to `state` if it is in `from_states`; whether it moved."""
    result = session.execute(
        update(Alert)
        .where(Alert.id == alert_id, Alert.state.in_(from_states))
        .values(state=state, decided_by=decided_by, decided_at=utcnow(), note=note)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def alert_state_and_decider(session: Session, alert_id: int) -> tuple[str, str | None] | None:
    """The alert's state and who decided it, or None when there is no such alert."""
    row = session.execute(select(Alert.state, Alert.decided_by).where(Alert.id == alert_id)).first()
    return (row[0], row[1]) if row else None


def alert_kind_rule_handle(session: Session, alert_id: int) -> tuple[str, str, str]:
    """The alert's kind, rule and subject handle (the alert must exist)."""
    kind, rule, handle = session.execute(
        select(Alert.kind, Alert.rule, Alert.subject_handle).where(Alert.id == alert_id)
    ).one()
    return kind, rule, handle


def staff_block_recorded(session: Session, alert_id: int) -> bool:
    """Whether the audit log has the member of staff saying they blocked the alert's account."""
    found = session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.action == "alert_staff_blocked",
            AuditEntry.detail["alert_id"].as_integer() == alert_id,
        )
    )
    return found is not None


def pupil_by_id(session: Session, pupil_id: int) -> PupilRow | None:
    """The register's pupil with this id, or None."""
    return session.get(PupilRow, pupil_id)


def pupil_year_group(session: Session, pupil_id: int, academic_year: str) -> str | None:
    """The pupil's year group in `academic_year`, or None when not on that year's register."""
    return session.scalar(
        select(PupilYear.year_group).where(
            PupilYear.pupil_id == pupil_id, PupilYear.academic_year == academic_year
        )
    )


def staff_account_by_id(session: Session, staff_id: int | None) -> StaffAccount | None:
    """The staff account with this id, or None (also for a None id: an alert about someone
    who is not staff has none, and `Session.get` warns on a NULL key)."""
    return session.get(StaffAccount, staff_id) if staff_id is not None else None


def staff_account_by_handle(session: Session, handle: str) -> StaffAccount | None:
    """The staff account with this (normalised) handle, checked or removed, or None."""
    return session.scalar(select(StaffAccount).where(StaffAccount.handle == handle))


def checked_staff_account(session: Session, handle: str) -> StaffAccount | None:
    """The staff account with this (normalised) handle still being checked, or None."""
    return session.scalar(
        select(StaffAccount).where(StaffAccount.handle == handle, StaffAccount.removed_at.is_(None))
    )


def record_staff_opt_in(
    session: Session, row: StaffAccount | None, handle: str, chat_user: str
) -> StaffAccount:
    """Opt `handle` in from today: `row` (a removed account) again, or a new row when None."""
    if row is None:
        row = StaffAccount(handle=handle, chat_user=chat_user)
        session.add(row)
    row.chat_user, row.opted_in_at, row.removed_at = chat_user, utcnow(), None
    session.flush()
    return row


def staff_accounts_by_handle(
    session: Session, *, include_removed: bool = False
) -> list[StaffAccount]:
    """Staff accounts in handle order; only those still checked unless `include_removed`."""
    query = select(StaffAccount).order_by(StaffAccount.handle)
    if not include_removed:
        query = query.where(StaffAccount.removed_at.is_(None))
    return list(session.scalars(query))


def checked_staff_accounts(session: Session) -> list[StaffAccount]:
    """The staff accounts still being checked, oldest first."""
    return list(
        session.scalars(
            select(StaffAccount).where(StaffAccount.removed_at.is_(None)).order_by(StaffAccount.id)
        )
    )


def task_cursor(session: Session, task: str) -> str | None:
    """Where the periodic task `task` got to, or None before its first run."""
    row = session.get(PeriodicTask, task)
    return row.cursor if row is not None else None


def set_task_cursor(session: Session, task: str, cursor: str) -> None:
    """Record where the periodic task `task` got to (making its row if needed)."""
    session.execute(insert_ignoring_duplicates(session, PeriodicTask, [{"name": task}]))
    session.execute(update(PeriodicTask).where(PeriodicTask.name == task).values(cursor=cursor))


def drafts_to_remind(session: Session, cutoff: datetime) -> list[tuple[int, str, datetime]]:
    """(id, author, created) of drafts waiting for SLT since before `cutoff`, not yet reminded,
    oldest first."""
    rows = session.execute(
        select(Draft.id, Draft.author_id, Draft.created_at)
        .where(
            Draft.state == DraftState.PENDING_APPROVAL.value,
            Draft.reminded_at.is_(None),
            Draft.created_at < cutoff,
        )
        .order_by(Draft.created_at)
    ).all()
    return [(draft_id, author_id, created_at) for draft_id, author_id, created_at in rows]


def claim_reminder(session: Session, draft_id: int, now: datetime) -> bool:
    """Compare-and-set `reminded_at` on a still-waiting, unreminded draft; whether this won."""
    result = session.execute(
        update(Draft)
        .where(
            Draft.id == draft_id,
            Draft.reminded_at.is_(None),
            Draft.state == DraftState.PENDING_APPROVAL.value,
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
