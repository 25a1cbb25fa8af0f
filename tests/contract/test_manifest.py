"""manifest.yml asks for exactly what the code uses: scopes, events, the command, the shortcut.

Scopes are derived from the Web API methods the code calls (a source scan) and the events it
subscribes to; events are checked both ways (in the manifest <-> registered in the code); the
command and shortcut are dispatched through the real Bolt app and must be handled.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]
from slack_bolt.request import BoltRequest
from sqlalchemy.orm import Session, sessionmaker

from chatbot.settings import load_settings
from tests.fakes.slack_server import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "chatbot"

# Bot scope each Web API method needs (None: no scope). A method missing here fails the test:
# add it, with its scope from https://api.slack.com/methods, and update manifest.yml.
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "apps.connections.open": None,  # app-level token, connections:write
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "reactions.add": "reactions:write",
    "reactions.remove": "reactions:write",
    "files.info": "files:read",
    "users.info": "users:read",
    "usergroups.users.list": "usergroups:read",
    "conversations.open": "im:write",
    "views.open": None,
    "views.update": None,
    "views.push": None,
    "views.publish": None,
}
# conversations.info on public and private channels alike.
SPECIAL_SCOPES = {"conversations.info": {"channels:read", "groups:read"}}
EVENT_SCOPES = {
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "subteam_members_changed": "usergroups:read",
    "app_home_opened": None,
}
# Files download url_private with the bot token: that needs files:read too.
DOWNLOAD_SCOPE = "files:read"

_CALL = re.compile(
    r"\.(?P<m>(?:auth|apps|chat|reactions|files|users|usergroups|conversations|views|pins|bookmarks)"
    r"_[A-Za-z_]+)\("
)
_API_CALL = re.compile(r"api_call\(\s*\"(?P<m>[a-z]+\.[A-Za-z.]+)\"")
_EVENT = re.compile(r"\.event\(\s*(?:\"(?P<name>\w+)\"|\{\s*\"type\":\s*\"(?P<typed>\w+)\")")
_MESSAGE = re.compile(r"\.message\(")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(CODE.rglob("*.py"))
        if "_data" not in path.parts
    )


def _methods_called() -> set[str]:
    source = _sources()
    methods = {m.group("m").replace("_", ".") for m in _CALL.finditer(source)}
    methods |= {m.group("m") for m in _API_CALL.finditer(source)}
    return methods


def test_socket_mode_interactivity_home(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    # Socket Mode apps must not carry request URLs: Slack would try to reach them.
    assert "request_url" not in settings["interactivity"]
    assert "request_url" not in settings["event_subscriptions"]
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"] == "chatbot"


def test_command_and_shortcut(manifest: dict[str, Any]) -> None:
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/tweet", "/consent"]
    assert all("url" not in c for c in commands)
    shortcuts = manifest["features"]["shortcuts"]
    assert shortcuts == [
        {
            "name": "Submit as tweet draft",
            "type": "message",
            "callback_id": "submit_as_draft",
            "description": shortcuts[0]["description"],
        }
    ]
    assert len(shortcuts[0]["name"]) <= 24  # Slack's limit for shortcut names


def test_scopes_are_exactly_what_the_code_and_events_need(manifest: dict[str, Any]) -> None:
    called = _methods_called()
    unknown = sorted(m for m in called if m not in METHOD_SCOPES and m not in SPECIAL_SCOPES)
    assert not unknown, f"add these Slack methods to METHOD_SCOPES and the manifest: {unknown}"
    needed: set[str] = set()
    for method in called:
        needed |= SPECIAL_SCOPES.get(method, set())
        scope = METHOD_SCOPES.get(method)
        if scope:
            needed.add(scope)
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        scope = EVENT_SCOPES[event]
        if scope:
            needed.add(scope)
    features = manifest["features"]
    if features.get("slash_commands") or features.get("shortcuts"):
        needed.add("commands")
    if "url_private" in _sources():
        needed.add(DOWNLOAD_SCOPE)
    # start-up checks always run conversations.info on the three channels
    assert "conversations.info" in called
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(needed)
    assert "bot" in manifest["oauth_config"]["scopes"]
    assert "user" not in manifest["oauth_config"]["scopes"]  # no user tokens, ever


def test_events_match_the_listeners_in_the_code(manifest: dict[str, Any]) -> None:
    subscribed = {
        e.split(".")[0] for e in manifest["settings"]["event_subscriptions"]["bot_events"]
    }
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((CODE / "adapters" / "slack").rglob("*.py"))
    )
    registered = {m.group("name") or m.group("typed") for m in _EVENT.finditer(source)}
    if _MESSAGE.search(source):
        registered.add("message")
    assert registered == subscribed


def test_manifest_agrees_with_what_the_app_declares(manifest: dict[str, Any]) -> None:
    from chatbot.adapters.slack import app

    features = manifest["features"]
    assert tuple(manifest["settings"]["event_subscriptions"]["bot_events"]) == tuple(
        sorted(app.EVENT_SUBSCRIPTIONS)
    )
    assert {c["command"] for c in features["slash_commands"]} == set(app.COMMANDS)
    assert {s["callback_id"] for s in features["shortcuts"]} == set(app.SHORTCUTS)
    # The app's list covers its listeners and gateway; start-up checks add channels/groups:read.
    assert set(app.BOT_SCOPES) | {"channels:read", "groups:read"} == set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


# -- the real Bolt app handles what the manifest announces -----------------------------------


@pytest.fixture
def bolt_app(fake_slack: FakeSlack, sessions: sessionmaker[Session]) -> Any:
    try:
        from chatbot.adapters.slack.app import create_app
    except ImportError as exc:  # pragma: no cover - a clear failure while it is being written
        pytest.fail(f"chatbot.adapters.slack.app.create_app is missing: {exc}")
    settings = load_settings(
        slack_bot_token=fake_slack.bot_token,
        slack_app_token=fake_slack.app_token,
        slack_api_url=fake_slack.base_url,
        drafts_channel="C0DRAFTS1",
        approvals_channel="C0APPROV1",
        safeguarding_channel="C0SAFEGD1",
        slt_users="U0SLT0001",
    )
    from slack_sdk import WebClient

    client = WebClient(token=fake_slack.bot_token, base_url=fake_slack.base_url)
    # Listeners finish inside dispatch(), before the fake Slack is stopped.
    return create_app(settings, sessions, client=client, process_before_response=True)


def _dispatch(app: Any, body: dict[str, Any]) -> int:
    return int(app.dispatch(BoltRequest(body=body, mode="socket_mode")).status)


def _event(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": FakeSlack.team_id,
        "api_app_id": FakeSlack.app_id,
        "event_id": "Ev0000001",
        "event_time": 1700000000,
        "event": event,
    }


def test_every_manifest_event_is_handled(bolt_app: Any, manifest: dict[str, Any]) -> None:
    samples: dict[str, dict[str, Any]] = {
        "message.channels": {
            "type": "message",
            "channel": "C0ELSEWH1",  # not the drafts channel: the bot must ignore it quietly
            "channel_type": "channel",
            "user": "U0STAFF01",
            "text": "hello",
            "ts": "1700000001.000100",
        },
        "message.groups": {
            "type": "message",
            "channel": "G0ELSEWH1",
            "channel_type": "group",
            "user": "U0STAFF01",
            "text": "hello",
            "ts": "1700000001.000200",
        },
        "message.im": {
            "type": "message",
            "channel": "D0STAFF01",
            "channel_type": "im",
            "user": "U0STAFF01",
            "text": "hello",
            "ts": "1700000001.000250",
        },
        "app_home_opened": {
            "type": "app_home_opened",
            "user": "U0STAFF01",
            "channel": "D0STAFF01",
            "tab": "home",
            "event_ts": "1700000001.000300",
        },
        "subteam_members_changed": {
            "type": "subteam_members_changed",
            "subteam_id": "S0SLTGRP1",
            "team_id": FakeSlack.team_id,
            "date_previous_update": 1700000000,
            "date_update": 1700000100,
            "added_users": ["U0SLT0002"],
            "added_users_count": "1",
            "removed_users": [],
            "removed_users_count": "0",
            "event_ts": "1700000001.000400",
        },
    }
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        assert _dispatch(bolt_app, _event(samples[event])) == 200, event


def test_the_command_and_the_shortcut_are_handled(bolt_app: Any) -> None:
    command = {
        "command": "/tweet",
        "text": "",
        "user_id": "U0STAFF01",
        "user_name": "teacher",
        "channel_id": "C0DRAFTS1",
        "team_id": FakeSlack.team_id,
        "trigger_id": "1700000001.1.abc",
        "response_url": "https://hooks.slack.com/commands/T0000001/1/abc",
    }
    assert _dispatch(bolt_app, command) == 200
    assert _dispatch(bolt_app, {**command, "command": "/consent"}) == 200
    shortcut = {
        "type": "message_action",
        "callback_id": "submit_as_draft",
        "trigger_id": "1700000001.2.abc",
        "user": {"id": "U0STAFF01", "name": "teacher"},
        "team": {"id": FakeSlack.team_id, "domain": "hunts-cross"},
        "channel": {"id": "C0ELSEWH1", "name": "year-4"},
        "message_ts": "1700000001.000500",
        "message": {
            "type": "message",
            "user": "U0STAFF01",
            "text": "Year 4 enjoyed the museum.",
            "ts": "1700000001.000500",
        },
        "response_url": "https://hooks.slack.com/app/T0000001/1/abc",
    }
    assert _dispatch(bolt_app, shortcut) == 200
