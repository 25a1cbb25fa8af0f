"""A local stand-in for Slack: the Web API over HTTP and Socket Mode over a WebSocket.

Real clients (slack_sdk's WebClient, slack-bolt's SocketModeHandler with the built-in client)
talk to it unchanged: point them at ``FakeSlack.base_url``. Every Web API call is recorded as a
`Call`; tests wait for calls with `FakeSlack.wait_for` (a condition variable, never a sleep).

Behaviour copied from Slack so that adapter mistakes show up here and not in a school:
- every method needs a token (``not_authed``); a wrong bot token gets ``invalid_auth``; an app
  token (xapp-) is refused by ordinary methods and is the only token `apps.connections.open`
  takes (``not_allowed_token_type``);
- ``url_private`` downloads need the bot token in ``Authorization: Bearer``; without it Slack
  answers 200 with its HTML sign-in page, not an error, so a client that does not check the
  content type stores a web page as a photo;
- files may not be ready at once (`add_file(..., ready_after=N)`);
- Socket Mode: `apps.connections.open` hands out a ``ws://`` URL with a one-time ticket; the
  WebSocket server sends ``hello`` on connect and expects an ack (``{"envelope_id": ...}``) for
  every envelope. Clients reach it through a TCP relay (`_Relay`), the way they reach Slack
  through a school proxy or a load balancer, so that a test can drop a connection the way
  networks do (`cut_socket_connections`: FIN or RST without a close frame, or silence).

A payload given to `respond` may carry ``"_status"`` (HTTP status, e.g. 429) and
``"_headers"`` (e.g. ``{"Retry-After": "1"}``); they shape the HTTP answer and are not sent.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import selectors
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl, urlsplit

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

Handler = Callable[["Call"], dict[str, Any]]

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


Cut = Literal["fin", "rst", "silent"]


class _Link:
    """One client connection through the relay: bytes both ways until cut."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self._wake_r, self._wake_w = socket.socketpair()
        self._actions: list[Cut | Literal["stop"]] = []
        self._lock = threading.Lock()
        self.done = threading.Event()

    def order(self, action: Cut | Literal["stop"]) -> None:
        with self._lock:
            self._actions.append(action)
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        selector.register(self.client, selectors.EVENT_READ, self.upstream)
        selector.register(self.upstream, selectors.EVENT_READ, self.client)
        draining = False  # after a FIN: read what the client still sends, forward nothing
        try:
            while True:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        self._wake_r.recv(64)
                        with self._lock:
                            actions, self._actions = self._actions, []
                        for action in actions:
                            if action == "stop":
                                return
                            if action == "rst":
                                # SO_LINGER 0: close() sends a RST, not a FIN.
                                self.client.setsockopt(
                                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                                )
                                return
                            with contextlib.suppress(KeyError):
                                selector.unregister(self.upstream)
                            if action == "fin":
                                # A plain TCP close: FIN, no WebSocket close frame.
                                with contextlib.suppress(OSError):
                                    self.client.shutdown(socket.SHUT_WR)
                                self.upstream.close()  # the server side ends as well
                                draining = True
                            else:  # silent: nothing read, nothing answered, nothing closed
                                with contextlib.suppress(KeyError):
                                    selector.unregister(self.client)
                        continue
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    if not draining:
                        other: socket.socket = key.data
                        try:
                            other.sendall(data)
                        except OSError:
                            return
        finally:
            selector.close()
            for sock in (self.client, self.upstream, self._wake_r, self._wake_w):
                with contextlib.suppress(OSError):
                    sock.close()
            self.done.set()


