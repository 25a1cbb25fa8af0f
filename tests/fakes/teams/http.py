"""A small threaded HTTP(S) server that records every request, shared by the Teams fakes.

Each fake subclasses `RecordingServer` and implements `handle(request) -> Response`. Requests
are recorded as `Request`; tests wait on them with `wait_for` (a condition variable, never a
sleep).
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_MAX_BODY = 10_000_000


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(payload).encode())


class RecordingServer:
    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._requests: list[Request] = []
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- to implement ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- life ------------------------------------------------------------------------------

    def start(self) -> RecordingServer:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:  # quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, _MAX_BODY)) if length else b""
                parts = urlsplit(self.path)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                try:
                    response = fake.handle(request)
                except Exception as exc:  # a fake's bug shows as a 500, not a hang
                    response = Response.json({"error": repr(exc)}, 500)
                fake._record(request)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        if self._tls is not None:
            server.socket = self._tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        # A short poll keeps shutdown() quick: tests start and stop many of these.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> RecordingServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    # -- what happened ---------------------------------------------------------------------

    def _record(self, request: Request) -> None:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()

    def requests(self, method: str | None = None, path: str | None = None) -> list[Request]:
        with self._changed:
            return [
                r
                for r in self._requests
                if (method is None or r.method == method) and (path is None or r.path == path)
            ]

    def wait_for(
        self, matches: Callable[[Request], bool], *, count: int = 1, timeout: float = 10.0
    ) -> list[Request]:
        with self._changed:
            found: list[Request] = []

            def enough() -> bool:
                found[:] = [r for r in self._requests if matches(r)]
                return len(found) >= count

            if not self._changed.wait_for(enough, timeout=timeout):
                raise AssertionError(f"expected {count} matching request(s), saw {len(found)}")
            return list(found)
