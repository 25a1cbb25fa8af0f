"""INSERT ... ON CONFLICT DO NOTHING on the two databases we run on (SQLite and PostgreSQL).

Unlike catching an IntegrityError, a lost race leaves the caller's transaction usable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from chatbot.adapters.db.models import Base


def ignore_duplicates(session: Session, table: type[Base]) -> Insert:
    """The statement, for many rows given as parameters to `execute` (compiled once)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_ignoring_duplicates(
    session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]]
) -> Insert:
    """The statement with its rows, ready for a RETURNING."""
    return ignore_duplicates(session, table).values(list(rows))


def insert_if_absent(session: Session, model: type[Base], values: Mapping[str, Any]) -> bool:
    """True if this call inserted the row."""
    statement = insert_ignoring_duplicates(session, model, [values])
    # rowcount is not reliable for ON CONFLICT on every driver; a returned key is.
    key = inspect(model).primary_key
    return session.execute(statement.returning(*key)).first() is not None
