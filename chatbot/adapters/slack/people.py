"""People's names by Slack user id (users.info, needs users:read), for the audit log.

Governors read the audit export, and `U07…` means nothing to them: an action is recorded with
the person's name as Slack gives it at the time. Names are cached for an hour (they rarely
change, and a click should not wait on Slack twice). A failed lookup never stops the action:
the name is left blank, and asked again a minute later rather than on every click.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

MAX_AGE = 3600.0  # seconds a name is trusted
RETRY_AFTER_ERROR = 60.0  # seconds before a failed lookup is tried again
LOOKUP_TIMEOUT = 5  # seconds: the person's click waits on this


def name_in(user: Mapping[str, Any]) -> str | None:
    """The name to record from a users.info `user`: the full name first (what a governor
    knows), else the display name, else the handle."""
    profile = user.get("profile") or {}
    for candidate in (
        profile.get("real_name"),
        user.get("real_name"),
        profile.get("display_name"),
        user.get("name"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None


class UserNames:
    def __init__(
        self,
        client: WebClient | None,
        *,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Its own client: the same token and address, but a click waits seconds, not 30.
        self._client = (
            None
            if client is None
            else WebClient(
                token=client.token,
                base_url=client.base_url,
                timeout=LOOKUP_TIMEOUT,
                ssl=client.ssl,
                proxy=client.proxy,
                headers=dict(client.headers),
            )
        )
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str | None, float]] = {}  # id -> (name, good until)

    def name_of(self, user_id: str) -> str | None:
        """The person's name, or None if Slack could not say (the failure is logged)."""
        if not user_id or self._client is None:
            return None
        now = self._clock()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and now < cached[1]:
            return cached[0]
        # Asked outside the lock: one slow lookup must not hold up everyone else's clicks.
        try:
            answer = self._client.users_info(user=user_id)
            user = answer.get("user")
            name = name_in(user) if isinstance(user, Mapping) else None
            until = now + self._max_age
        except SlackApiError as exc:
            error = exc.response.get("error")
            hint = (
                " (the app lacks users:read: update it from manifest.yml and reinstall)"
                if error == "missing_scope"
                else ""
            )
            log.warning(
                "cannot read the name of Slack user %s (recorded without it): %s%s",
                user_id,
                error,
                hint,
            )
            name, until = None, now + RETRY_AFTER_ERROR
        except Exception as exc:  # a timeout or a lost connection: the action goes on
            log.warning(
                "cannot read the name of Slack user %s (recorded without it): %s",
                user_id,
                type(exc).__name__,
            )
            name, until = None, now + RETRY_AFTER_ERROR
        with self._lock:
            self._cache[user_id] = (name, until)
        return name
