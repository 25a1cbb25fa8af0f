"""The real `chatbot run` process against the fake Slack: Socket Mode from message to card.

The process is started as a school would start it (`python -m chatbot run` with CHATBOT_*
settings), with Slack's Web API and Socket Mode served by tests/fakes/slack_server.py and X in
dry-run mode (no X credentials). Synchronisation is by the fake's condition variables and by
polling the process with a deadline, never by sleeping.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.slack_server import (
    APPROVALS,
    DRAFTS,
    SAFEGUARDING,
    Call,
    FakeSlack,
    add_school_channels,
)

pytestmark = pytest.mark.slow

AUTHOR, SLT = "U0STAFF01", "U0SLT0001"
ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "roster.csv"
START_TIMEOUT = 30.0  # a cold interpreter on a busy CI machine imports a lot


@dataclass
class Bot:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"chatbot run did not exit within {timeout}s; its log:\n{self.log()}")

    def wait_for_log(self, text: str, timeout: float = 10.0) -> None:
        # The process writes its log to a file; poll it with a deadline.
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"{text!r} never appeared in the log:\n{self.log()}")
            time.sleep(0.05)


def _env(fake: FakeSlack, database_url: str, data_dir: Path, **extra: str | None) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "CHATBOT_DATA_DIR": str(data_dir),
            "CHATBOT_DATABASE_URL": database_url,
            "CHATBOT_SLACK_BOT_TOKEN": fake.bot_token,
            "CHATBOT_SLACK_APP_TOKEN": fake.app_token,
            "CHATBOT_SLACK_API_URL": fake.base_url,
            "CHATBOT_DRAFTS_CHANNEL": DRAFTS,
            "CHATBOT_APPROVALS_CHANNEL": APPROVALS,
            "CHATBOT_SAFEGUARDING_CHANNEL": SAFEGUARDING,
            "CHATBOT_SLT_USERS": SLT,
            "CHATBOT_LOG_LEVEL": "INFO",
        }
    )
    for name, value in extra.items():  # None removes a setting
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:
    add_school_channels(fake_slack)
    fake_slack.add_user(AUTHOR, name="Sam Teacher")
    fake_slack.add_user(SLT, name="Pat Head")
    return fake_slack


@pytest.fixture
def start_bot(slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Any]:
    started: list[Bot] = []

    def start(**extra: str | None) -> Bot:
        log_path = tmp_path / f"run-{len(started)}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "chatbot", "run"],
                env=_env(slack, database_url, tmp_path / "data", **extra),
                cwd=tmp_path,  # no stray .env from the developer's checkout
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        bot = Bot(process, log_path)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.wait()


@pytest.fixture
def chatbot_cli(slack: FakeSlack, database_url: str, tmp_path: Path) -> Any:
    """Run another `chatbot` command against the same database and settings."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "chatbot", *args],
            env=_env(slack, database_url, tmp_path / "data"),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )

    return run


