"""Socket Mode on websockets' threading client: a dropped connection is replaced in seconds.

Why not slack_sdk's built-in client (Bolt's default): it reads an empty ``recv()`` (the peer's
FIN) as "no data yet", so its receive loop spins on a whole CPU core until five failed pings
declare the link dead, about a minute later (issue 13). Slack does not retry button clicks, so
every SLT click in that minute was lost. An upstream fix would treat ``b""`` from ``recv()`` as
end of file in ``slack_sdk/socket_mode/builtin/internals.py`` and end the session there.

Here websockets does the protocol (it is kept, typed, and speaks HTTP proxies):
- a FIN or a RST ends ``recv()`` at once with ``ConnectionClosedError``;
- a link that goes silent (a dropped Wi-Fi link, a NAT that forgot us) is found by pings:
  one every `PING_INTERVAL` s, dead after `PING_TIMEOUT` s without a pong, closed after
  `CLOSE_TIMEOUT` s more, so at most about 6 s after the silence began;
- Slack's ``disconnect`` message (``refresh_requested``, ``warning``): the new connection is
  opened and read first, then the old one is closed, so nothing waits for the old one.
Each connection has its own reader thread blocked in ``recv()``: nothing polls.

Envelopes go to slack_sdk's `BaseSocketModeClient` machinery (its queue, its worker pool, the
``disconnect`` handling), and acks to the newest connection. Slack redelivers an event that
was not acked; the listeners treat a redelivery as the same draft (at least once, not twice).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from queue import Queue
from typing import Any, Literal

from slack_bolt import App
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientNotConnectedError
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

log = logging.getLogger("chatbot.run")

PING_INTERVAL = 2.0  # seconds between our pings
PING_TIMEOUT = 3.0  # a pong later than this: the link is dead
CLOSE_TIMEOUT = 1.0  # how long a closing handshake may take before the socket is dropped
OPEN_TIMEOUT = 10.0  # TCP, proxy and WebSocket handshakes of a new connection
MAX_MESSAGE_BYTES = 16 * 2**20
RETRY_DELAYS = (0.0, 1.0, 2.0, 5.0, 10.0, 30.0)  # between reconnect attempts; the last repeats


class _QuietKeepalive(logging.Filter):
    """websockets logs a traceback when a ping goes unanswered; `on_lost` says it in a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "keepalive ping failed"


_WS_LOG = logging.getLogger("slack_sdk.socket_mode.websockets")
_WS_LOG.addFilter(_QuietKeepalive())


def describe_close(exc: BaseException, ping_timeout: float = PING_TIMEOUT) -> str:
    """How a connection ended, in words (never its URL: it carries a one-time ticket)."""
    if isinstance(exc, ConnectionClosed):
        if exc.rcvd is not None:
            return f"closed by Slack, code {exc.rcvd.code}"
        if exc.sent is not None and "keepalive" in exc.sent.reason:
            return f"no answer to a ping within {ping_timeout:g} s"
        cause = exc.__cause__
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the network"
        if isinstance(cause, OSError):
            return f"network error ({type(cause).__name__})"
        if exc.sent is not None:
            return f"closed by the bot, code {exc.sent.code}"
        return "closed by the network without a close frame"
    return type(exc).__name__


