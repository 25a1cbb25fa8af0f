"""Settings: names, sources, validation messages, and that secrets never print."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.settings import SettingsError, load_settings

SECRET = "xoxb-1234-very-secret-value"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("CHATBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_reads_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_DRAFTS_CHANNEL", "C0123ABCD")
    monkeypatch.setenv("CHATBOT_SLT_USERS", "U0123ABCD, U0456EFGH")
    settings = load_settings()
    assert settings.drafts_channel == "C0123ABCD"
    assert settings.slt_users == ("U0123ABCD", "U0456EFGH")


def test_slack_api_url_with_or_without_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_SLACK_API_URL", "http://127.0.0.1:9/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:9/api/"
    monkeypatch.setenv("CHATBOT_SLACK_API_URL", "http://127.0.0.1:9/api/")
    assert load_settings().slack_api_url == "http://127.0.0.1:9/api/"


def test_dotenv_and_secrets_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CHATBOT_APPROVALS_CHANNEL=C0999ZZZZ\n")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "CHATBOT_SLACK_BOT_TOKEN").write_text(SECRET)
    monkeypatch.setenv("CHATBOT_SECRETS_DIR", str(secrets))
    settings = load_settings()
    assert settings.approvals_channel == "C0999ZZZZ"
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


def test_invalid_values_name_the_setting_and_never_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHATBOT_SLACK_BOT_TOKEN", "xoxp-" + SECRET)
    monkeypatch.setenv("CHATBOT_SLT_USERS", "headteacher")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    names = [name for name, _ in caught.value.problems]
    assert names == ["CHATBOT_SLACK_BOT_TOKEN", "CHATBOT_SLT_USERS"]
    assert SECRET not in str(caught.value)
    assert "xoxb-" in str(caught.value)  # says what a right value looks like
    assert "Copy member ID" in str(caught.value)


def test_missing_for_run_lists_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_SLT_USERGROUP", "S0123ABCD")
    missing = load_settings().missing_for_run()
    assert "CHATBOT_SLACK_BOT_TOKEN" in missing
    assert "CHATBOT_SLT_USERS" not in missing  # a user group is enough


def test_default_database_is_sqlite_in_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_DATA_DIR", "/srv/chatbot")
    assert load_settings().effective_database_url == "sqlite:////srv/chatbot/chatbot.sqlite3"


def test_empty_values_count_as_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CHATBOT_SLACK_APP_TOKEN=\nCHATBOT_DRAFTS_CHANNEL=\n")
    settings = load_settings()
    assert settings.slack_app_token is None
    assert "CHATBOT_SLACK_APP_TOKEN" in settings.missing_for_run()


def test_teams_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_PLATFORM", "teams")
    monkeypatch.setenv("CHATBOT_TEAMS_APP_ID", "0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f")
    monkeypatch.setenv("CHATBOT_TEAMS_APP_PASSWORD", "Qx8~" + SECRET)
    monkeypatch.setenv("CHATBOT_TEAMS_TENANT_ID", "5e1a7c2d-8b3f-4a6e-9d0c-1f2e3d4c5b6a")
    monkeypatch.setenv("CHATBOT_DRAFTS_CHANNEL", "19:a1b2c3d4e5f6@thread.tacv2")
    monkeypatch.setenv("CHATBOT_SLT_USERS", "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f")
    monkeypatch.setenv("CHATBOT_TEAMS_AUTHORITY_URL", "https://login.example.org/")
    settings = load_settings()
    assert settings.platform == "teams"
    assert settings.teams_port == 3978
    assert settings.teams_openid_url == (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )
    assert settings.teams_authority_url == "https://login.example.org"
    assert settings.teams_service_url is None
    assert SECRET not in repr(settings)
    assert settings.missing_for_run() == [
        "CHATBOT_APPROVALS_CHANNEL",
        "CHATBOT_SAFEGUARDING_CHANNEL",
    ]


def test_teams_ids_are_checked_as_teams_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_PLATFORM", "teams")
    monkeypatch.setenv("CHATBOT_DRAFTS_CHANNEL", "C0123ABCD")
    monkeypatch.setenv("CHATBOT_SLT_USERS", "U0123ABCD")
    monkeypatch.setenv("CHATBOT_TEAMS_APP_ID", "not-a-guid")
    monkeypatch.setenv("CHATBOT_TEAMS_OPENID_URL", "http://127.0.0.1:9/openid")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    messages = dict(caught.value.problems)
    assert "Teams channel id" in messages["CHATBOT_DRAFTS_CHANNEL"]
    assert "Entra object id" in messages["CHATBOT_SLT_USERS"]
    assert "GUID" in messages["CHATBOT_TEAMS_APP_ID"]
    assert "https" in messages["CHATBOT_TEAMS_OPENID_URL"]


def test_slack_is_the_default_platform_and_keeps_slack_ids() -> None:
    settings = load_settings(drafts_channel="C0123ABCD", slt_users=("U0123ABCD",))
    assert settings.platform == "slack"
    with pytest.raises(SettingsError):
        load_settings(drafts_channel="19:a1b2c3d4e5f6@thread.tacv2")
