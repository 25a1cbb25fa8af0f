"""The fake X server, extended with what the safeguarding monitors read and do.

`SocialX` is `FakeX` (same OAuth 1.0a and schema checks on every request and answer) plus:
paginated followers and following per account (newest first, like X), mentions with `since_id`
and pagination, users by username, and a record of mutes and hidden replies. With
`bearer_token` set it also accepts app-only `Authorization: Bearer` reads, as X does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.fakes.x_server import FakeX, XRequest, _Refusal

FOLLOWERS = "GET /2/users/{id}/followers"
FOLLOWING = "GET /2/users/{id}/following"
MENTIONS = "GET /2/users/{id}/mentions"
BY_USERNAME = "GET /2/users/by/username/{username}"
MUTE = "POST /2/users/{id}/muting"
HIDE = "PUT /2/tweets/{tweet_id}/hidden"

NOT_ENROLLED = {
    "client_id": "12345",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
    "and tokens from a Twitter developer App that is attached to a Project.",
    "registration_url": "https://developer.x.com/en/portal/projects-and-apps",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
}


def _token(offset: int) -> str:
    return f"page{offset:012d}"  # X's follower tokens are at least 16 characters


def _offset(token: str | None) -> int:
    return int(token.removeprefix("page")) if token else 0


class SocialX(FakeX):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bearer_token: str | None = None
        self.followers_of: dict[str, list[dict[str, Any]]] = {}  # newest first
        self.following_of: dict[str, list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}  # by id
        self.mention_posts: list[dict[str, Any]] = []  # newest first
        self.muted: list[str] = []
        self.hidden: list[str] = []
        self._limited_pages: dict[str, int] = {}  # pagination token -> x-rate-limit-reset
        self._user_ids = itertools.count(5_000_000)
        self._post_ids = itertools.count(1_800_000_000_000_000_001)

    # -- building the world ------------------------------------------------------------------

    def user(
        self,
        username: str,
        name: str = "",
        description: str = "",
        *,
        created_days_ago: int = 900,
        tweets: int = 50,
    ) -> dict[str, Any]:
        user_id = str(next(self._user_ids))
        created = datetime.now(UTC) - timedelta(days=created_days_ago)
        data = {
            "id": user_id,
            "username": username,
            "name": name or username,
            "description": description,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
            "public_metrics": {
                "followers_count": 10,
                "following_count": 100,
                "post_count": tweets,
                "listed_count": 0,
                "like_count": 0,
            },
        }
        with self._lock:
            self.users[user_id] = data
        return data

    def follow(self, follower: dict[str, Any], of: str | None = None) -> None:
        """`follower` follows `of` (the school by default): they go to the top of the list."""
        with self._lock:
            self.followers_of.setdefault(of or self.user_id, []).insert(0, follower)

    def mention(
        self, author: dict[str, Any], text: str, *, reply_to: str | None = None
    ) -> dict[str, Any]:
        post_id = str(next(self._post_ids))
        post = {
            "id": post_id,
            "text": text,
            "author_id": author["id"],
            "conversation_id": reply_to or post_id,
            "edit_history_post_ids": [post_id],
        }
        if reply_to:
            post["in_reply_to_user_id"] = self.user_id
        if author["id"] not in self.users:
            raise ValueError("make the author with user() first")
        with self._lock:
            self.mention_posts.insert(0, post)
        return post

    def rate_limit_page(self, offset: int, reset_epoch: int) -> None:
        """Answer 429 (once) to the request for the page starting at `offset`: a limit hit
        in the middle of a crawl."""
        with self._lock:
            self._limited_pages[_token(offset)] = reset_epoch

    # -- answering ---------------------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, Any], dict[str, str]]:
        query = dict(parse_qsl(urlsplit(handler.path).query))
        with self._lock:
            reset = self._limited_pages.pop(query.get("pagination_token", ""), None)
        if reset is not None:
            path = urlsplit(handler.path).path
            operation = FOLLOWING if path.endswith("/following") else FOLLOWERS
            if path.endswith("/mentions"):
                operation = MENTIONS
            self.rate_limit(operation, reset)
        return super().handle(handler)

    def _check_oauth(self, handler: BaseHTTPRequestHandler, raw_query: str) -> dict[str, str]:
        header = handler.headers.get("Authorization", "")
        if self.bearer_token and header == f"Bearer {self.bearer_token}":
            return {}
        return super()._check_oauth(handler, raw_query)

    def _answer(self, request: XRequest, path_params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        op = request.operation
        if op in {FOLLOWERS, FOLLOWING}:
            table = self.followers_of if op == FOLLOWERS else self.following_of
            with self._lock:
                people = list(table.get(path_params["id"], []))
            return 200, self._page(people, request, default=100)
        if op == MENTIONS:
            with self._lock:
                posts = list(self.mention_posts)
            since = request.query.get("since_id")
            if since:
                posts = [p for p in posts if int(p["id"]) > int(since)]
            body = self._page(posts, request, default=10)
            if body.get("data"):
                authors = {p["author_id"] for p in body["data"]}
                with self._lock:
                    users = [{k: self.users[a][k] for k in ("id", "name", "username")}
                             for a in sorted(authors)]  # fmt: skip
                body["includes"] = {"users": users}
                body["meta"]["newest_id"] = body["data"][0]["id"]
                body["meta"]["oldest_id"] = body["data"][-1]["id"]
            return 200, body
        if op == BY_USERNAME:
            wanted = path_params["username"].casefold()
            with self._lock:
                found = [u for u in self.users.values() if u["username"].casefold() == wanted]
            if not found:
                missing = {"title": "Not Found Error", "type": "about:blank", "status": 404}
                return 200, {"errors": [{**missing, "detail": "Could not find user"}]}
            return 200, {"data": found[0]}
        if op == MUTE:
            if path_params["id"] != self.user_id:
                raise _Refusal(403, "you can only mute as yourself")
            with self._lock:
                self.muted.append(request.json["target_user_id"])
            return 200, {"data": {"muting": True}}
        if op == HIDE:
            with self._lock:
                known = any(p["id"] == path_params["tweet_id"] for p in self.mention_posts)
                if known:
                    self.hidden.append(path_params["tweet_id"])
            if not known:
                raise _Refusal(404, "no such reply", record=False)
            return 200, {"data": {"hidden": True}}
        return super()._answer(request, path_params)

    @staticmethod
    def _page(items: list[dict[str, Any]], request: XRequest, *, default: int) -> dict[str, Any]:
        start = _offset(request.query.get("pagination_token"))
        size = int(request.query.get("max_results", default))
        chunk = items[start : start + size]
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if start + size < len(items):
            meta["next_token"] = _token(start + size)
        body: dict[str, Any] = {"meta": meta}
        if chunk:
            body["data"] = chunk
        return body


@pytest.fixture
def social_x() -> Iterator[SocialX]:
    """A running `SocialX`; the test fails if any request broke X's rules."""
    with SocialX() as fake:
        yield fake
        if not fake.allow_violations:
            assert fake.violations == [], fake.violations
