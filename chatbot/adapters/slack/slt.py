"""Who is SLT: the configured user ids, plus the members of the SLT user group.

User groups need a paid Slack plan, so the group is optional. Its members are cached and read
again when Slack says the group changed (`subteam_members_changed`) or the cache is old.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

_RETRY_AFTER_ERROR = 60.0  # seconds


class SltDirectory:
    def __init__(
        self,
        users: Iterable[str],
        usergroup: str | None,
        client: WebClient | None,
        *,
        max_age: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._users = frozenset(users)
        self._group = usergroup
        self._client = client
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._members: frozenset[str] = frozenset()
        self._read_at: float | None = None

    @property
    def usergroup(self) -> str | None:
        return self._group

    def is_slt(self, user_id: str) -> bool:
        return user_id in self._users or user_id in self._group_members()

    def members(self) -> frozenset[str]:
        return self._users | self._group_members()

    def invalidate(self, usergroup: str | None = None) -> None:
        """Forget the cached members (of `usergroup`, if it is ours)."""
        if usergroup is None or usergroup == self._group:
            with self._lock:
                self._read_at = None

    def _group_members(self) -> frozenset[str]:
        if self._group is None or self._client is None:
            return frozenset()
        with self._lock:
            fresh = self._read_at is not None and self._clock() - self._read_at < self._max_age
            if fresh:
                return self._members
            try:
                answer = self._client.usergroups_users_list(usergroup=self._group)
                self._members = frozenset(answer.get("users") or ())
                self._read_at = self._clock()
            except SlackApiError as exc:
                # Keep the last known members (a Slack hiccup must not lock SLT out) and ask
                # again in a minute rather than on every click.
                log.warning(
                    "cannot read the SLT user group %s: %s", self._group, exc.response.get("error")
                )
                self._read_at = self._clock() - self._max_age + _RETRY_AFTER_ERROR
            return self._members
