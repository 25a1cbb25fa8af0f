"""The fake's Socket Mode side: connections, envelopes and their acks, disconnects and cuts."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection

from tests.fakes.slack_relay import Cut
from tests.fakes.slack_state import _INTERACTIVE_TYPES, SlackState, _Socket


class SocketModeSide(SlackState):
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