class SocketModeClient(BaseSocketModeClient):
    """A Socket Mode client that notices a dead connection within seconds, without polling."""

    def __init__(
        self,
        app_token: str,
        web_client: WebClient,
        *,
        logger: logging.Logger | None = None,
        proxy: str | None = None,
        concurrency: int = 10,
        ping_interval: float = PING_INTERVAL,
        ping_timeout: float = PING_TIMEOUT,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.app_token = app_token
        self.web_client = web_client
        self.logger = logger or logging.getLogger("slack_sdk.socket_mode")
        self.proxy = proxy
        self.ping_interval = ping_interval
        self.ping_timeout = ping_timeout
        self.retry_delays = retry_delays
        self.wss_uri = ""  # a one-time URL; used once by connect(), then forgotten
        self.message_queue: Queue[str] = Queue()
        self.message_listeners = []
        self.socket_mode_request_listeners = []
        self.on_message_listeners: list[Callable[[str], None]] = []
        self.on_lost_listeners: list[Callable[[str], None]] = []
        self.on_error_listeners: list[Callable[[Exception], None]] = []
        self.closed = False
        self.connect_operation_lock = threading.Lock()
        self._closing = threading.Event()
        self._current: ClientConnection | None = None
        self._reader: threading.Thread | None = None  # the current connection's
        self.connections_opened = 0
        self.message_workers = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="socket-mode-worker"
        )
        # process_messages() blocks on the queue (1 s timeouts) until `closed`: no spinning.
        self._processor = threading.Thread(
            target=self.process_messages, name="socket-mode-messages", daemon=True
        )
        self._processor.start()

    # -- BaseSocketModeClient --------------------------------------------------------------

    def is_connected(self) -> bool:
        current = self._current
        return current is not None and current.protocol.state is State.OPEN

    def connect(self) -> None:
        """Open a new connection and read it; then close the one it replaces."""
        url, self.wss_uri = self.wss_uri or self.issue_new_wss_url(), ""
        options: dict[str, Any] = {}
        if url.startswith("wss:") and self.web_client.ssl is not None:
            options["ssl"] = self.web_client.ssl
        connection = ws_connect(
            url,
            # None: the HTTPS_PROXY/HTTP_PROXY environment, as slack_sdk's clients do.
            proxy=self.proxy or True,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_timeout,
            close_timeout=CLOSE_TIMEOUT,
            max_size=MAX_MESSAGE_BYTES,
            # Under slack_sdk, which configure_logging keeps off DEBUG (frames carry payloads).
            logger=_WS_LOG,
            **options,
        )
        if self.closed:
            connection.close()
            return
        old, self._current = self._current, connection
        self.connections_opened += 1
        reader = threading.Thread(
            target=self._read, args=(connection,), name="socket-mode-reader", daemon=True
        )
        self._reader = reader
        reader.start()
        if old is not None:
            # The old connection's reader sees it end and, as it is no longer current, stops.
            threading.Thread(target=old.close, name="socket-mode-retire", daemon=True).start()

    def disconnect(self) -> None:
        current = self._current
        if current is not None:
            current.close()

    def send_message(self, message: str) -> None:
        current = self._current
        if current is None:
            raise SlackClientNotConnectedError("Socket Mode is not connected")
        try:
            current.send(message)
        except ConnectionClosed as exc:
            replacement = self._current
            if replacement is None or replacement is current:
                raise SlackClientNotConnectedError(describe_close(exc)) from None
            # Replaced meanwhile (a `disconnect`): the ack goes on the new connection.
            replacement.send(message)

    def close(self) -> None:
        """Stop reconnecting, close the connection, wait for the listeners already running."""
        self.closed = True
        self._closing.set()
        current, self._current = self._current, None
        reader, self._reader = self._reader, None
        if current is not None:
            current.close()
        # Its reader still has to leave its loop once the close handshake is done: wait for
        # it, so nothing reads after close(). (Replaced connections' readers see `closed` and
        # stop by themselves, within CLOSE_TIMEOUT.)
        if reader is not None and reader is not threading.current_thread():
            reader.join()
        if self._processor is not threading.current_thread():
            self._processor.join()
        self.message_workers.shutdown()

    # -- reading and reconnecting ----------------------------------------------------------

    def _read(self, connection: ClientConnection) -> None:
        ended: BaseException
        try:
            with connection:  # websockets 17 wants a connection used as a context manager
                for message in connection:
                    text = message if isinstance(message, str) else message.decode("utf-8")
                    for listener in self.on_message_listeners:
                        listener(text)
                    if _is_disconnect(text):
                        self._replace(connection)
                    else:
                        self.enqueue_message(text)
            ended = connection.close_exc
        except ConnectionClosed as exc:
            ended = exc
        except Exception as exc:  # never let a reader die without reconnecting
            ended = exc
            connection.close()
        if connection is self._current and not self.closed:
            reason = describe_close(ended, self.ping_timeout)
            for lost in self.on_lost_listeners:
                lost(reason)
            self._reconnect()

    def _replace(self, connection: ClientConnection) -> None:
        """Slack's `disconnect` on `connection`: a new connection, unless one already replaced
        it. (slack_sdk queues the message and replaces whatever is current by then, so a
        disconnect read just before the old connection closed replaced the reconnection too.)"""
        with self.connect_operation_lock:
            if connection is self._current and not self.closed:
                self.wss_uri = self.issue_new_wss_url()
                self.connect()

    def _reconnect(self) -> None:
        """Try again until connected or closed: at once, then after growing delays."""
        attempt = 0
        while not self.closed:
            delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)]
            if delay and self._closing.wait(delay):
                return
            attempt += 1
            try:
                self.connect_to_new_endpoint()
            except Exception as exc:
                for listener in self.on_error_listeners:
                    listener(exc)
                continue
            if self.is_connected() or self.closed:
                return


