"""A stand-in for X when no X credentials are set, so a school can trial the whole flow.

Nothing leaves the machine: the worker records each "post" in the audit log as usual, with
post ids like ``dryrun-<n>`` so cards and the log can say it was a dry run.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence

from chatbot.adapters.x import LIMITS, NETWORK
from chatbot.services.ports import PostRef

PREFIX = "dryrun-"


def is_dry_run_post(post_id: str | None) -> bool:
    return bool(post_id) and str(post_id).startswith(PREFIX)


class DryRunPublisher:
    is_dry_run = True
    network = NETWORK
    limits = LIMITS

    def __init__(self) -> None:
        # Milliseconds since the epoch as the start keeps ids unique across restarts.
        self._numbers = itertools.count(int(time.time() * 1000))
        self._lock = threading.Lock()
        self.deleted: list[str] = []

    def _next(self) -> int:
        with self._lock:
            return next(self._numbers)

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        return f"{PREFIX}media-{self._next()}"

    def set_alt_text(self, media_id: str, text: str) -> None:
        return None

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        post_id = f"{PREFIX}{self._next()}"
        return PostRef(id=post_id, url="")

    def delete_post(self, post_id: str) -> None:
        self.deleted.append(post_id)

    def whoami(self) -> str:
        return "(dry run: no X credentials)"
