"""What the monitors keep between runs: accounts already checked, alerts, once-only flags."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from chatbot.adapters.db.models import Alert, Base, KeyValue, SeenAccount, utcnow
from chatbot.domain.alerts import AlertState
from chatbot.services.monitoring.rules import Flag

_IN_CHUNK = 500  # ids per IN (...): well under SQLite's variable limit


def ignore_duplicates(session: Session, table: type[Base]) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, for many rows given as parameters to `execute`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_ignoring_duplicates(
    session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]]
) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL (the two we run on)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).values(list(rows)).on_conflict_do_nothing()
    return sqlite.insert(table).values(list(rows)).on_conflict_do_nothing()


# -- accounts already checked ----------------------------------------------------------------


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
    from sqlalchemy import delete

    session.execute(delete(SeenAccount).where(SeenAccount.scope == scope))


# -- alerts ----------------------------------------------------------------------------------


def evidence_key(flag: Flag, extra: str = "") -> str:
    """The same evidence gives the same key, so a follower is not alerted twice for it."""
    raw = "\x1f".join((flag.rule, flag.evidence, str(flag.pupil_id or ""), extra))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def add_alert(
    session: Session,
    *,
    kind: str,
    subject_id: str,
    handle: str,
    flag: Flag,
    post_id: str | None = None,
    staff_account_id: int | None = None,
) -> int | None:
    """A new open alert's id, or None when this evidence was alerted before."""
    row = {
        "kind": kind,
        "subject_id": subject_id,
        "subject_handle": handle[:64],
        "rule": flag.rule,
        "evidence": flag.evidence,
        "evidence_key": evidence_key(flag, post_id or ""),
        "state": AlertState.OPEN,
        "post_id": post_id,
        "pupil_id": flag.pupil_id,
        "staff_account_id": staff_account_id,
        "created_at": utcnow(),
    }
    statement = insert_ignoring_duplicates(session, Alert, [row])
    result = session.execute(statement.returning(Alert.id))
    new_id = result.scalar_one_or_none()
    return int(new_id) if new_id is not None else None


# -- small facts (KeyValue) ------------------------------------------------------------------


def claim_once(session: Session, key: str, value: dict[str, Any] | None = None) -> bool:
    """True for the first caller only, ever (the row's primary key decides): "say it once"."""
    row = {"key": key, "value": value or {}, "updated_at": utcnow()}
    statement = insert_ignoring_duplicates(session, KeyValue, [row])
    result = session.execute(statement.returning(KeyValue.key))
    return result.scalar_one_or_none() is not None


def get_value(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(KeyValue, key)
    return dict(row.value) if row is not None else None


def forget_value(session: Session, key: str) -> None:
    from sqlalchemy import delete

    session.execute(delete(KeyValue).where(KeyValue.key == key))


def set_value(session: Session, key: str, value: dict[str, Any]) -> None:
    now = utcnow()
    session.execute(
        ignore_duplicates(session, KeyValue), [{"key": key, "value": value, "updated_at": now}]
    )
    session.execute(
        update(KeyValue)
        .where(KeyValue.key == key)
        .values(value=value, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def locked_value(session: Session, key: str, empty: dict[str, Any]) -> KeyValue:
    """The row under `key` (created as `empty` if absent), locked until the transaction ends,
    so a read-modify-write never loses another process's change."""
    session.execute(
        ignore_duplicates(session, KeyValue), [{"key": key, "value": empty, "updated_at": utcnow()}]
    )
    row = session.get(KeyValue, key, with_for_update=True, populate_existing=True)
    assert row is not None  # noqa: S101 (inserted just above)
    return row


def add_to_count(session: Session, key: str, by: int) -> int:
    """Add `by` to the count kept under `key` ({"reads": n}); two processes never lose one."""
    row = locked_value(session, key, {"reads": 0})
    total = int(row.value.get("reads", 0)) + by
    row.value, row.updated_at = {"reads": total}, utcnow()
    session.flush()
    return total
