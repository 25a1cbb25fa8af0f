"""Small facts kept under a key (the key_values table): flags, counters, cursors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.inserts import ignore_duplicates, insert_if_absent
from chatbot.adapters.db.models import KeyValue, utcnow


def claim_once(session: Session, key: str, value: dict[str, Any] | None = None) -> bool:
    """True for the first caller only, ever (the row's primary key decides): "say it once"."""
    return insert_if_absent(
        session, KeyValue, {"key": key, "value": value or {}, "updated_at": utcnow()}
    )


def get_value(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(KeyValue, key)
    return dict(row.value) if row is not None else None


def forget_value(session: Session, key: str) -> None:
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
