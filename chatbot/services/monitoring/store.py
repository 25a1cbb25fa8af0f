"""What the monitors keep between runs: accounts already checked, alerts, once-only flags.

The SQL is in chatbot/adapters/db (monitoring.py, kv.py); this is the monitors' view of it.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from chatbot.adapters.db.kv import (
    add_to_count,
    claim_once,
    forget_value,
    get_value,
    locked_value,
    set_value,
)
from chatbot.adapters.db.monitoring import forget_scope, insert_alert, mark_seen, unseen
from chatbot.services.monitoring.rules import Flag

__all__ = [
    "add_alert",
    "add_to_count",
    "claim_once",
    "evidence_key",
    "forget_scope",
    "forget_value",
    "get_value",
    "locked_value",
    "mark_seen",
    "set_value",
    "unseen",
]


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
    return insert_alert(
        session,
        kind=kind,
        subject_id=subject_id,
        handle=handle,
        rule=flag.rule,
        evidence=flag.evidence,
        evidence_key=evidence_key(flag, post_id or ""),
        pupil_id=flag.pupil_id,
        post_id=post_id,
        staff_account_id=staff_account_id,
    )
