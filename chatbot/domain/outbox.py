"""The states of an outbox item: one publish or delete the worker carries out."""

from __future__ import annotations

from enum import StrEnum


class OutboxState(StrEnum):
    QUEUED = "queued"  # waiting for its due time
    CLAIMED = "claimed"  # a worker holds the lease and is acting on it
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    NEEDS_REVIEW = "needs_review"  # the post may or may not have gone out: a person decides
