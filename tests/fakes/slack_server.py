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

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from websockets.sync.server import serve

from tests.fakes.slack_relay import Cut, _Relay
from tests.fakes.slack_socket import SocketModeSide
from tests.fakes.slack_state import Call
from tests.fakes.slack_web_api import WebApiSide, _HttpHandler

__all__ = [
    "APPROVALS",
    "DRAFTS",
    "SAFEGUARDING",
    "Call",
    "Cut",
    "FakeSlack",
    "add_school_channels",
    "fake_slack",
]


class FakeSlack(SocketModeSide, WebApiSide):
    """Slack's Web API and Socket Mode, on local ports (see the module's docstring)."""

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
