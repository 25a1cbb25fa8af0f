"""X's answers turned into `PublishError` kinds the worker acts on (see DESIGN.md, "X")."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import requests

from chatbot.services.ports import PublishError, PublishErrorKind

K = PublishErrorKind

DUPLICATE = re.compile(r"duplicate content", re.IGNORECASE)
# 403s that are about the app or its tokens, not about this one post: publishing must pause.
ACCESS = re.compile(
    r"client-forbidden|client-not-enrolled|unsupported-authentication|oauth1[- ]app[- ]permissions"
    r"|app permissions|not permitted to perform this action|suspended|locked",
    re.IGNORECASE,
)
MAX_DETAIL = 300


def describe(response: requests.Response) -> str:
    """A short description of an error body: X's title/detail/message, never the request."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:MAX_DETAIL].strip()
    if not isinstance(body, dict):
        return str(body)[:MAX_DETAIL]
    parts = [str(body[key]) for key in ("title", "detail", "reason", "type") if body.get(key)]
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            parts += [str(error[key]) for key in ("message", "detail") if error.get(key)]
    return "; ".join(parts)[:MAX_DETAIL]


def error_for_response(
    response: requests.Response, *, now: Callable[[], float] = time.time
) -> PublishError:
    """The `PublishError` for a non-2xx answer from X."""
    status = response.status_code
    detail = describe(response)
    message = f"X answered {status}: {detail}" if detail else f"X answered {status}"
    if status == 429:
        return PublishError(K.RATE_LIMITED, message, retry_after=retry_after(response, now()))
    if status >= 500 or status == 408:
        return PublishError(K.TRANSIENT, message)
    if status == 401:
        return PublishError(K.CREDENTIALS, message)
    if status == 403:
        if DUPLICATE.search(detail):
            return PublishError(K.DUPLICATE, message)
        if ACCESS.search(detail):
            return PublishError(K.CREDENTIALS, message)
    return PublishError(K.PERMANENT, message)


def retry_after(response: requests.Response, now: float) -> float | None:
    """Seconds until `x-rate-limit-reset` (epoch seconds), at least one; None if not given."""
    reset = response.headers.get("x-rate-limit-reset")
    if reset is None:
        return None
    try:
        return max(1.0, float(reset) - now)
    except ValueError:
        return None


def error_for_exception(exc: BaseException) -> PublishError:
    """The `PublishError` for anything a request to X raised."""
    if isinstance(exc, PublishError):
        return exc
    response = getattr(exc, "response", None)
    if isinstance(response, requests.Response) and response.status_code >= 400:
        return error_for_response(response)
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        return PublishError(K.TRANSIENT, f"no answer from X: {type(exc).__name__}")
    if isinstance(exc, requests.RequestException):
        return PublishError(K.TRANSIENT, f"request to X failed: {type(exc).__name__}")
    return PublishError(K.PERMANENT, f"unexpected error talking to X: {type(exc).__name__}")
