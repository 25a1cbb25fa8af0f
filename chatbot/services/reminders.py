"""Nudging SLT about drafts that have waited too long for a decision."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.monitoring import claim_reminder, drafts_to_remind
from chatbot.domain.messages import Mention, message
from chatbot.policy.model import Policy
from chatbot.services.ports import ChatGateway

log = logging.getLogger(__name__)


def remind_pending(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    policy: Policy,
    now: datetime | None = None,
) -> int:
    """Post one nudge per draft waiting longer than the policy allows; returns how many.

    `reminded_at` is set with a compare-and-set before the nudge is sent, so two workers (or a
    rerun) never nudge twice about the same draft. An edit clears it.
    """
    now = now or utcnow()
    cutoff = now - timedelta(hours=policy.reminder_after_hours)
    with transaction(sessions) as session:
        waiting = drafts_to_remind(session, cutoff)
    sent = 0
    for draft_id, author_id, created_at in waiting:
        with transaction(sessions) as session:
            claimed = claim_reminder(session, draft_id, now)
        if not claimed:
            continue
        hours = int((now - created_at).total_seconds() // 3600)
        chat.notify_approvers(
            message(
                f"⏰ Draft #{draft_id} by ",
                Mention(author_id),
                f" has waited {hours} hours for a decision. Its card is above in this "
                f"{chat.words.room}.",
            )
        )
        sent += 1
    if sent:
        log.info("reminded SLT about %d draft(s)", sent)
    return sent
