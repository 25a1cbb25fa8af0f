"""Pure rules of publishing: London times across clock changes, backoff, URL redirection."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
import requests

from chatbot.adapters.x.dryrun import DryRunPublisher, is_dry_run_post
from chatbot.adapters.x.errors import error_for_response
from chatbot.adapters.x.redirect import rewrite_url
from chatbot.services.ports import PublishErrorKind
from chatbot.services.publishing.runner import Publishing
from chatbot.services.publishing.state import london_to_utc


def test_london_winter_and_summer_times() -> None:
    assert london_to_utc(date(2026, 12, 1), time(8, 0)) == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert london_to_utc(date(2026, 6, 1), time(8, 0)) == datetime(2026, 6, 1, 7, tzinfo=UTC)


def test_a_time_in_the_spring_gap_moves_forward_by_the_skipped_hour() -> None:
    # 29 March 2026: clocks go from 01:00 GMT to 02:00 BST; 01:30 never happens.
    at = london_to_utc(date(2026, 3, 29), time(1, 30))
    assert at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST
    assert at > london_to_utc(date(2026, 3, 29), time(0, 59))  # never before the time asked


def test_an_autumn_time_that_happens_twice_means_the_first() -> None:
    # 25 October 2026: 01:00-02:00 happens in BST, then again in GMT.
    assert london_to_utc(date(2026, 10, 25), time(1, 30)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert london_to_utc(date(2026, 10, 25), time(1, 30, fold=1)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_backoff_doubles_with_equal_jitter_up_to_the_cap() -> None:
    publishing = Publishing(
        None,  # type: ignore[arg-type]
        DryRunPublisher(),
        None,  # type: ignore[arg-type]
        clock=lambda: datetime.now(UTC),
        worker_id="w",
        backoff_base=timedelta(seconds=10),
        backoff_cap=timedelta(seconds=60),
        rng=random.Random(1),
    )
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        waits = {publishing.backoff(attempt).total_seconds() for _ in range(50)}
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)
        assert len(waits) > 1  # jittered


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.twitter.com/2/tweets", "http://127.0.0.1:9/2/tweets"),
        ("https://api.x.com/2/media/upload?x=1&y=2", "http://127.0.0.1:9/2/media/upload?x=1&y=2"),
        (
            "https://upload.twitter.com/1.1/media/upload.json",
            "http://127.0.0.1:9/1.1/media/upload.json",
        ),
        ("https://upload.x.com/2/media/upload", "http://127.0.0.1:9/2/media/upload"),
        ("https://slack.com/api/chat.postMessage", "https://slack.com/api/chat.postMessage"),
    ],
)
def test_rewrite_url_keeps_path_and_query(url: str, expected: str) -> None:
    assert rewrite_url(url, "http://127.0.0.1:9") == expected


def test_rewrite_url_keeps_a_base_path_prefix() -> None:
    assert rewrite_url("https://api.x.com/2/tweets", "https://gw.school/x/") == (
        "https://gw.school/x/2/tweets"
    )


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


def test_rate_limit_without_reset_has_no_wait_and_bad_json_is_described() -> None:
    error = error_for_response(_response(429, b"<html>slow down</html>"))
    assert (error.kind, error.retry_after) == (PublishErrorKind.RATE_LIMITED, None)
    assert "slow down" in str(error)
    past = error_for_response(
        _response(429, b"{}", {"x-rate-limit-reset": "100"}), now=lambda: 200.0
    )
    assert past.retry_after == 1.0


def test_dry_run_ids_are_recognisable_and_unique() -> None:
    publisher = DryRunPublisher()
    ids = {publisher.create_post("a").id for _ in range(100)}
    assert len(ids) == 100
    assert all(is_dry_run_post(i) for i in ids)
    assert not is_dry_run_post("1900000000000000001")
    assert not is_dry_run_post(None)


def test_a_connection_never_shows_its_secrets() -> None:
    from chatbot.adapters.x.connection import Connection

    connection = Connection("ck-123", "cs-456", "at-789", "ats-012", bearer_token="bt-345")
    shown = f"{connection!r} {connection}"
    assert "x.com" in shown or "twitter.com" in shown
    for secret in ("ck-123", "cs-456", "at-789", "ats-012", "bt-345"):
        assert secret not in shown


def test_building_a_client_quietens_the_libraries_that_log_requests() -> None:
    import logging

    from chatbot.adapters.x.connection import Connection
    from chatbot.logs import PAYLOAD_LOGGERS

    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    Connection("k", "s", "t", "ts", api_url="http://127.0.0.1:9").client()
    assert [logging.getLogger(name).level for name in PAYLOAD_LOGGERS] == [logging.INFO] * len(
        PAYLOAD_LOGGERS
    )
