"""What the chat cards are drawn from, built by hand for the card tests of every platform."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Verdict
from chatbot.services.draft_view import DraftView

NOW = datetime(2026, 11, 25, 10, 42, tzinfo=UTC)


def draft_view(author_id: str, **changes: Any) -> DraftView:
    """A short clean draft by `author_id`, waiting for SLT (three hours old at `NOW`)."""
    base = DraftView(
        id=7,
        state=DraftState.PENDING_APPROVAL,
        author_id=author_id,
        text="Fish & chips <3 for Year 4",
        photos=(),
        declared=False,
        no_pupils=False,
        photo_source=None,
        pictured=(),
        verdict=Verdict(),
        weighted_length=26,
        has_link=False,
        created_at=NOW - timedelta(hours=3),
        decided_by=None,
        decided_at=None,
        reason=None,
        not_before=None,
        post_url=None,
        max_length=X_LIMITS.max_length,
        max_photos=X_LIMITS.max_photos,
    )
    return replace(base, **changes)
