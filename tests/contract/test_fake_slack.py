"""The fake Slack answers the real slack_sdk clients the way Slack does."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from tests.fakes.slack_server import FakeSlack


def _client(fake: FakeSlack, token: str | None = None) -> WebClient:
    return WebClient(token=token or fake.bot_token, base_url=fake.base_url)


def test_auth_test_and_token_checks(fake_slack: FakeSlack) -> None:
    answer = _client(fake_slack).auth_test()
    assert answer["user_id"] == fake_slack.bot_user_id
    assert answer["bot_id"] == fake_slack.bot_id
    with pytest.raises(SlackApiError) as wrong:
        _client(fake_slack, "xoxb-someone-else").auth_test()
    assert wrong.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as app_token:
        _client(fake_slack, fake_slack.app_token).auth_test()
    assert app_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=fake_slack.base_url).api_call("auth.test")
    assert missing.value.response["error"] == "not_authed"
    assert [c.token for c in fake_slack.calls("auth.test")][:2] == [
        fake_slack.bot_token,
        "xoxb-someone-else",
    ]


def test_post_message_records_json_and_form_bodies(fake_slack: FakeSlack) -> None:
    client = _client(fake_slack)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}]
    first = client.chat_postMessage(channel="C0000001", text="hi", blocks=blocks)
    # A form-encoded body: slack_sdk sends blocks as a JSON string; the fake decodes it.
    second = client.api_call(
        "chat.postMessage",
        data={"channel": "C0000001", "text": "again", "blocks": json.dumps(blocks)},
    )
    assert first["ts"] < second["ts"]
    calls = fake_slack.wait_for("chat.postMessage", count=2)
    assert [c.params["blocks"] for c in calls] == [blocks, blocks]
    assert calls[0].token == fake_slack.bot_token
    update = client.chat_update(channel="C0000001", ts=first["ts"], text="edited", blocks=[])
    assert update["ts"] == first["ts"]
    assert client.reactions_add(channel="C0000001", timestamp=first["ts"], name="eyes")["ok"]
    link = client.chat_getPermalink(channel="C0000001", message_ts=first["ts"])
    assert link["permalink"].endswith("/archives/C0000001/p1700000000000100")
    assert client.conversations_open(users="U0000042")["channel"]["id"] == "D0000042"


def test_respond_overrides_and_rate_limits(fake_slack: FakeSlack) -> None:
    fake_slack.respond("auth.test", {"ok": False, "error": "token_revoked"})
    with pytest.raises(SlackApiError) as revoked:
        _client(fake_slack).auth_test()
    assert revoked.value.response["error"] == "token_revoked"
    fake_slack.respond(
        "chat.postEphemeral",
        {"ok": False, "error": "ratelimited", "_status": 429, "_headers": {"Retry-After": "7"}},
    )
    with pytest.raises(SlackApiError) as limited:
        _client(fake_slack).chat_postEphemeral(channel="C0000001", user="U0000001", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    fake_slack.respond("chat.delete", lambda call: {"ok": True, "ts": call.params["ts"]})
    assert _client(fake_slack).chat_delete(channel="C1", ts="1.2")["ts"] == "1.2"
    with pytest.raises(SlackApiError) as unknown:
        _client(fake_slack).api_call("no.such.method")
    assert unknown.value.response["error"] == "unknown_method"


def test_wait_for_times_out_with_the_calls_seen(fake_slack: FakeSlack) -> None:
    _client(fake_slack).auth_test()
    with pytest.raises(AssertionError, match=r"auth.test"):
        fake_slack.wait_for("chat.postMessage", timeout=0.2)


def test_wait_for_wakes_up_on_a_call_from_another_thread(fake_slack: FakeSlack) -> None:
    client = _client(fake_slack)
    thread = threading.Thread(
        target=lambda: client.chat_postMessage(channel="C0000002", text="later")
    )
    thread.start()
    calls = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0000002"
    )
    thread.join()
    assert calls[0].params["text"] == "later"


def test_views_channels_users_groups(fake_slack: FakeSlack) -> None:
    client = _client(fake_slack)
    view = {
        "type": "modal",
        "callback_id": "declare_photos",
        "title": {"type": "plain_text", "text": "x"},
        "blocks": [],
    }
    opened = client.views_open(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "declare_photos"
    assert fake_slack.calls("views.open")[0].params["view"]["callback_id"] == "declare_photos"
    assert client.views_publish(user_id="U0000001", view={"type": "home", "blocks": []})["ok"]

    fake_slack.channels["C0000003"] = {"id": "C0000003", "name": "tweet-drafts", "is_member": False}
    assert client.conversations_info(channel="C0000003")["channel"]["is_member"] is False
    with pytest.raises(SlackApiError) as missing:
        client.conversations_info(channel="C9999999")
    assert missing.value.response["error"] == "channel_not_found"

    fake_slack.add_user("U0000010", name="Ann Head")
    assert client.users_info(user="U0000010")["user"]["real_name"] == "Ann Head"
    with pytest.raises(SlackApiError):
        client.users_info(user="U0000011")
    fake_slack.set_usergroup("S0000001", ["U0000010"])
    assert client.usergroups_users_list(usergroup="S0000001")["users"] == ["U0000010"]


def test_files_need_the_bot_token_and_may_not_be_ready(fake_slack: FakeSlack) -> None:
    client = _client(fake_slack)
    stored = fake_slack.add_file(
        "F0000001", b"\xff\xd8jpeg", name="trip.jpg", mimetype="image/jpeg", ready_after=1
    )
    assert stored["url_private"].startswith("http://127.0.0.1:")
    first = client.files_info(file="F0000001")["file"]
    assert "url_private" not in first
    second = client.files_info(file="F0000001")["file"]
    assert second["size"] == 6
    assert second["filetype"] == "jpg"

    authorised = urllib.request.Request(  # noqa: S310 (the local fake)
        second["url_private"], headers={"Authorization": f"Bearer {fake_slack.bot_token}"}
    )
    with urllib.request.urlopen(authorised) as resp:  # noqa: S310 (local fake)
        assert resp.headers["Content-Type"] == "image/jpeg"
        assert resp.read() == b"\xff\xd8jpeg"
    # Like Slack: no token gives the sign-in page, with status 200.
    with urllib.request.urlopen(second["url_private"]) as resp:  # noqa: S310
        assert resp.headers["Content-Type"].startswith("text/html")
    assert [token for _, token in fake_slack.downloads()] == [fake_slack.bot_token, None]
    with pytest.raises(SlackApiError):
        client.files_info(file="F0000404")
    missing = urllib.request.Request(  # noqa: S310
        fake_slack.files_base + "T0000001-F0000404/x.jpg",
        headers={"Authorization": f"Bearer {fake_slack.bot_token}"},
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(missing)  # noqa: S310


def test_socket_mode_hello_envelope_and_ack(fake_slack: FakeSlack) -> None:
    # apps.connections.open takes only the app-level token.
    with pytest.raises(SlackApiError) as wrong:
        _client(fake_slack).apps_connections_open(app_token=fake_slack.bot_token)
    assert wrong.value.response["error"] == "not_allowed_token_type"

    received: list[SocketModeRequest] = []
    got = threading.Event()

    def listener(client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload={"seen": True})
        )
        got.set()

    hello = threading.Event()
    client = SocketModeClient(
        app_token=fake_slack.app_token,
        web_client=WebClient(base_url=fake_slack.base_url),
        on_message_listeners=[lambda m: hello.set() if '"hello"' in m else None],
        ping_interval=1,
    )
    client.socket_mode_request_listeners.append(listener)
    try:
        client.connect()
        fake_slack.wait_connected()
        assert hello.wait(5)
        assert fake_slack.calls("apps.connections.open")[-1].token == fake_slack.app_token
        event: dict[str, Any] = {
            "type": "event_callback",
            "event": {
                "type": "message",
                "channel": "C0000001",
                "user": "U0000001",
                "text": "hello",
                "ts": "1700000001.000100",
                "channel_type": "channel",
            },
        }
        ack = fake_slack.send_socket_event(event)
        assert got.wait(5)
        assert ack["envelope_id"] == received[0].envelope_id
        assert ack["payload"] == {"seen": True}
        assert received[0].type == "events_api"
        assert received[0].payload["event"]["text"] == "hello"
        assert received[0].payload["team_id"] == fake_slack.team_id

        got.clear()
        action = {"type": "block_actions", "actions": [{"action_id": "draft_approve"}]}
        fake_slack.send_socket_event(action)
        assert received[1].type == "interactive"
        assert received[1].accepts_response_payload is True
    finally:
        client.close()


def test_socket_mode_client_reconnects_after_a_drop(fake_slack: FakeSlack) -> None:
    acked = threading.Event()

    def listener(client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        acked.set()

    client = SocketModeClient(
        app_token=fake_slack.app_token,
        web_client=WebClient(base_url=fake_slack.base_url),
        ping_interval=1,
    )
    client.socket_mode_request_listeners.append(listener)
    try:
        client.connect()
        fake_slack.wait_connected()
        fake_slack.drop_socket_connections()
        fake_slack.wait_connection_count(2)  # the client reconnected on its own
        fake_slack.send_socket_event({"command": "/tweet", "text": "", "user_id": "U0000001"})
        assert acked.wait(5)
        assert len(fake_slack.calls("apps.connections.open")) >= 2
    finally:
        client.close()
