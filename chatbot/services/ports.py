"""What the use cases need from the outside world. Slack and X adapters implement these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ChatGateway(Protocol):
    """The chat platform (Slack today). Everything is addressed by our own ids."""

    def refresh_card(self, draft_id: int) -> None:
        """Redraw the draft's approval card from the database (buttons follow the state)."""

    def tell_author(self, draft_id: int, text: str) -> None:
        """Reply in the draft's thread, mentioning its author."""

    def notify_approvers(self, text: str) -> None:
        """Post in the approvals channel."""

    def post_alert(self, alert_id: int) -> None:
        """Post (or redraw) a safeguarding alert card in the safeguarding channel."""

    def direct_message(self, user_id: str, text: str) -> None:
        """Send a direct message to one person."""


@dataclass(frozen=True, slots=True)
class PostRef:
    id: str
    url: str


class PublishErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"  # wait until retry_after, then try again
    TRANSIENT = "transient"  # 5xx, timeouts, connection errors: back off and retry
    CREDENTIALS = "credentials"  # 401, or 403 for the app's access: pause and tell SLT
    DUPLICATE = "duplicate"  # 403 duplicate content: probably already posted
    PERMANENT = "permanent"  # anything else: a person must look


class PublishError(Exception):
    def __init__(
        self, kind: PublishErrorKind, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


class Publisher(Protocol):
    """The social network (X today). Raises `PublishError` for anything that went wrong."""

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        """Upload one prepared photo; returns the media id."""

    def set_alt_text(self, media_id: str, text: str) -> None: ...

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef: ...

    def delete_post(self, post_id: str) -> None: ...
