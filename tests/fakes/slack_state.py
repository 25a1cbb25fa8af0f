"""The fake Slack's state: what it was told, what it recorded, and waiting on it."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

from websockets.sync.server import Server, ServerConnection

Handler = Callable[["Call"], dict[str, Any]]

if TYPE_CHECKING:
    from tests.fakes.slack_relay import _Relay


# Parameters that slack_sdk sends as JSON strings inside form bodies.
_JSON_PARAMS = frozenset({"blocks", "attachments", "view", "metadata", "unfurls"})

_INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
    }
)

_SIGN_IN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Slack</title></head>"
    b"<body>Sign in to your workspace</body></html>"
)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    response: dict[str, Any] = field(default_factory=dict)  # what the fake answered


@dataclass
class _File:
    obj: dict[str, Any]
    data: bytes
    ready_after: int
    info_calls: int = 0


@dataclass
class _Socket:
    connection: ServerConnection
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)


class SlackState:
    bot_token: str = "xoxb-test-bot"
    app_token: str = "xapp-test-app"
    bot_user_id = "UBOT00001"
    bot_id = "BBOT00001"
    team_id = "T0000001"
    app_id = "A0000001"
    team_domain = "hunts-cross"

    base_url: str

    _DEFAULT_METHODS: ClassVar[tuple[str, ...]] = (
        "auth.test",
        "apps.connections.open",
        "chat.postMessage",
        "chat.update",
        "chat.delete",
        "chat.postEphemeral",
        "chat.getPermalink",
        "reactions.add",
        "reactions.remove",
        "views.open",
        "views.update",
        "views.push",
        "views.publish",
        "conversations.info",
        "conversations.open",
        "users.info",
        "usergroups.users.list",
        "files.info",
    )

    def __init__(self) -> None:
        self.channels: dict[str, dict[str, Any]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._usergroups: dict[str, list[str]] = {}
        self._files: dict[str, _File] = {}
        self._calls: list[Call] = []
        self._overrides: dict[str, Handler] = {}
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._tickets: set[str] = set()
        self._sockets: list[_Socket] = []
        self._downloads: list[tuple[str, str | None]] = []
        self._redirects: dict[str, str] = {}
        self._connections_opened = 0
        self._http: ThreadingHTTPServer | None = None
        self._ws: Server | None = None
        self._relay: _Relay | None = None
        self._threads: list[threading.Thread] = []

    # -- test set-up -----------------------------------------------------------------------

    def respond(self, method: str, payload: dict[str, Any] | Handler) -> None:
        """Answer `method` with `payload` (or what `payload(call)` returns) from now on."""
        if callable(payload):
            self._overrides[method] = payload
        else:
            fixed = payload
            self._overrides[method] = lambda _call: json.loads(json.dumps(fixed))

    def add_file(
        self, file_id: str, data: bytes, *, name: str, mimetype: str, ready_after: int = 0
    ) -> dict[str, Any]:
        filetype = name.rsplit(".", 1)[-1].lower() if "." in name else "binary"
        url = f"{self.files_base}{self.team_id}-{file_id}/{name}"
        obj: dict[str, Any] = {
            "id": file_id,
            "created": 1700000000,
            "timestamp": 1700000000,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": "U0000000",
            "mode": "hosted",
            "is_external": False,
            "is_public": True,
            "size": len(data),
            "url_private": url,
            "url_private_download": url + "?download=1",
        }
        with self._lock:
            self._files[file_id] = _File(obj=obj, data=data, ready_after=ready_after)
        return dict(obj)

    def add_redirect(self, path: str, location: str) -> str:
        """Answer GET `path` with a 302 to `location`; returns the full URL of `path`."""
        with self._lock:
            self._redirects[path] = location
        return self.files_base.removesuffix("/files-pri/") + path

    def add_user(self, user_id: str, *, name: str, is_bot: bool = False) -> None:
        with self._lock:
            self._users[user_id] = {
                "id": user_id,
                "team_id": self.team_id,
                "name": name.lower().replace(" ", "."),
                "real_name": name,
                "deleted": False,
                "is_bot": is_bot,
                "tz": "Europe/London",
                "profile": {"real_name": name, "display_name": name},
            }

    def set_usergroup(self, group_id: str, users: list[str]) -> None:
        with self._lock:
            self._usergroups[group_id] = list(users)

    # -- what happened ---------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def downloads(self) -> list[tuple[str, str | None]]:
        """(path, token) of every url_private request, authorised or not."""
        with self._lock:
            return list(self._downloads)

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls of `method` (matching `where`) arrived; return them all."""

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (where is None or where(c))]

        with self._lock:
            if self._lock.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                return matching()
            seen = "\n  ".join(f"{c.method} {c.params!r}" for c in self._calls) or "(none)"
        raise AssertionError(
            f"expected {count} matching {method} call(s) within {timeout}s; calls seen:\n  {seen}"
        )

    # -- Socket Mode -----------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts) * 100:06d}"