def _actions(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks or []:
        for element in block.get("elements", []) or []:
            if isinstance(element, dict) and "action_id" in element:
                found.append(element)
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and "action_id" in accessory:
            found.append(accessory)
    return found


def _has_action(call: Call, action_id: str) -> bool:
    return any(a["action_id"] == action_id for a in _actions(call.params.get("blocks") or []))


def _assert_no_secrets(text: str, fake: FakeSlack) -> None:
    assert fake.bot_token not in text
    assert fake.app_token not in text
    # Any token shape at all (hints like "starts with xapp-" are fine).
    assert not re.search(r"\bx(ox[a-z]|app)-[A-Za-z0-9]", text)


def test_message_to_card_to_approval_then_clean_stop(
    start_bot: Any, chatbot_cli: Any, slack: FakeSlack
) -> None:
    imported = chatbot_cli("pupils", "import", str(ROSTER))
    assert imported.returncode == 0, imported.stderr
    bot = start_bot()
    slack.wait_connected(timeout=START_TIMEOUT)
    bot.wait_for_log("connected to Slack (Socket Mode)")

    # Slack drops connections now and then; the bot reconnects and says so.
    slack.drop_socket_connections()
    slack.wait_connection_count(2)
    bot.wait_for_log("reconnected to Slack")

    draft_ts = "1700000500.000100"
    # A pupil's name without photos is a warning: the card still offers approval, and the
    # name must not reach the log.
    text = "Well done to Mohammed Khan in Year 6 for his wonderful Roman shield today."
    ack = slack.send_socket_event(
        {
            "type": "event_callback",
            "event": {
                "type": "message",
                "channel": DRAFTS,
                "user": AUTHOR,
                "text": text,
                "ts": draft_ts,
                "event_ts": draft_ts,
                "channel_type": "channel",
                "team": slack.team_id,
                "blocks": [],
            },
        }
    )
    assert "envelope_id" in ack

    slack.wait_for(
        "reactions.add",
        where=lambda c: c.params.get("name") == "eyes" and c.params.get("timestamp") == draft_ts,
    )
    card = slack.wait_for(
        "chat.postMessage",
        timeout=15,
        where=lambda c: c.params.get("channel") == APPROVALS and _has_action(c, "draft_approve"),
    )[0]
    # The findings went to the draft's thread; the imported register was used.
    findings = slack.wait_for(
        "chat.postMessage",
        where=lambda c: c.params.get("channel") == DRAFTS and c.params.get("thread_ts") == draft_ts,
    )[0]
    assert "pupil" in json.dumps(findings.params.get("blocks"))
    approve = next(a for a in _actions(card.params["blocks"]) if a["action_id"] == "draft_approve")
    card_ts = str(card.response["ts"])
    before_click = {id(c) for c in slack.calls()}
    slack.send_socket_event(_click(slack, card, card_ts, approve))
    # The card is redrawn in place, without its buttons.
    slack.wait_for(
        "chat.update",
        timeout=10,
        where=lambda c: (
            c.params.get("channel") == APPROVALS
            and c.params.get("ts") == card_ts
            and not _has_action(c, "draft_approve")
        ),
    )

    def told_author(c: Call) -> bool:
        return (
            id(c) not in before_click
            and c.params.get("channel") == DRAFTS
            and c.params.get("thread_ts") == draft_ts
            and f"<@{AUTHOR}>" in str(c.params.get("text", ""))
        )

    # First the decision, then the worker (in the same process) publishes in dry-run mode.
    slack.wait_for("chat.postMessage", timeout=10, where=told_author)
    slack.wait_for(
        "chat.postMessage",
        timeout=20,
        where=lambda c: told_author(c) and "dry run" in str(c.params.get("text", "")).lower(),
    )

    bot.process.send_signal(signal.SIGTERM)
    assert bot.wait(timeout=15) == 0
    log = bot.log()
    assert "SIGTERM received" in log
    _assert_no_secrets(log, slack)
    # Neither the staff text nor the pupil's name is logged.
    for word in ("Mohammed", "Khan", "shield"):
        assert word not in log


def _click(fake: FakeSlack, card: Call, card_ts: str, button: dict[str, Any]) -> dict[str, Any]:
    """SLT pressing a button on the card, as Slack sends it (block_actions)."""
    return {
        "type": "block_actions",
        "user": {"id": SLT, "username": "pat.head", "name": "pat.head", "team_id": fake.team_id},
        "api_app_id": fake.app_id,
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": card_ts,
            "channel_id": APPROVALS,
            "is_ephemeral": False,
        },
        "trigger_id": "1700000600.1.abcdef",
        "team": {"id": fake.team_id, "domain": fake.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": APPROVALS, "name": "tweet-approvals"},
        "message": {
            "type": "message",
            "user": fake.bot_user_id,
            "bot_id": fake.bot_id,
            "text": card.params.get("text", ""),
            "ts": card_ts,
            "blocks": card.params["blocks"],
        },
        "state": {"values": {}},
        "response_url": "https://hooks.slack.com/actions/T0000001/1/abcdef",
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": button.get("block_id", "actions"),
                "value": button["value"],
                "type": "button",
                "text": button.get("text", {"type": "plain_text", "text": "Approve"}),
                "action_ts": "1700000600.000001",
            }
        ],
    }


def test_revoked_bot_token_stops_start_up_naming_the_setting(
    start_bot: Any, slack: FakeSlack
) -> None:
    slack.respond("auth.test", {"ok": False, "error": "token_revoked"})
    bot = start_bot()
    assert bot.wait(timeout=START_TIMEOUT) == 2
    log = bot.log()
    assert "CHATBOT_SLACK_BOT_TOKEN was refused by Slack (token_revoked)" in log
    assert "Bot User OAuth Token" in log
    _assert_no_secrets(log, slack)
    assert not slack.calls("apps.connections.open")


def test_channel_problems_are_all_named_and_nothing_connects(
    start_bot: Any, slack: FakeSlack
) -> None:
    slack.channels[APPROVALS]["is_member"] = False
    del slack.channels[SAFEGUARDING]
    bot = start_bot(CHATBOT_SLACK_APP_TOKEN="xapp-1-not-this-app")
    assert bot.wait(timeout=START_TIMEOUT) == 2
    log = bot.log()
    assert "CHATBOT_SLACK_APP_TOKEN was refused by Slack (invalid_auth)" in log
    assert "/invite @chatbot in #tweet-approvals" in log
    assert f"CHATBOT_SAFEGUARDING_CHANNEL ({SAFEGUARDING}) was not found" in log
    assert "not-this-app" not in log
    _assert_no_secrets(log, slack)
    assert slack.connection_count() == 0


def test_missing_settings_are_each_named(start_bot: Any) -> None:
    bot = start_bot(CHATBOT_SLACK_APP_TOKEN=None, CHATBOT_SLT_USERS=None)
    assert bot.wait(timeout=START_TIMEOUT) == 2
    log = bot.log()
    assert "CHATBOT_SLACK_APP_TOKEN is not set" in log
    assert "CHATBOT_SLT_USERS is not set" in log
    assert "CHATBOT_SLACK_BOT_TOKEN" not in log
