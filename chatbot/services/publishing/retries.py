"""When a failed attempt is tried again: rate limits, paused credentials, backoff."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from chatbot.domain.messages import Emphasis, Message, message
from chatbot.domain.networks import NetworkLimits
from chatbot.services.ports import PublishError, PublishErrorKind
from chatbot.services.publishing.jobs import Job, Notice
from chatbot.services.publishing.state import pause_publishing

K = PublishErrorKind
RATE_LIMIT_WINDOW = timedelta(minutes=15)  # the usual window, when a 429 carries no reset


def credentials_fix(limits: NetworkLimits) -> Message:
    """What SLT do when the network refuses the publisher's keys."""
    return message(
        f"Check {limits.credentials or 'its credentials'} (API key and secret, access token and "
        f"secret) and that the {limits.name} app's "
        "permissions are ",
        Emphasis("Read and Write"),
        " (regenerate the access token after changing them), then restart the bot or run "
        f"`chatbot {limits.network} resume`.",
    )


# The audit action for a publish that waits to be tried again, by the error's kind.
WAITING = {
    K.RATE_LIMITED: "rate_limited",
    K.CREDENTIALS: "publishing_paused",
    K.TRANSIENT: "retry_later",
}


def try_again(
    session: Session,
    job: Job,
    error: PublishError,
    now: datetime,
    notices: list[Notice],
    *,
    max_attempts: int,
    backoff: Callable[[int], timedelta],
) -> dict[str, Any] | None:
    """When to try `job` again (`outbox.release` arguments), or None if not by itself.

    Rate limits and credentials do not count as attempts; credentials also pause all
    publishing, and only the call that paused it tells SLT.
    """
    if error.kind is K.RATE_LIMITED:
        wait = error.retry_after or RATE_LIMIT_WINDOW.total_seconds()
        return {"due_at": now + timedelta(seconds=wait), "refund_attempt": True}
    if error.kind is K.CREDENTIALS:
        reason = str(error)
        if pause_publishing(session, reason=reason, now=now):
            notices.append(
                lambda chat: chat.notify_approvers(
                    f"Publishing to {chat.limits.name} is paused: {chat.limits.name} refused the "
                    f"credentials ({reason}). "
                    + credentials_fix(chat.limits)
                    + " Approved posts and takedowns wait until then."
                )
            )
        return {"due_at": now, "refund_attempt": True}
    if error.kind is K.TRANSIENT and job.attempts < max_attempts:
        return {"due_at": now + backoff(job.attempts)}
    return None


def backoff(attempt: int, *, base: timedelta, cap: timedelta, rng: random.Random) -> timedelta:
    """Exponential backoff with "equal jitter": half fixed, half random, capped."""
    ceiling = min(cap.total_seconds(), base.total_seconds() * 2 ** max(0, attempt - 1))
    return timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))
