"""X's answers to reads turned into `ReadError` kinds the monitors act on."""

from __future__ import annotations

import json

import pytest
import requests

from chatbot.adapters.x.reader import account_of, read_error
from chatbot.services.ports import EndpointNotAvailable, ReadError, ReadErrorKind


def _response(
    status: int, body: object, headers: dict[str, str] | None = None
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


class _Failed(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__("failed")
        self.response = response


def test_rate_limit_waits_until_the_reset() -> None:
    error = read_error(
        _Failed(_response(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": "1900"})),
        now=lambda: 1000.0,
    )
    assert error.kind is ReadErrorKind.RATE_LIMITED
    assert error.retry_after == 900.0


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Client Forbidden", "reason": "client-not-enrolled", "type": "x"},
        {
            "errors": [
                {
                    "message": "You currently have access to a subset of X API V2 endpoints",
                    "code": 453,
                }
            ]
        },
    ],
)
def test_endpoints_refused_to_self_serve_apps(body: object) -> None:
    error = read_error(_Failed(_response(403, body)))
    assert isinstance(error, EndpointNotAvailable)
    assert error.kind is ReadErrorKind.NOT_AVAILABLE


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, ReadErrorKind.CREDENTIALS),
        (403, ReadErrorKind.PERMANENT),  # e.g. a protected account's followers
        (503, ReadErrorKind.TRANSIENT),
        (400, ReadErrorKind.PERMANENT),
    ],
)
def test_other_answers(status: int, kind: ReadErrorKind) -> None:
    error = read_error(_Failed(_response(status, {"title": "Error", "detail": "nope"})))
    assert type(error) is ReadError
    assert error.kind is kind
    assert str(status) in str(error)


def test_no_answer_is_transient() -> None:
    assert read_error(requests.ConnectionError("down")).kind is ReadErrorKind.TRANSIENT


def test_accounts_from_x_2026_and_older_field_names() -> None:
    new = account_of({"id": "1", "username": "a", "public_metrics": {"post_count": 7}})
    old = account_of({"id": "2", "username": "b", "public_metrics": {"tweet_count": 3}})
    default = account_of(
        {
            "id": "3",
            "username": "c",
            "created_at": "2026-11-20T10:00:00.000Z",
            "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/x.png",
        }
    )
    assert (new.post_count, old.post_count) == (7, 3)
    assert default.created_at is not None
    assert default.created_at.isoformat() == "2026-11-20T10:00:00+00:00"
    assert not default.has_profile_image