class _Relay:
    """A TCP hop in front of the WebSocket server, like a proxy or a load balancer."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._links: list[_Link] = []
        self._lock = threading.Lock()
        self._stopping = False
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fake-slack-relay")
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self._target))
            except OSError:
                client.close()
                continue
            link = _Link(client, upstream)
            with self._lock:
                if self._stopping:
                    client.close()
                    upstream.close()
                    return
                self._links = [*(k for k in self._links if not k.done.is_set()), link]
            threading.Thread(target=link.run, daemon=True, name="fake-slack-link").start()

    def cut(self, how: Cut) -> int:
        """Cut every live link `how`; returns how many were cut."""
        with self._lock:
            links = [k for k in self._links if not k.done.is_set()]
        for link in links:
            link.order(how)
        return len(links)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            links = list(self._links)
        # shutdown() wakes the accept() blocked in the relay's thread; close() alone may not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for link in links:
            link.order("stop")
        for link in links:
            link.done.wait(5)
        self._thread.join(5)


class FakeSlack:
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

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        fake = self

        class _Handler(_HttpHandler):
            owner = fake

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.daemon_threads = True
        port = self._http.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}/api/"
        self.files_base = f"http://127.0.0.1:{port}/files-pri/"
        # ping_interval=None: the client pings; the server only answers (as Slack does).
        self._ws = serve(self._serve_socket, "127.0.0.1", 0, ping_interval=None)
        self._relay = _Relay(self._ws.socket.getsockname()[1])
        # Clients are given the relay's port, never the WebSocket server's.
        self.ws_port = self._relay.port
        http = self._http
        # A short poll interval keeps stop() (and so every test's teardown) quick.
        targets = (lambda: http.serve_forever(poll_interval=0.05), self._ws.serve_forever)
        for target in targets:
            thread = threading.Thread(target=target, daemon=True, name="fake-slack")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            sock.connection.close()
        if self._relay is not None:
            self._relay.stop()
        if self._ws is not None:
            self._ws.shutdown()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

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

    def wait_connected(self, timeout: float = 10.0) -> None:
        """Block until a Socket Mode client is connected (it has been sent `hello`)."""
        with self._lock:
            if not self._lock.wait_for(lambda: bool(self._sockets), timeout=timeout):
                raise AssertionError(
                    f"no Socket Mode connection within {timeout}s; calls seen: "
                    f"{[c.method for c in self._calls]}"
                )

    def connection_count(self) -> int:
        """How many Socket Mode connections have been opened so far (reconnects included)."""
        with self._lock:
            return self._connections_opened

    def wait_connection_count(self, count: int, timeout: float = 15.0) -> None:
        """Block until `count` connections have been opened in all (to see a reconnect)."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._connections_opened >= count, timeout):
                raise AssertionError(
                    f"expected {count} Socket Mode connections within {timeout}s, "
                    f"saw {self._connections_opened}"
                )

    def send_socket_event(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send an envelope to the connected client and return its ack.

        `envelope` is a full Socket Mode envelope (with ``payload``) or just the payload; then
        the envelope type is taken from it (event_callback -> events_api, block_actions etc. ->
        interactive, a ``command`` -> slash_commands).
        """
        message = self._envelope(envelope)
        envelope_id = message["envelope_id"]
        with self._lock:
            if not self._lock.wait_for(lambda: bool(self._sockets), timeout=timeout):
                raise AssertionError("no Socket Mode client is connected")
            sock = self._sockets[-1]
        sock.connection.send(json.dumps(message))
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in sock.acks, timeout=timeout):
                raise AssertionError(
                    f"no ack for envelope {envelope_id} ({message['type']}) within {timeout}s"
                )
            return sock.acks[envelope_id]

    def drop_socket_connections(self, reason: str | None = "refresh_requested") -> None:
        """Close every Socket Mode connection, after a ``disconnect`` message if `reason`."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            if reason is not None:
                with contextlib.suppress(ConnectionClosed):
                    sock.connection.send(json.dumps({"type": "disconnect", "reason": reason}))
            sock.connection.close()

    def send_disconnect(self, reason: str = "refresh_requested") -> int:
        """Ask every connected client for a new connection, as Slack does, leaving it open.

        Slack sends ``{"type": "disconnect", "reason": ...}`` and keeps serving the old
        connection for a while; the client is to open a new one and close the old.
        Returns the number of connections asked.
        """
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(ConnectionClosed):
                sock.connection.send(json.dumps({"type": "disconnect", "reason": reason}))
        return len(sockets)

    def cut_socket_connections(self, how: Cut) -> int:
        """Drop every Socket Mode connection the way a network does, with no close frame.

        ``fin``: a plain TCP close (FIN), as a proxy or a load balancer timing out does;
        ``rst``: a TCP reset; ``silent``: the link stays open but nothing gets through any more
        either way (a dropped Wi-Fi link, a NAT that forgot the connection), so pings go
        unanswered. Returns the number of connections cut.
        """
        assert self._relay is not None, "the fake is not started"
        return self._relay.cut(how)

    def open_socket_count(self) -> int:
        """Socket Mode connections the server side still has open (silenced ones included)."""
        with self._lock:
            return len(self._sockets)

    def wait_open_socket_count(self, count: int, timeout: float = 10.0) -> None:
        """Block until exactly `count` connections are open on the server side."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._sockets) == count, timeout):
                raise AssertionError(
                    f"expected {count} open Socket Mode connection(s) within {timeout}s, "
                    f"saw {len(self._sockets)}"
                )

    def _envelope(self, given: dict[str, Any]) -> dict[str, Any]:
        if "payload" in given and "type" in given and given["type"] != "event_callback":
            message = dict(given)
        else:
            payload = dict(given)
            if payload.get("type") == "event_callback":
                kind = "events_api"
                payload.setdefault("token", "legacy-verification-token")
                payload.setdefault("team_id", self.team_id)
                payload.setdefault("api_app_id", self.app_id)
                payload.setdefault("event_id", f"Ev{uuid.uuid4().hex[:10].upper()}")
                payload.setdefault("event_time", int(time.time()))
                payload.setdefault("authorizations", [self._authorization()])
                payload.setdefault("is_ext_shared_channel", False)
            elif payload.get("type") in _INTERACTIVE_TYPES:
                kind = "interactive"
            elif "command" in payload:
                kind = "slash_commands"
            else:
                raise ValueError(f"cannot tell the envelope type of {payload!r}")
            message = {"type": kind, "payload": payload}
        message.setdefault("envelope_id", str(uuid.uuid4()))
        message.setdefault("accepts_response_payload", message["type"] != "events_api")
        if message["type"] == "events_api":
            message.setdefault("retry_attempt", 0)
            message.setdefault("retry_reason", "")
        return message

    def _authorization(self) -> dict[str, Any]:
        return {
            "enterprise_id": None,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "is_bot": True,
            "is_enterprise_install": False,
        }

    def _serve_socket(self, connection: ServerConnection) -> None:
        request = connection.request
        query = dict(parse_qsl(urlsplit(request.path if request else "").query))
        with self._lock:
            known = query.get("ticket") in self._tickets
            self._tickets.discard(query.get("ticket", ""))
        if not known:
            connection.close(code=1008, reason="invalid ticket")
            return
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        sock = _Socket(connection)
        with self._lock:
            self._sockets.append(sock)
            self._connections_opened += 1
            self._lock.notify_all()
        try:
            for raw in connection:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(message, dict) and "envelope_id" in message:
                    with self._lock:
                        sock.acks[str(message["envelope_id"])] = message
                        self._lock.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._sockets.remove(sock)
                self._lock.notify_all()

    # -- Web API ---------------------------------------------------------------------------

    def _handle(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]]:
        status, answer = self._answer(call)
        headers = {str(k): str(v) for k, v in dict(answer.pop("_headers", {})).items()}
        call.response = answer
        # Recorded once answered, so a waiter can read the ts the fake gave a message.
        with self._lock:
            self._calls.append(call)
            self._lock.notify_all()
        return status, answer, headers

    def _answer(self, call: Call) -> tuple[int, dict[str, Any]]:
        if not call.token:
            return 200, {"ok": False, "error": "not_authed"}
        if call.method == "apps.connections.open":
            if not call.token.startswith("xapp-"):
                return 200, {"ok": False, "error": "not_allowed_token_type"}
            if call.token != self.app_token:
                return 200, {"ok": False, "error": "invalid_auth"}
        elif call.token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}
        elif call.token != self.bot_token:
            return 200, {"ok": False, "error": "invalid_auth"}
        override = self._overrides.get(call.method)
        if override is not None:
            answer = dict(override(call))
        else:
            default = getattr(self, "_m_" + call.method.replace(".", "_"), None)
            if default is None or call.method not in self._DEFAULT_METHODS:
                return 200, {"ok": False, "error": "unknown_method"}
            answer = default(call.params)
        return int(answer.pop("_status", 200)), answer

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts) * 100:06d}"

    def _m_auth_test(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Hunts Cross Primary",
            "user": "chatbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, _p: dict[str, Any]) -> dict[str, Any]:
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket={ticket}"}

    def _message(self, p: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": p.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in p:
                message[key] = p[key]
        return message

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        return {"ok": True, "channel": channel, "ts": ts, "message": self._message(p, ts)}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("channel") or not p.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": p["channel"],
            "ts": p["ts"],
            "text": p.get("text", ""),
            "message": self._message(p, str(p["ts"])),
        }

    def _m_chat_delete(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _m_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel", ""))
        ts = str(p.get("message_ts", "")).replace(".", "")
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts}",
        }

    def _m_reactions_add(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("name"):
            return {"ok": False, "error": "invalid_name"}
        return {"ok": True}

    def _m_reactions_remove(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _view(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = p.get("view_id") or f"V{next(self._views):08d}"
        answer = dict(view)
        answer.update({"id": view_id, "team_id": self.team_id, "hash": uuid.uuid4().hex})
        answer.setdefault("state", {"values": {}})
        return {"ok": True, "view": answer}

    def _m_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("trigger_id") and not p.get("interactivity_pointer"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view(p)

    _m_views_push = _m_views_open

    def _m_views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("view_id") and not p.get("external_id"):
            return {"ok": False, "error": "not_found"}
        return self._view(p)

    def _m_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(p)

    def _m_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(p.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": dict(channel)}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = str(p.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        first = users.split(",", maxsplit=1)[0].strip()
        return {"ok": True, "channel": {"id": "D" + first[1:], "is_im": True, "user": first}}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            user = self._users.get(str(p.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": dict(user)}

    def _m_usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            users = self._usergroups.get(str(p.get("usergroup")))
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}

    def _m_files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            stored = self._files.get(str(p.get("file")))
            if stored is None:
                return {"ok": False, "error": "file_not_found"}
            stored.info_calls += 1
            obj = dict(stored.obj)
            if stored.info_calls <= stored.ready_after:
                # Still being processed: Slack gives the file without its download URLs.
                obj.pop("url_private")
                obj.pop("url_private_download")
        return {"ok": True, "file": obj, "comments": [], "response_metadata": {"next_cursor": ""}}

    def _download(self, path: str, token: str | None) -> tuple[int, str, bytes]:
        with self._lock:
            self._downloads.append((path, token))
        if token != self.bot_token:
            return 200, "text/html; charset=utf-8", _SIGN_IN_PAGE
        # /files-pri/T-F123/name.jpg
        parts = path.split("/")
        file_key = parts[2] if len(parts) > 2 else ""
        file_id = file_key.removeprefix(f"{self.team_id}-")
        with self._lock:
            stored = self._files.get(file_id)
        if stored is None:
            return 404, "text/plain", b"file not found"
        return 200, str(stored.obj["mimetype"]), stored.data


class _HttpHandler(BaseHTTPRequestHandler):
    owner: ClassVar[FakeSlack]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        return

    def _token(self, params: dict[str, Any]) -> str | None:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header.removeprefix("Bearer ").strip() or None
        token = params.pop("token", None)
        return str(token) if token else None

    def _params(self) -> dict[str, Any]:
        split = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if body and ctype.startswith("application/json"):
            decoded = json.loads(body)
            if isinstance(decoded, dict):
                params.update(decoded)
        elif body and ctype.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                content = part.get_payload(decode=True)
                if not isinstance(content, bytes):
                    continue
                if part.get_filename():
                    params[str(name)] = content
                else:
                    params[str(name)] = content.decode()
        elif body:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        for key in _JSON_PARAMS & params.keys():
            if isinstance(params[key], str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        path = urlsplit(self.path).path
        with self.owner._lock:
            location = self.owner._redirects.get(path)
        if location:
            self._send(302, "text/plain", b"", {"Location": location})
            return
        if path.startswith("/files-pri/"):
            params = self._params()
            status, ctype, data = self.owner._download(path, self._token(params))
            self._send(status, ctype, data, {})
            return
        if not path.startswith("/api/"):
            self._send(404, "text/plain", b"not found", {})
            return
        params = self._params()
        call = Call(method=path.removeprefix("/api/"), params=params, token=self._token(params))
        status, answer, headers = self.owner._handle(call)
        body = json.dumps(answer).encode()
        self._send(status, "application/json; charset=utf-8", body, headers)

    do_GET = _serve
    do_POST = _serve


# The school's three channels as the tests name them (ids are made up but well formed).
DRAFTS, APPROVALS, SAFEGUARDING = "C0DRAFTS1", "C0APPROV1", "C0SAFEGD1"


def add_school_channels(fake: FakeSlack) -> FakeSlack:
    """Give the fake the three channels `chatbot run` checks at start-up, the bot in each."""
    fake.channels.update(
        {
            DRAFTS: {"id": DRAFTS, "name": "tweet-drafts", "is_member": True},
            APPROVALS: {"id": APPROVALS, "name": "tweet-approvals", "is_member": True},
            SAFEGUARDING: {
                "id": SAFEGUARDING,
                "name": "safeguarding",
                "is_member": True,
                "is_private": True,
            },
        }
    )
    return fake


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A started FakeSlack, stopped after the test."""
    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()
