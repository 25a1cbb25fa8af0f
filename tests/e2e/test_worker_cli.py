"""`chatbot worker` as a second process beside (or instead of) `chatbot run`: it runs the
reminders and the safeguarding monitors too, and masks secrets in its log like `chatbot run`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, utcnow
from chatbot.adapters.slack.refs import SlackMessage
from tests.fakes.slack_server import FakeSlack
from tests.fakes.x_server import ACCESS_TOKEN, settings_env
from tests.fakes.x_social import FOLLOWERS, SocialX
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)

APPROVALS = "C0APPROV1"
SAFEGUARDING = "C0SAFEGD1"


def _env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    return (
        clean
        | {"CHATBOT_DATABASE_URL": database_url, "CHATBOT_DATA_DIR": str(tmp_path / "data")}
        | extra
    )


def _slack_and_x(slack: FakeSlack, social_x: SocialX) -> dict[str, str]:
    return settings_env(social_x.url) | {
        "CHATBOT_SLACK_BOT_TOKEN": slack.bot_token,
        "CHATBOT_SLACK_API_URL": slack.base_url,
        "CHATBOT_APPROVALS_CHANNEL": APPROVALS,
        "CHATBOT_SAFEGUARDING_CHANNEL": SAFEGUARDING,
    }


def _drain(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chatbot", "worker", "--drain", "--poll-seconds", "0.05"],
        env=env,
        cwd=cwd,  # no stray .env
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _waiting_draft(sessions: sessionmaker[Session]) -> int:
    """A draft that has waited two days for SLT (the policy nudges after a day or less)."""
    with sessions.begin() as session:
        draft = Draft(
            author_id="U0AUTHOR1",
            source_text="Our Year 5 trip to the museum.",
            text="Our Year 5 trip to the museum.",
            state="pending_approval",
            verdict="pass",
            created_at=utcnow() - timedelta(days=2),
        )
        session.add(draft)
        session.flush()
        session.add(SlackMessage(draft_id=draft.id, channel="C0DRAFTS1", ts="1700000000.000100"))
        return draft.id


def test_the_worker_runs_reminders_and_monitors(
    database_url: str,
    sessions: sessionmaker[Session],
    fake_slack: FakeSlack,
    social_x: SocialX,
    tmp_path: Path,
) -> None:
    draft_id = _waiting_draft(sessions)
    social_x.follow(social_x.user("rude", "sh1t", ""))

    result = _drain(_env(database_url, tmp_path, **_slack_and_x(fake_slack, social_x)), tmp_path)

    assert result.returncode == 0, result.stderr
    posted = fake_slack.calls("chat.postMessage")
    nudges = [c for c in posted if c.params["channel"] == APPROVALS]
    assert any(f"Draft #{draft_id}" in c.params["text"] for c in nudges), nudges
    alerts = [c for c in posted if c.params["channel"] == SAFEGUARDING]
    assert len(alerts) == 1
    assert social_x.calls(FOLLOWERS)


def test_the_worker_without_chat_settings_says_reminders_and_monitors_are_off(
    database_url: str, social_x: SocialX, tmp_path: Path
) -> None:
    result = _drain(_env(database_url, tmp_path, **settings_env(social_x.url)), tmp_path)

    assert result.returncode == 0, result.stderr
    assert "reminders and safeguarding monitors are off" in result.stderr
    assert not social_x.calls(FOLLOWERS)  # an alert nobody sees must not count as shown


def test_a_token_in_an_error_message_never_reaches_the_worker_log(
    database_url: str, fake_slack: FakeSlack, social_x: SocialX, tmp_path: Path
) -> None:
    # A proxy or an X error that echoes the request: the tokens come back in the message.
    echoed = f"refused token {ACCESS_TOKEN} (bot {fake_slack.bot_token})"
    social_x.fail(
        FOLLOWERS,
        401,
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": echoed},
    )

    result = _drain(_env(database_url, tmp_path, **_slack_and_x(fake_slack, social_x)), tmp_path)

    assert result.returncode == 0, result.stderr
    assert "X refused a read" in result.stderr  # the record is there, masked
    assert "refused token (redacted)" in result.stderr
    assert ACCESS_TOKEN not in result.stderr
    assert fake_slack.bot_token not in result.stderr


def test_run_names_the_setting_of_a_broken_policy_file(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    broken = tmp_path / "policy.toml"
    broken.write_text("this is = = not toml", encoding="utf-8")
    env = _env(
        database_url,
        tmp_path,
        CHATBOT_SLACK_BOT_TOKEN=fake_slack.bot_token,
        CHATBOT_SLACK_APP_TOKEN=fake_slack.app_token,
        CHATBOT_SLACK_API_URL=fake_slack.base_url,
        CHATBOT_DRAFTS_CHANNEL="C0DRAFTS1",
        CHATBOT_APPROVALS_CHANNEL=APPROVALS,
        CHATBOT_SAFEGUARDING_CHANNEL=SAFEGUARDING,
        CHATBOT_SLT_USERS="U0SLT0001",
        CHATBOT_POLICY_FILE=str(broken),
    )
    result = subprocess.run(
        [sys.executable, "-m", "chatbot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "CHATBOT_POLICY_FILE" in result.stderr
    assert not fake_slack.calls("auth.test")  # stopped before Slack was asked anything


def test_an_unknown_platform_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chatbot", "check-config"],
        env=_env("sqlite://", tmp_path, CHATBOT_PLATFORM="discord"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid  CHATBOT_PLATFORM: 'discord' is not a chat platform: use slack or teams" in (
        result.stdout
    )
