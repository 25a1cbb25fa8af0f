"""`chatbot staff` and `chatbot monitor` as the office and the DSL would run them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select

from chatbot.adapters.db.db import make_engine
from chatbot.adapters.db.models import Alert, AuditEntry
from chatbot.entrypoints.main import main
from tests.fakes.slack_server import FakeSlack
from tests.fakes.slack_server import fake_slack as fake_slack  # noqa: PLC0414 (fixture)
from tests.fakes.x_server import settings_env
from tests.fakes.x_social import FOLLOWERS, SocialX
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)

SAFEGUARDING = "C0SAFEGD1"


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"):
        monkeypatch.delenv(f"CHATBOT_{name}", raising=False)
    monkeypatch.setenv("CHATBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("CHATBOT_DATA_DIR", str(tmp_path / "data"))
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_staff_add_list_remove(cli_env: Engine) -> None:
    added = run("staff", "add", "@MrsTeach", "--slack-user", "U0TEACH01")
    assert added.exit_code == 0, added.output
    assert "@mrsteach: followers will be checked (opted in " in added.stdout
    assert run("staff", "add", "mrsteach", "--slack-user", "U0TEACH01").exit_code == 2
    bad = run("staff", "add", "not a handle!", "--slack-user", "U0TEACH01")
    assert bad.exit_code == 2
    assert "is not an X handle" in bad.stderr
    assert "is not a Slack user id" in run("staff", "add", "x", "--slack-user", "bob").stderr

    listed = run("staff", "list")
    assert "@mrsteach" in listed.stdout
    assert "U0TEACH01" in listed.stdout

    assert run("staff", "remove", "@MrsTeach").exit_code == 0
    assert "no staff accounts are checked" in run("staff", "list").stdout
    assert "removed" in run("staff", "list", "--all").stdout
    assert run("staff", "remove", "@MrsTeach").exit_code == 2
    with cli_env.connect() as conn:
        actions = list(conn.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["staff_opt_in", "staff_opt_out"]


def test_monitor_without_credentials_names_the_settings(cli_env: Engine) -> None:
    result = run("monitor", "followers")
    assert result.exit_code == 2
    for name in ("CHATBOT_X_API_KEY", "CHATBOT_X_ACCESS_TOKEN_SECRET", "CHATBOT_SLACK_BOT_TOKEN"):
        assert name in result.stderr
    assert run("monitor", "nonsense").exit_code == 2


def test_monitor_followers_once(
    cli_env: Engine, social_x: SocialX, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in settings_env(social_x.url).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CHATBOT_SLACK_BOT_TOKEN", fake_slack.bot_token)
    monkeypatch.setenv("CHATBOT_SLACK_API_URL", fake_slack.base_url)
    monkeypatch.setenv("CHATBOT_SAFEGUARDING_CHANNEL", SAFEGUARDING)
    monkeypatch.setenv("CHATBOT_APPROVALS_CHANNEL", "C0APPROV1")
    social_x.follow(social_x.user("rude", "sh1t", ""))
    social_x.follow(social_x.user("fine", "A parent", "Mum of two"))

    result = run("monitor", "followers")
    again = run("monitor", "followers")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "followers: read 2, checked 2 new, 1 alert(s)"
    assert again.stdout.strip() == "followers: read 2, checked 0 new, 0 alert(s)"
    assert len(social_x.calls(FOLLOWERS)) == 2
    cards = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == SAFEGUARDING]
    assert len(cards) == 1
    with cli_env.connect() as conn:
        assert list(conn.scalars(select(Alert.subject_handle))) == ["rude"]
