"""Real tweepy and our media helper against the fake X server (which checks OAuth and bodies)."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from chatbot.adapters.x.client import XPublisher
from chatbot.adapters.x.connection import Connection
from chatbot.adapters.x.redirect import X_HOSTS
from chatbot.services.ports import PublishError, PublishErrorKind
from tests.fakes import x_server
from tests.fakes.x_server import FakeX
from tests.publish_support import JPEG, publisher_for

K = PublishErrorKind
fake_x = x_server.fake_x


def test_upload_alt_text_and_post_with_media(fake_x: FakeX) -> None:
    publisher = publisher_for(fake_x)
    first = publisher.upload_photo(JPEG, "image/jpeg")
    second = publisher.upload_photo(JPEG, "image/jpeg")
    publisher.set_alt_text(first, "Year 4 planting bulbs in the school garden")

    ref = publisher.create_post("Spring is coming to Hunts Cross!", [first, second])

    assert ref.url == f"https://x.com/i/status/{ref.id}"
    [post] = fake_x.live_posts()
    assert (post.id, post.text, post.media_ids) == (
        ref.id,
        "Spring is coming to Hunts Cross!",
        [first, second],
    )
    assert fake_x.media[first]["alt_text"] == "Year 4 planting bulbs in the school garden"
    upload = fake_x.calls("POST /2/media/upload")[0]
    # Only the fields in X's description: the file and its category.
    assert upload.form == {"media_category": "tweet_image"}
    assert list(upload.files) == ["media"]
    assert upload.files["media"][2] == JPEG
    metadata = fake_x.calls("POST /2/media/metadata")[0].json
    assert metadata == {
        "id": first,
        "metadata": {"alt_text": {"text": "Year 4 planting bulbs in the school garden"}},
    }


def test_text_only_post_and_delete(fake_x: FakeX) -> None:
    publisher = publisher_for(fake_x)
    ref = publisher.create_post("Well done to our choir!")
    assert fake_x.calls("POST /2/tweets")[0].json == {"text": "Well done to our choir!"}

    publisher.delete_post(ref.id)
    publisher.delete_post(ref.id)  # already gone: counts as deleted

    assert fake_x.live_posts() == []


def test_whoami_reads_the_handle(fake_x: FakeX) -> None:
    assert publisher_for(fake_x).whoami() == "HuntsCrossPri"


@pytest.mark.parametrize("host", sorted(X_HOSTS))
def test_every_x_host_is_redirected_and_signed_for_where_it_goes(fake_x: FakeX, host: str) -> None:
    publisher = publisher_for(fake_x)
    session = publisher.media.session

    response = session.get(
        f"https://{host}/2/users/me?user.fields=username", auth=publisher.media.auth
    )

    assert response.status_code == 200
    [call] = fake_x.requests
    assert (call.path, call.query) == ("/2/users/me", {"user.fields": "username"})
    assert call.oauth["oauth_consumer_key"] == fake_x.consumer_key


def test_tweepys_own_host_is_redirected(fake_x: FakeX) -> None:
    # tweepy 4.17 builds "https://api.twitter.com" + route itself; nothing reaches the internet.
    publisher_for(fake_x).create_post("Hello from tweepy")
    assert [r.operation for r in fake_x.requests] == ["POST /2/tweets"]


def test_a_wrong_secret_fails_the_signature_check(fake_x: FakeX) -> None:
    fake_x.allow_violations = True
    publisher = publisher_for(fake_x)
    fake_x.consumer_secret = "a different secret"

    with pytest.raises(PublishError) as caught:
        publisher.whoami()

    assert caught.value.kind is K.CREDENTIALS
    assert any("signature does not verify" in v for v in fake_x.violations)


def test_the_fake_refuses_fields_x_does_not_describe(fake_x: FakeX) -> None:
    fake_x.allow_violations = True
    publisher = publisher_for(fake_x)
    response = publisher.media.session.post(
        "https://api.x.com/2/media/upload",
        files={"media": ("p.jpg", JPEG, "image/jpeg")},
        data={"media_category": "tweet_image", "media_type": "image/jpeg"},
        auth=publisher.media.auth,
    )
    assert response.status_code == 400
    assert "media_type" in fake_x.violations[0]


DUPLICATE = {
    "title": "Forbidden",
    "type": "about:blank",
    "status": 403,
    "detail": "You are not allowed to create a Tweet with duplicate content.",
}
APP_PERMISSIONS = {
    "title": "Forbidden",
    "type": "about:blank",
    "status": 403,
    "detail": "Your client app is not configured with the appropriate oauth1 app permissions "
    "for this endpoint.",
}
CLIENT_FORBIDDEN = {
    "title": "Client Forbidden",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
    "reason": "client-not-enrolled",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
    "and tokens from a Twitter developer App that is attached to a Project.",
}
NOT_ALLOWED = {"title": "Forbidden", "status": 403, "detail": "You cannot reply to this post."}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (500, {"title": "Internal Server Error"}, K.TRANSIENT),
        (503, {"title": "Service Unavailable"}, K.TRANSIENT),
        (401, {"title": "Unauthorized", "detail": "Unauthorized"}, K.CREDENTIALS),
        (403, DUPLICATE, K.DUPLICATE),
        (403, APP_PERMISSIONS, K.CREDENTIALS),
        (403, CLIENT_FORBIDDEN, K.CREDENTIALS),
        (403, NOT_ALLOWED, K.PERMANENT),
        (400, {"title": "Invalid Request", "detail": "text too long"}, K.PERMANENT),
    ],
)
def test_errors_map_to_kinds(
    fake_x: FakeX, status: int, body: dict[str, object], kind: PublishErrorKind
) -> None:
    fake_x.fail("POST /2/tweets", status, body)
    with pytest.raises(PublishError) as caught:
        publisher_for(fake_x).create_post("Sports day!")
    assert caught.value.kind is kind
    assert str(status) in str(caught.value)


def test_media_errors_map_too(fake_x: FakeX) -> None:
    fake_x.fail("POST /2/media/upload", 401, {"title": "Unauthorized"})
    fake_x.fail("POST /2/media/metadata", 502, {"title": "Bad Gateway"})
    publisher = publisher_for(fake_x)
    with pytest.raises(PublishError) as upload:
        publisher.upload_photo(JPEG, "image/jpeg")
    media_id = publisher.upload_photo(JPEG, "image/jpeg")
    with pytest.raises(PublishError) as metadata:
        publisher.set_alt_text(media_id, "A cup")
    assert (upload.value.kind, metadata.value.kind) == (K.CREDENTIALS, K.TRANSIENT)


def test_rate_limit_carries_the_wait_until_reset(fake_x: FakeX) -> None:
    reset = int(time.time()) + 600
    fake_x.rate_limit("POST /2/tweets", reset)
    with pytest.raises(PublishError) as caught:
        publisher_for(fake_x).create_post("Harvest festival")
    assert caught.value.kind is K.RATE_LIMITED
    assert caught.value.retry_after is not None
    assert 590 <= caught.value.retry_after <= 600


def test_a_hung_request_times_out_as_transient(fake_x: FakeX) -> None:
    fake_x.hang("POST /2/tweets")
    started = time.monotonic()
    with pytest.raises(PublishError) as caught:
        publisher_for(fake_x, timeout=(2.0, 0.3)).create_post("Nativity tickets")
    assert caught.value.kind is K.TRANSIENT
    assert time.monotonic() - started < 5


def _closed_port() -> int:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_server_is_transient() -> None:
    port = _closed_port()
    publisher = XPublisher(
        Connection(
            consumer_key="k",
            consumer_secret="s",
            access_token="t",
            access_token_secret="ts",
            api_url=f"http://127.0.0.1:{port}",
            timeout=0.5,
        )
    )
    with pytest.raises(PublishError) as caught:
        publisher.create_post("Nobody is listening")
    assert caught.value.kind is K.TRANSIENT


def test_proxy_setting_applies_to_x_requests(fake_x: FakeX) -> None:
    proxy = f"http://127.0.0.1:{_closed_port()}"
    publisher = publisher_for(fake_x, proxy_url=proxy)
    assert publisher.media.session.proxies == {"http": proxy, "https": proxy}
    with pytest.raises(PublishError) as caught:  # nothing listens there: it was used
        publisher.create_post("Through the proxy")
    assert caught.value.kind is K.TRANSIENT
    assert isinstance(
        caught.value.__cause__, requests.exceptions.ProxyError | requests.ConnectionError
    )


def test_the_fake_serves_the_safeguarding_endpoints_to_tweepy(fake_x: FakeX) -> None:
    fake_x.followers = [{"id": "2001", "name": "A Parent", "username": "aparent"}]
    fake_x.mentions = [
        {"id": "3001", "text": "@HuntsCrossPri lovely!", "edit_history_post_ids": ["3001"]}
    ]
    client = publisher_for(fake_x)._client

    followers = client.get_users_followers("1000", max_results=100, user_auth=True)
    mentions = client.get_users_mentions("1000", since_id="3000", user_auth=True)
    hidden = client.hide_reply("3001", user_auth=True)
    muted = client.mute("2001", user_auth=True)

    assert [f["username"] for f in followers["data"]] == ["aparent"]
    assert [m["id"] for m in mentions["data"]] == ["3001"]
    assert hidden["data"] == {"hidden": True}
    assert muted["data"] == {"muting": True}
    assert fake_x.calls("POST /2/users/{id}/muting")[0].json == {"target_user_id": "2001"}