def _is_disconnect(text: str) -> bool:
    if '"disconnect"' not in text:
        return False
    try:
        message = json.loads(text)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("type") == "disconnect"


class SocketModeHandler(BaseSocketModeHandler):
    """Bolt's Socket Mode adapter, on `SocketModeClient`."""

    client: SocketModeClient

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        web_client: WebClient | None = None,
        logger: logging.Logger | None = None,
        proxy: str | None = None,
        concurrency: int = 10,
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.client = SocketModeClient(
            app_token,
            web_client if web_client is not None else app.client,
            logger=logger,
            proxy=proxy,
            concurrency=concurrency,
        )
        self.client.socket_mode_request_listeners.append(self.handle)

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        start = time.time()
        send_response(client, req, run_bolt_app(self.app, req), start)


class ConnectionLog:
    """Logs connects, drops and reconnects, each once, with how long the bot was away.

    Never URLs (one-time tickets), tokens or payloads (staff text, pupils' names).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.connections = 0
        self.closing = False
        self.connected = threading.Event()
        self._clock = clock
        self._away_since: float | None = None
        self._why: Literal["lost", "asked"] = "lost"
        self._failed = False

    def on_message(self, message: str) -> None:
        # Only the envelope type is looked at: payloads carry staff text and pupils' names.
        if '"hello"' not in message and '"disconnect"' not in message:
            return
        try:
            decoded = json.loads(message)
            kind = decoded.get("type")
        except (ValueError, AttributeError):
            return
        if kind == "hello":
            self._hello()
        elif kind == "disconnect":
            reason = str(decoded.get("reason") or "unknown")
            log.info("Slack asked for a new connection (%s); reconnecting", reason)
            if self._away_since is None:
                self._away_since, self._why = self._clock(), "asked"

    def _hello(self) -> None:
        self.connections += 1
        self.connected.set()
        if self.connections == 1:
            log.info("connected to Slack (Socket Mode)")
            return
        since, self._away_since, self._failed = self._away_since, None, False
        away = "" if since is None else f" after {self._clock() - since:.1f} s"
        level = logging.INFO if self._why == "asked" else logging.WARNING
        log.log(
            level, "reconnected to Slack (Socket Mode)%s, connection %d", away, self.connections
        )

    def on_lost(self, reason: str) -> None:
        if self.closing:
            return
        if self._away_since is None or self._why == "asked":
            self._away_since = self._clock()
        self._why = "lost"
        log.warning("Socket Mode connection lost (%s); reconnecting", reason)

    def on_error(self, error: Exception) -> None:
        # One line per outage, not one per attempt.
        if not self.closing and not self._failed:
            self._failed = True
            log.warning(
                "cannot reconnect to Slack yet (%s); retrying, up to every %.0f s",
                type(error).__name__,
                RETRY_DELAYS[-1],
            )
