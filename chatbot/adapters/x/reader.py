"""The `SocialReader` port for X: followers, mentions, follows, hide a reply, mute.

tweepy's v2 `Client` through the redirect adapter (so tests reach a local fake X). Reads use the
app's bearer token when there is one (a separate rate-limit pool) and the school account's
OAuth 1.0a user context otherwise; hiding, muting and "who am I" always act as the account.
Every answer is turned into plain `Account`/`Mention` values; profiles are not kept anywhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import requests

from chatbot.adapters.x import LIMITS
from chatbot.adapters.x.connection import Connection
from chatbot.adapters.x.errors import describe, retry_after
from chatbot.services.ports import (
    Account,
    EndpointNotAvailable,
    Mention,
    Page,
    ReadError,
    ReadErrorKind,
)
from chatbot.settings import Settings

USER_FIELDS = "created_at,description,public_metrics,profile_image_url"
MENTION_FIELDS = "conversation_id,created_at"
# In X's 2026 API the author and the replied-to account come as expansions.
MENTION_EXPANSIONS = "author_id,in_reply_to_user_id"
# tweepy 4.17 knows "tweet.fields"; X renamed it "post.fields" (X's API description, v2.167).
_MENTIONS_PARAMETERS = (
    "expansions",
    "max_results",
    "pagination_token",
    "post.fields",
    "since_id",
    "user.fields",
)
# X's words for "your access level does not include this endpoint" (403, or the old code 453).
_NOT_ENROLLED = re.compile(
    r"client-not-enrolled|\b453\b|subset of (?:the )?X API|not have access to this endpoint"
    r"|access to a subset",
    re.IGNORECASE,
)
_DEFAULT_AVATAR = "default_profile_images"


def read_error(exc: BaseException, *, now: Callable[[], float] = time.time) -> ReadError:
    """The `ReadError` for anything a read (or hide/mute) raised."""
    if isinstance(exc, ReadError):
        return exc
    response = getattr(exc, "response", None)
    if isinstance(response, requests.Response):
        status = response.status_code
        detail = describe(response)
        message = f"X answered {status}: {detail}" if detail else f"X answered {status}"
        if status == 429:
            wait = retry_after(response, now())
            return ReadError(ReadErrorKind.RATE_LIMITED, message, retry_after=wait)
        if status in {403, 453} and _NOT_ENROLLED.search(f"{detail} {response.text[:500]}"):
            return EndpointNotAvailable(message)
        if status == 401:
            return ReadError(ReadErrorKind.CREDENTIALS, message)
        if status >= 500 or status == 408:
            return ReadError(ReadErrorKind.TRANSIENT, message)
        return ReadError(ReadErrorKind.PERMANENT, message)
    if isinstance(exc, requests.RequestException):
        return ReadError(ReadErrorKind.TRANSIENT, f"no answer from X: {type(exc).__name__}")
    return ReadError(ReadErrorKind.PERMANENT, f"unexpected error reading X: {type(exc).__name__}")


@contextmanager
def _translated(now: Callable[[], float] = time.time) -> Iterator[None]:
    try:
        yield
    except ReadError:
        raise
    except Exception as exc:  # tweepy and requests errors alike
        raise read_error(exc, now=now) from exc


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def account_of(data: dict[str, Any]) -> Account:
    metrics = data.get("public_metrics") or {}
    return Account(
        id=str(data["id"]),
        username=str(data.get("username") or ""),
        name=str(data.get("name") or ""),
        description=str(data.get("description") or ""),
        created_at=_when(data.get("created_at")),
        followers_count=int(metrics.get("followers_count") or 0),
        following_count=int(metrics.get("following_count") or 0),
        # X's 2026 name; "tweet_count" before it.
        post_count=int(metrics.get("post_count", metrics.get("tweet_count")) or 0),
        has_profile_image=_DEFAULT_AVATAR not in str(data.get("profile_image_url") or ""),
    )


class XReader:
    """Reads X for the safeguarding monitors. Every method raises `ReadError`."""

    limits = LIMITS

    def __init__(self, connection: Connection, *, clock: Callable[[], float] = time.time) -> None:
        """`clock`: epoch seconds, for the wait until a rate limit's reset time."""
        self._client, _ = connection.client()
        self._clock = clock
        # Bearer (app-only) reads where X allows them; otherwise as the school account.
        self._read_as_user = connection.bearer_token is None
        self.items_read = 0  # what this process has read, for the logs (the budget is stored)

    @classmethod
    def from_settings(cls, settings: Settings) -> XReader:
        return cls(Connection.from_settings(settings))

    def me(self) -> Account:
        with _translated(self._clock):
            body = self._client.get_me(user_fields=USER_FIELDS, user_auth=True)
        self.items_read += 1
        return account_of(body["data"])

    def user_by_username(self, username: str) -> Account | None:
        import tweepy

        try:
            with _translated(self._clock):
                body = self._client.get_user(
                    username=username, user_fields=USER_FIELDS, user_auth=self._read_as_user
                )
        except ReadError as exc:
            if isinstance(exc.__cause__, tweepy.errors.NotFound):
                return None
            raise
        data = body.get("data")
        if not data:
            return None  # X answers 200 with only "errors" for a suspended or unknown account
        self.items_read += 1
        return account_of(data)

    def followers(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]:
        return self._users(self._client.get_users_followers, user_id, pagination_token, max_results)

    def following(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]:
        return self._users(self._client.get_users_following, user_id, pagination_token, max_results)

    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        pagination_token: str | None = None,
        max_results: int = 100,
    ) -> Page[Mention]:
        with _translated(self._clock):
            body = self._client._make_request(
                "GET",
                f"/2/users/{user_id}/mentions",
                params={
                    "since_id": since_id,
                    "pagination_token": pagination_token,
                    "max_results": _clamp(max_results, 5, 100),
                    "post_fields": MENTION_FIELDS,
                    "expansions": MENTION_EXPANSIONS,
                    "user_fields": "username",
                },
                endpoint_parameters=_MENTIONS_PARAMETERS,
                user_auth=self._read_as_user,
            )
        users = {
            str(u["id"]): str(u.get("username") or "")
            for u in (body.get("includes") or {}).get("users") or []
        }
        items = tuple(
            Mention(
                id=str(post["id"]),
                author_id=str(post.get("author_id") or ""),
                author_username=users.get(str(post.get("author_id")), ""),
                text=str(post.get("text") or ""),
                conversation_id=_str_or_none(post.get("conversation_id")),
                in_reply_to_user_id=_str_or_none(post.get("in_reply_to_user_id")),
            )
            for post in body.get("data") or []
        )
        meta = body.get("meta") or {}
        self.items_read += len(items)
        return Page(
            items, _str_or_none(meta.get("next_token")), _str_or_none(meta.get("newest_id"))
        )

    def hide_reply(self, post_id: str) -> None:
        with _translated(self._clock):
            self._client.hide_reply(post_id, user_auth=True)

    def mute(self, user_id: str) -> None:
        with _translated(self._clock):
            self._client.mute(user_id, user_auth=True)

    def _users(
        self, method: Any, user_id: str, pagination_token: str | None, max_results: int
    ) -> Page[Account]:
        """One page of a user list (followers, following): the same parameters for both."""
        with _translated(self._clock):
            body = method(
                user_id,
                max_results=_clamp(max_results, 1, 1000),
                pagination_token=pagination_token,
                user_fields=USER_FIELDS,
                user_auth=self._read_as_user,
            )
        items = tuple(account_of(u) for u in body.get("data") or [])
        self.items_read += len(items)
        meta = body.get("meta") or {}
        return Page(items, _str_or_none(meta.get("next_token")))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
