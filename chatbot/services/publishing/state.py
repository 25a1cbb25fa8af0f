"""What the store knows about a draft's post, the pause flag, and the scheduling clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import kv
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.publishing import close_items, post_of, record_post
from chatbot.adapters.db.repositories import audit
from chatbot.domain.actors import Acting
from chatbot.domain.london import LONDON

# The post records and outbox moves are repository functions now (adapters/db/publishing.py);
# still named here for the callers that know them from this module.
__all__ = [
    "PAUSE_KEY",
    "SYSTEM",
    "close_items",
    "london_to_utc",
    "pause_publishing",
    "post_of",
    "publishing_paused",
    "record_post",
    "resume_publishing",
]

SYSTEM = "system"
PAUSE_KEY = "publishing_paused"


# -- scheduling --------------------------------------------------------------------------------


def london_to_utc(day: date, at: time) -> datetime:
    """The UTC instant for a wall-clock time in London, deliberate across clock changes.

    - A time that does not exist (in the hour the clocks skip in March, e.g. 01:30) moves
      forward by that hour (02:30 BST), so a post never goes out before the time asked for.
    - A time that happens twice (in the hour repeated in October) means the first of the two
      (BST), the one a person watching the clock reaches first.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=LONDON)
    # PEP 495: with fold=0 a time in the gap takes the offset from before it (GMT), which is
    # exactly "an hour later" once it is read as BST.
    return first.astimezone(UTC)


# -- the pause flag ------------------------------------------------------------------------------


def publishing_paused(session: Session) -> dict[str, Any] | None:
    return kv.get_value(session, PAUSE_KEY)


def pause_publishing(session: Session, *, reason: str, now: datetime) -> bool:
    """Pause all publishing; True only for the call that paused it (so the alert is sent once)."""
    return kv.claim_once(session, PAUSE_KEY, {"reason": reason, "since": now.isoformat()})


def resume_publishing(sessions: sessionmaker[Session], actor: Acting) -> bool:
    """Lift a pause (after the credentials were fixed); True if there was one."""
    with transaction(sessions) as session:
        pause = kv.get_value(session, PAUSE_KEY)
        if pause is None:
            return False
        kv.forget_value(session, PAUSE_KEY)
        audit(session, actor=actor, action="publishing_resumed", detail=pause)
    return True
