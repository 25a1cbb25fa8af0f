"""A local stand-in for the X API v2, strict where X is strict.

Real tweepy and our media helper talk to it unchanged through the base-URL adapter
(`CHATBOT_X_API_URL=FakeX.url`). Every request is checked like X would, and anything X would
refuse becomes an entry in `FakeX.violations` (the `fake_x` fixture fails the test on any):

- OAuth 1.0a: an ``Authorization: OAuth ...`` header with the app's consumer key and the
  account's access token, HMAC-SHA1, a fresh nonce, and a signature that verifies (oauthlib)
  for the URL the request really reached;
- the operation exists in X's API description, and path parameters, query parameters and the
  body (JSON or multipart) validate against its schemas (tests/fixtures/x-openapi-subset.json,
  copied from X's own OpenAPI document);
- the fake's own answers validate against the response schemas (so the fake cannot drift).

It behaves like X where it matters to us: duplicate text is refused with 403, media ids must
exist, deleted posts are gone. Tests can make it fail (`fail`, `rate_limit`, `hang`) or stop at
the n-th request and signal (`pause_at`), e.g. to kill a worker at that very moment.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849.utils import parse_authorization_header, unescape
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).parent.parent / "fixtures" / "x-openapi-subset.json"
SPEC_URI = "urn:x-openapi-subset"
DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."

CONSUMER_KEY = "fake-consumer-key"
CONSUMER_SECRET = "fake-consumer-secret"
ACCESS_TOKEN = "1000-fake-access-token"
ACCESS_TOKEN_SECRET = "fake-access-token-secret"


def settings_env(url: str) -> dict[str, str]:
    """The environment that points `chatbot` at a fake X server with matching credentials."""
    return {
        "CHATBOT_X_API_URL": url,
        "CHATBOT_X_API_KEY": CONSUMER_KEY,
        "CHATBOT_X_API_SECRET": CONSUMER_SECRET,
        "CHATBOT_X_ACCESS_TOKEN": ACCESS_TOKEN,
        "CHATBOT_X_ACCESS_TOKEN_SECRET": ACCESS_TOKEN_SECRET,
    }


@dataclass
class XRequest:
    method: str
    path: str
    operation: str  # "POST /2/tweets": method and the path template from X's description
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name, type, data
    oauth: dict[str, str] = field(default_factory=dict)
    # Answered, failed or hanging: what a test waiting for it may look at has happened.
    settled: bool = False


@dataclass
class _Failure:
    operation: str
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]
    times: int
    hang: bool = False


@dataclass
class Post:
    id: str
    text: str
    media_ids: list[str]
    deleted: bool = False


class _Spec:
    def __init__(self, path: Path) -> None:
        self.doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.doc, default_specification=DRAFT4)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.routes: list[tuple[str, re.Pattern[str], str, dict[str, Any]]] = []
        for template, methods in self.doc["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", template) + "$")
            for method, operation in methods.items():
                self.routes.append((method.upper(), pattern, template, operation))

    def route(self, method: str, path: str) -> tuple[str, dict[str, str], dict[str, Any]] | None:
        for route_method, pattern, template, operation in self.routes:
            match = pattern.match(path)
            if match and route_method == method:
                return f"{method} {template}", match.groupdict(), operation
        return None

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, kind, name = node["$ref"].split("/", 3)
            node = self.doc["components"][kind][name]
        return node

    def errors(self, instance: Any, schema: dict[str, Any]) -> list[str]:
        wrapped = {"$ref": SPEC_URI + schema["$ref"]} if "$ref" in schema else schema
        validator = jsonschema.Draft4Validator(wrapped, registry=self.registry)
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator.iter_errors(instance)
        ]


_SPEC: _Spec | None = None


def _spec() -> _Spec:
    global _SPEC  # noqa: PLW0603 - parsed once per test process
    if _SPEC is None:
        _SPEC = _Spec(SPEC_PATH)
    return _SPEC


class FakeX:
    def __init__(
        self,
        *,
        consumer_key: str = CONSUMER_KEY,
        consumer_secret: str = CONSUMER_SECRET,
        access_token: str = ACCESS_TOKEN,
        access_token_secret: str = ACCESS_TOKEN_SECRET,
        username: str = "HuntsCrossPri",
        user_id: str = "1000",
    ) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.access_token = access_token
        self.access_token_secret = access_token_secret
        self.username = username
        self.user_id = user_id
        self.spec = _spec()
        self.requests: list[XRequest] = []
        self.violations: list[str] = []
        self.posts: dict[str, Post] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.followers: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.allow_violations = False
        self._failures: list[_Failure] = []
        self._nonces: set[str] = set()
        self._ids = itertools.count(1_900_000_000_000_000_001)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._released = threading.Event()  # ends every hang and pause
        self._seen = 0
        self._pause: tuple[int, bool, threading.Event] | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- life cycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeX:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeX:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- making it misbehave -----------------------------------------------------------------

    def fail(
        self,
        operation: str,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests for `operation` ("POST /2/tweets") with `status`."""
        with self._lock:
            self._failures.append(_Failure(operation, status, body, headers or {}, times))

    def rate_limit(self, operation: str, reset_epoch: int, times: int = 1) -> None:
        self.fail(
            operation,
            429,
            {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
             "status": 429},
            headers={"x-rate-limit-reset": str(reset_epoch), "x-rate-limit-remaining": "0"},
            times=times,
        )  # fmt: skip

    def hang(self, operation: str, times: int = 1) -> None:
        """Never answer (until the server stops): the client's timeout must fire."""
        with self._lock:
            self._failures.append(_Failure(operation, 0, None, {}, times, hang=True))

    def pause_at(self, n: int, *, after: bool) -> threading.Event:
        """At the n-th request (1-based, all operations): set the returned event and block.

        With `after`, the request takes effect first (a post is created) and only the answer is
        held back: the moment a client cannot know whether it worked. `release()` ends it.
        """
        reached = threading.Event()
        with self._lock:
            self._pause = (n, after, reached)
        return reached

    def release(self) -> None:
        self._released.set()

    # -- what happened -----------------------------------------------------------------------

    def wait_for(self, operation: str, count: int = 1, timeout: float = 30) -> bool:
        """Block until `count` requests for `operation` arrived (a condition, not a sleep)."""
        with self._arrived:
            return self._arrived.wait_for(
                lambda: sum(r.operation == operation and r.settled for r in self.requests) >= count,
                timeout,
            )

    def calls(self, operation: str) -> list[XRequest]:
        with self._lock:
            return [r for r in self.requests if r.operation == operation]

    def live_posts(self) -> list[Post]:
        with self._lock:
            return [p for p in self.posts.values() if not p.deleted]

    def created_with_text(self, text: str) -> int:
        with self._lock:
            return sum(1 for p in self.posts.values() if p.text == text)

    # -- handling ----------------------------------------------------------------------------

    def _violation(self, message: str) -> None:
        with self._lock:
            self.violations.append(message)

    def _take_failure(self, operation: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.operation == operation and failure.times > 0:
                    failure.times -= 1
                    return failure
        return None

    def _check_oauth(self, handler: BaseHTTPRequestHandler, raw_query: str) -> dict[str, str]:
        header = handler.headers.get("Authorization", "")
        if not header.startswith("OAuth "):
            raise _Refusal(401, "no OAuth 1.0a Authorization header")
        params = {key: unescape(value) for key, value in parse_authorization_header(header)}
        expected = {
            "oauth_consumer_key": self.consumer_key,
            "oauth_token": self.access_token,
            "oauth_signature_method": "HMAC-SHA1",
            "oauth_version": "1.0",
        }
        for key, value in expected.items():
            if params.get(key) != value:
                raise _Refusal(401, f"{key} is {params.get(key)!r}")
        for key in ("oauth_nonce", "oauth_timestamp", "oauth_signature"):
            if not params.get(key):
                raise _Refusal(401, f"{key} missing")
        with self._lock:
            if params["oauth_nonce"] in self._nonces:
                raise _Refusal(401, "nonce used twice")
            self._nonces.add(params["oauth_nonce"])
        uri = f"http://{handler.headers['Host']}{handler.path}"
        request = OAuthRequest(uri, handler.command, None, {"Authorization": header})
        request.params = oauth_signature.collect_parameters(
            uri_query=raw_query, headers={"Authorization": header}, exclude_oauth_signature=True
        )
        request.signature = params["oauth_signature"]
        if not oauth_signature.verify_hmac_sha1(
            request, self.consumer_secret, self.access_token_secret
        ):
            raise _Refusal(401, f"the OAuth signature does not verify for {uri}")
        return params

    def _check_request(
        self, request: XRequest, operation: dict[str, Any], path_params: dict[str, str]
    ) -> None:
        spec = self.spec
        problems: list[str] = []
        known_query = set()
        for reference in operation.get("parameters", []):
            parameter = spec.resolve(reference)
            name, where = parameter["name"], parameter["in"]
            schema = parameter["schema"]
            if where == "path":
                problems += spec.errors(path_params.get(name), schema)
            elif where == "query":
                known_query.add(name)
                if name in request.query:
                    value: Any = request.query[name]
                    if spec.resolve(schema).get("type") == "array":
                        value = value.split(",")
                    elif spec.resolve(schema).get("type") == "integer" and value.isdigit():
                        value = int(value)
                    problems += spec.errors(value, schema)
        problems += [f"unknown query parameter {q}" for q in request.query if q not in known_query]
        body_spec = operation.get("requestBody")
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip()
        if body_spec:
            media_types = body_spec["content"]
            if content_type not in media_types:
                problems.append(f"content type {content_type or '(none)'} not accepted")
            elif content_type == "application/json":
                problems += spec.errors(request.json, media_types[content_type]["schema"])
            else:
                fields: dict[str, Any] = dict(request.form)
                fields.update(dict.fromkeys(request.files, "(binary)"))
                problems += spec.errors(fields, media_types[content_type]["schema"])
        if problems:
            raise _Refusal(400, "; ".join(problems))

    def _answer(self, request: XRequest, path_params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        op = request.operation
        with self._lock:
            if op == "POST /2/media/upload":
                data = request.files["media"][2]
                if not data.startswith((b"\xff\xd8\xff", b"\x89PNG")):
                    raise _Refusal(400, "media is not a JPEG or PNG image")
                media_id = str(next(self._ids))
                self.media[media_id] = {"size": len(data), "alt_text": None}
                return 200, {
                    "data": {
                        "id": media_id,
                        "media_key": f"3_{media_id}",
                        "size": len(data),
                        "expires_after_secs": 86400,
                    }
                }
            if op == "POST /2/media/metadata":
                media_id = request.json["id"]
                if media_id not in self.media:
                    raise _Refusal(400, f"unknown media id {media_id}")
                alt = ((request.json.get("metadata") or {}).get("alt_text") or {}).get("text")
                self.media[media_id]["alt_text"] = alt
                return 200, {"data": {"id": media_id, "associated_metadata": request.json}}
            if op == "POST /2/tweets":
                text = request.json.get("text", "")
                media_ids = (request.json.get("media") or {}).get("media_ids", [])
                unknown = [m for m in media_ids if m not in self.media]
                if unknown:
                    raise _Refusal(400, f"unknown media ids {unknown}", record=False)
                if any(p.text == text and not p.deleted for p in self.posts.values()):
                    raise _Refusal(403, DUPLICATE_DETAIL, record=False)
                post_id = str(next(self._ids))
                self.posts[post_id] = Post(post_id, text, list(media_ids))
                return 201, {"data": {"id": post_id, "text": text,
                                      "edit_history_post_ids": [post_id]}}  # fmt: skip
            if op == "DELETE /2/tweets/{id}":
                post = self.posts.get(path_params["id"])
                if post is None or post.deleted:
                    raise _Refusal(404, "Could not find the post", record=False)
                post.deleted = True
                return 200, {"data": {"deleted": True}}
            if op == "GET /2/users/me":
                return 200, {
                    "data": {"id": self.user_id, "name": "Hunts Cross", "username": self.username}
                }
            if op == "GET /2/users/{id}/followers":
                return 200, {
                    "data": list(self.followers),
                    "meta": {"result_count": len(self.followers)},
                }
            if op == "GET /2/users/{id}/mentions":
                return 200, {
                    "data": list(self.mentions),
                    "meta": {"result_count": len(self.mentions)},
                }
            if op == "PUT /2/tweets/{tweet_id}/hidden":
                return 200, {"data": {"hidden": bool(request.json.get("hidden"))}}
            if op == "POST /2/users/{id}/muting":
                return 200, {"data": {"muting": True}}
        raise _Refusal(404, f"the fake does not implement {op}")

    def _response_problems(self, operation: dict[str, Any], status: int, body: Any) -> list[str]:
        response = operation["responses"].get(str(status))
        if response is None:
            return [f"status {status} not described"]
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        return self.spec.errors(body, schema) if schema else []

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, Any], dict[str, str]]:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = XRequest(
            method=handler.command,
            path=split.path,
            operation="",
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers=dict(handler.headers.items()),
        )
        with self._lock:
            self._seen += 1
            seen = self._seen
            pause = self._pause if self._pause and self._pause[0] == seen else None
        if pause and not pause[1]:
            pause[2].set()
            self._released.wait()
            raise _Abandon
        routed = self.spec.route(request.method, request.path)
        if routed is None:
            raise _Refusal(404, f"{request.method} {request.path} is not in X's API")
        request.operation, path_params, operation = routed
        _parse_body(request, raw)
        with self._lock:
            self.requests.append(request)
        try:
            return self._serve_routed(
                handler, split.query, request, routed=(operation, path_params), pause=pause
            )
        finally:
            self._settle(request)

    def _settle(self, request: XRequest) -> None:
        """Wake `wait_for` only once the request's effects (a post made, a 503) are in place."""
        with self._arrived:
            request.settled = True
            self._arrived.notify_all()

    def _serve_routed(
        self,
        handler: BaseHTTPRequestHandler,
        query: str,
        request: XRequest,
        *,
        routed: tuple[Any, dict[str, str]],
        pause: Any,
    ) -> tuple[int, Any, dict[str, str]]:
        operation, path_params = routed
        request.oauth = self._check_oauth(handler, query)
        failure = self._take_failure(request.operation)
        if failure is not None and failure.hang:
            self._settle(request)
            self._released.wait()
            raise _Abandon
        self._check_request(request, operation, path_params)
        if failure is not None:
            status, body = (
                failure.status,
                failure.body or {"title": "Error", "status": failure.status},
            )
            return status, body, failure.headers
        status, body = self._answer(request, path_params)
        problems = self._response_problems(operation, status, body)
        if problems:
            self._violation(f"fake answered {request.operation} off-schema: {problems}")
        if pause:
            self._settle(request)
            pause[2].set()
            self._released.wait()
            raise _Abandon
        return status, body, {}


