"""A small synchronous client for the Bot Connector REST API (v3), for the gateway's out-of-turn
posts: the worker and the monitors call the chat port from threads, outside any Teams turn.

Every call gets its token from `OutboundTokens` (MSAL, cached and renewed there) and goes only
to a URL the `ServiceUrlGuard` knows; no redirect is followed, so the token cannot be carried
elsewhere. Neither the token nor an activity's text (staff words, maybe a pupil's name) is ever
logged or put in an exception: a `ConnectorError` says the status and Teams' error code only.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from email.message import Message
from typing import Any
from urllib.parse import quote, urlsplit

from chatbot.adapters.common.redirects import NoRedirects, TokenStaysOnHost
from chatbot.adapters.teams.auth import (
    OutboundBlockedError,
    OutboundTokens,
    ServiceUrlGuard,
    TeamsTokenError,
)
from chatbot.services.ports import ChatFile, FileUnavailable

log = logging.getLogger(__name__)

Json = dict[str, Any]

_MAX_ANSWER_BYTES = 1_000_000
# Teams throttles with 429 (and has its bad moments): try again after these delays.
RETRY_DELAYS = (1.0, 3.0)
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 10.0
# Characters a conversation id holds that may stand in a path ("19:x@thread.tacv2;messageid=1").
_PATH_SAFE = ":@;=.-_~"


class ConnectorError(Exception):
    """The Bot Connector refused or failed a call. No token, no message text in it."""

    def __init__(self, status: int, code: str, what: str) -> None:
        self.status = status
        self.code = code
        super().__init__(f"Bot Connector {what}: HTTP {status} {code}".rstrip())


# Channels (not chats) have reply chains: their ids end so (.skype: channels of older teams).
_CHANNEL_SUFFIXES = ("@thread.tacv2", "@thread.skype")


def thread_id(conversation_id: str, root_activity_id: str) -> str:
    """Where a reply to a post goes: ``{channel};messageid={root}`` in a channel; in a chat
    (no reply chains there) the chat itself."""
    if ";messageid=" in conversation_id or not conversation_id.endswith(_CHANNEL_SUFFIXES):
        return conversation_id
    return f"{conversation_id};messageid={root_activity_id}"


class BotConnector:
    def __init__(
        self,
        tokens: OutboundTokens,
        guard: ServiceUrlGuard,
        *,
        timeout: float = 30.0,
        proxy_url: str | None = None,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.tokens = tokens
        self.guard = guard
        self.timeout = timeout
        self.proxy_url = proxy_url
        self.retry_delays = tuple(retry_delays)
        self._opener: urllib.request.OpenerDirector | None = None
        self._lock = threading.Lock()

    def opener(self) -> urllib.request.OpenerDirector:
        """Made on first use, so that a CA given through SSL_CERT_FILE is read."""
        with self._lock:
            if self._opener is None:
                self._opener = build_opener(self.proxy_url, NoRedirects())
            return self._opener

    # -- the calls -------------------------------------------------------------------------

    def send(self, service_url: str, conversation_id: str, activity: Json) -> str:
        """``POST /v3/conversations/{id}/activities``: a new post (a channel's id), a reply in a
        post's chain (`thread_id`) or a chat message. Returns the new activity's id."""
        path = f"v3/conversations/{_segment(conversation_id)}/activities"
        answer = self._call("POST", service_url, path, activity, "send")
        return _id(answer, "send")

    def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: Json
    ) -> None:
        """``PUT /v3/conversations/{id}/activities/{activityId}``: the card changes for everyone."""
        path = f"v3/conversations/{_segment(conversation_id)}/activities/{_segment(activity_id)}"
        self._call("PUT", service_url, path, {**activity, "id": activity_id}, "update")

    def delete(self, service_url: str, conversation_id: str, activity_id: str) -> None:
        path = f"v3/conversations/{_segment(conversation_id)}/activities/{_segment(activity_id)}"
        self._call("DELETE", service_url, path, None, "delete")

    def create_conversation(self, service_url: str, parameters: Json) -> tuple[str, str | None]:
        """``POST /v3/conversations``: (the conversation's id, its first activity's id)."""
        answer = self._call("POST", service_url, "v3/conversations", parameters, "create")
        conversation = _id(answer, "create")
        first = answer.get("activityId") if isinstance(answer, dict) else None
        return conversation, first if isinstance(first, str) and first else None

    # -- plumbing --------------------------------------------------------------------------

    def _call(self, method: str, service_url: str, path: str, body: Json | None, what: str) -> Any:
        base = service_url if service_url.endswith("/") else service_url + "/"
        url = self.guard.check(base + path)
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        delays = list(self.retry_delays)
        while True:
            headers = {
                "Authorization": f"Bearer {self.tokens.token()}",
                "Accept": "application/json",
            }
            if data is not None:
                headers["Content-Type"] = "application/json; charset=utf-8"
            request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 (the guard checked the URL)
            try:
                with self.opener().open(request, timeout=self.timeout) as response:
                    raw: bytes = response.read(_MAX_ANSWER_BYTES)
                return json.loads(raw) if raw.strip() else None
            except urllib.error.HTTPError as exc:
                error = ConnectorError(exc.code, _error_code(exc), what)
                retry_after = _retry_after(exc.headers)
                exc.close()
            except (OSError, ValueError) as exc:  # connection failures, a non-JSON answer
                error = ConnectorError(0, type(exc).__name__, what)
                retry_after = None
            if not delays or (error.status and error.status not in _RETRY_STATUSES):
                raise error
            delay = delays.pop(0)
            log.info("Bot Connector %s: HTTP %s, trying again", what, error.status or error.code)
            time.sleep(min(retry_after, _MAX_RETRY_AFTER) if retry_after is not None else delay)


def build_opener(
    proxy_url: str | None, *extra: urllib.request.BaseHandler
) -> urllib.request.OpenerDirector:
    """An opener verifying TLS against the system CAs (or SSL_CERT_FILE, read now), through
    the configured proxy only (never one from the environment)."""
    proxies = {"http": proxy_url, "https": proxy_url} if proxy_url else {}
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.ProxyHandler(proxies),
        *extra,
    )


def _segment(value: str) -> str:
    return quote(value, safe=_PATH_SAFE)


def _id(answer: Any, what: str) -> str:
    found = answer.get("id") if isinstance(answer, dict) else None
    if not isinstance(found, str) or not found:
        raise ConnectorError(200, "no id in the answer", what)
    return found


def _error_code(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read(10_000) or b"null")
    except (OSError, ValueError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code)[:64] if isinstance(code, str) else ""


def _retry_after(headers: Message[str, str] | None) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


# -- attachments -------------------------------------------------------------------------------


def _on_file_host(url: str, file_hosts: Sequence[str]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == h.lower() or host.endswith("." + h.lower()) for h in file_hosts
    )


def download(
    file: ChatFile,
    max_bytes: int,
    *,
    guard: ServiceUrlGuard,
    tokens: OutboundTokens,
    file_hosts: Sequence[str],
    proxy_url: str | None = None,
    timeout: float = 30.0,
) -> bytes:
    """A photo from a Teams message, at most `max_bytes`, or `FileUnavailable` in a teacher's
    words. An attachment's contentUrl on the service URL's host gets the bot's token; a file
    card's downloadUrl (pre-authorised, on SharePoint) is fetched without it; nothing else is."""
    name = file.name or "a photo"
    url = file.url or ""
    headers = {"Accept": "*/*"}
    try:
        guard.check_download(url)
        headers["Authorization"] = f"Bearer {tokens.token()}"
    except OutboundBlockedError:
        if not _on_file_host(url, file_hosts):
            log.warning("refused to download an attachment from %s", urlsplit(url).hostname)
            raise FileUnavailable(
                f"{name} could not be downloaded: it is not stored in the school's Teams. "
                "Attach the photo to the message itself."
            ) from None
    except TeamsTokenError as exc:
        log.error("no Teams token to download an attachment: %s", exc)
        raise FileUnavailable(f"{name} could not be downloaded from Teams; try again.") from None
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (checked above)
    try:
        opener = build_opener(proxy_url, TokenStaysOnHost())
        with opener.open(request, timeout=timeout) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FileUnavailable(f"{name} is too large; share a smaller copy of the photo.")
            data: bytes = answer.read(max_bytes + 1)
    except OSError as exc:
        status = exc.code if isinstance(exc, urllib.error.HTTPError) else type(exc).__name__
        log.warning("download of an attachment failed: %s", status)
        raise FileUnavailable(
            f"{name} could not be downloaded from Teams; share it again."
        ) from None
    if len(data) > max_bytes:
        raise FileUnavailable(f"{name} is too large; share a smaller copy of the photo.")
    return data
