"""Reading the audit log back (the export for governors); writing it is repositories.audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ScalarResult, select
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import AuditEntry


def audit_entries_between(
    session: Session, low: datetime, high: datetime
) -> ScalarResult[AuditEntry]:
    """The audit rows from `low` (inclusive) to `high` (exclusive), oldest first, streamed."""
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.at >= low, AuditEntry.at < high)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