_TITLES = {400: "Invalid Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found Error"}


class _Refusal(Exception):
    def __init__(self, status: int, detail: str, *, record: bool = True) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.record = record  # a client mistake (vs. X's ordinary answers such as 403 duplicate)


class _Abandon(Exception):
    """Close the connection without an answer (the client is gone or must time out)."""


def _parse_body(request: XRequest, raw: bytes) -> None:
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        try:
            request.json = json.loads(raw or b"null")
        except ValueError as exc:
            raise _Refusal(400, f"body is not JSON: {exc}") from exc
    elif content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                request.files[str(name)] = (filename, part.get_content_type(), payload)
            else:
                request.form[str(name)] = payload.decode("utf-8")
    elif raw:
        raise _Refusal(400, f"unexpected body of type {content_type or '(none)'}")


def _handler_for(fake: FakeX) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            try:
                status, body, headers = fake.handle(self)
            except _Abandon:
                self.close_connection = True
                return
            except _Refusal as refusal:
                if refusal.record:
                    fake._violation(f"{self.command} {self.path}: {refusal.detail}")
                status, headers = refusal.status, {}
                title = _TITLES.get(refusal.status, "Error")
                body = {"title": title, "detail": refusal.detail, "type": "about:blank",
                        "status": refusal.status}  # fmt: skip
            payload = json.dumps(body).encode()
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fake_x() -> Iterator[FakeX]:
    """A running fake X server; the test fails if any request broke X's rules."""
    with FakeX() as fake:
        yield fake
        if not fake.allow_violations:
            assert fake.violations == [], fake.violations
