"""A local stand-in for the Bot Connector service that Teams gives as the activity's serviceUrl.

Routes (Bot Framework REST v3, as the Agents SDK's ConnectorClient calls them):
- ``POST /v3/conversations``: a new conversation (a 1:1 chat with ``isGroup`` false, or a new
  channel post with ``channelData.channel.id``); answers ``id`` and ``activityId``;
- ``POST /v3/conversations/{id}/activities``: send to a conversation;
- ``POST /v3/conversations/{id}/activities/{activityId}``: reply to an activity;
- ``PUT``/``DELETE /v3/conversations/{id}/activities/{activityId}``: update or delete (404 for
  an activity it never saw);
- ``GET /v3/attachments/{id}/views/original``: an attachment added with `add_attachment`.

Every call needs ``Authorization: Bearer`` with a token that ``token_is_valid`` accepts (the
fake token service's issued tokens); anything else is 401 with the connector's message, as
Teams answers. Every call is recorded with its answer (`calls`, `wait_for_call`).
"""

from __future__ import annotations

import itertools
import json
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.fakes.teams.http import RecordingServer, Request, Response

_DENIED = {"message": "Authorization has been denied for this request."}


@dataclass
class ConnectorCall:
    method: str
    kind: str  # create_conversation | send | reply | update | delete | download
    conversation_id: str | None
    activity_id: str | None
    body: Any
    answer: Any = None  # what the connector answered (the new activity's or chat's id)


class FakeConnector(RecordingServer):
    def __init__(
        self,
        token_is_valid: Callable[[str | None], bool],
        *,
        tls: ssl.SSLContext | None = None,
        path_prefix: str = "/emea",
    ) -> None:
        super().__init__(tls=tls)
        self._token_is_valid = token_is_valid
        self._prefix = path_prefix.rstrip("/")
        self._lock = threading.Lock()
        self._calls: list[ConnectorCall] = []
        self._activities: dict[tuple[str, str], Any] = {}
        self._attachments: dict[str, tuple[bytes, str]] = {}
        self._ids = itertools.count(1_700_000_000_000)
        self.unauthorized: list[Request] = []

    @property
    def service_url(self) -> str:
        """What Teams would put in ``serviceUrl``: it ends with a slash."""
        return f"{self.base_url}{self._prefix}/"

    def add_attachment(self, data: bytes, content_type: str = "image/jpeg") -> str:
        attachment_id = f"0-weu-d1-{uuid.uuid4().hex}"
        with self._lock:
            self._attachments[attachment_id] = (data, content_type)
        return f"{self.service_url}v3/attachments/{attachment_id}/views/original"

    def add_activity(self, conversation_id: str, activity_id: str, activity: Any) -> None:
        """An activity the connector already has (a card posted before the test began)."""
        with self._lock:
            self._activities[(conversation_id, activity_id)] = activity

    def calls(self, kind: str | None = None) -> list[ConnectorCall]:
        with self._lock:
            return [c for c in self._calls if kind is None or c.kind == kind]

    def activity(self, conversation_id: str, activity_id: str) -> Any:
        with self._lock:
            return self._activities.get((conversation_id, activity_id))

    def wait_for_call(self, kind: str, *, count: int = 1, timeout: float = 10.0) -> None:
        self.wait_for(lambda r: self._kind(r) == kind, count=count, timeout=timeout)

    # -- serving ---------------------------------------------------------------------------

    def _parts(self, request: Request) -> list[str] | None:
        path = unquote(request.path)
        if not path.startswith(self._prefix + "/v3/"):
            return None
        return path[len(self._prefix) + 4 :].split("/")

    def _kind(self, request: Request) -> str | None:
        parts = self._parts(request)
        if parts is None:
            return None
        match (request.method, parts):
            case ("POST", ["conversations"]):
                return "create_conversation"
            case ("POST", ["conversations", _, "activities"]):
                return "send"
            case ("POST", ["conversations", _, "activities", _]):
                return "reply"
            case ("PUT", ["conversations", _, "activities", _]):
                return "update"
            case ("DELETE", ["conversations", _, "activities", _]):
                return "delete"
            case ("GET", ["attachments", _, "views", _]):
                return "download"
        return None

    def handle(self, request: Request) -> Response:
        if not self._token_is_valid(request.bearer):
            with self._lock:
                self.unauthorized.append(request)
            return Response.json(_DENIED, 401)
        kind = self._kind(request)
        parts = self._parts(request) or []
        if kind is None:
            return Response.json({"error": {"code": "BadSyntax", "message": "no route"}}, 404)
        if kind == "download":
            return self._download(parts[1])
        body = request.json() if request.body else None
        conversation = parts[1] if kind != "create_conversation" else None
        activity_id = parts[3] if len(parts) > 3 else None
        with self._lock:
            call = ConnectorCall(request.method, kind, conversation, activity_id, body)
            self._calls.append(call)
            response = self._answer(kind, conversation, activity_id, body)
            call.answer = json.loads(response.body) if response.body else None
            return response

    def _answer(
        self, kind: str, conversation: str | None, activity_id: str | None, body: Any
    ) -> Response:
        if kind == "create_conversation":
            first = str(next(self._ids))
            channel = ((body or {}).get("channelData") or {}).get("channel") or {}
            if (body or {}).get("isGroup") and channel.get("id"):
                new_id = f"{channel['id']};messageid={first}"  # a new post in a channel
            else:
                new_id = f"a:1{uuid.uuid4().hex}"  # a 1:1 chat
            if (body or {}).get("activity"):
                self._activities[(new_id, first)] = body["activity"]
            return Response.json({"id": new_id, "activityId": first}, 201)
        assert conversation is not None
        if kind in ("send", "reply"):
            new = str(next(self._ids))
            self._activities[(conversation, new)] = body
            return Response.json({"id": new}, 201)
        assert activity_id is not None
        if (conversation, activity_id) not in self._activities:
            return Response.json(
                {"error": {"code": "NotFound", "message": "activity not found"}}, 404
            )
        if kind == "update":
            self._activities[(conversation, activity_id)] = body
            return Response.json({"id": activity_id})
        del self._activities[(conversation, activity_id)]
        return Response(200)

    def _download(self, attachment_id: str) -> Response:
        with self._lock:
            self._calls.append(ConnectorCall("GET", "download", None, attachment_id, None))
            found = self._attachments.get(attachment_id)
        if found is None:
            return Response.json({"error": {"code": "NotFound"}}, 404)
        data, content_type = found
        return Response(200, data, content_type)
