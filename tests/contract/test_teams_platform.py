"""The Teams platform as bootstrap starts it: the start-up checks against the fake authority and
the endpoint served on CHATBOT_TEAMS_PORT (and stopped by `close`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.teams.platform import TeamsPlatform
from chatbot.bootstrap import PLATFORMS
from chatbot.lifecycle import EXIT_CONFIG, EXIT_UNAVAILABLE, StartupError
from chatbot.policy.engine import load_policy
from chatbot.settings import Settings
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, TeamsFakes, teams_fakes

APPROVALS = "19:approvals4e5f@thread.tacv2"


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _platform(fakes: TeamsFakes, sessions: sessionmaker[Session], **extra: Any) -> TeamsPlatform:
    values: dict[str, Any] = {
        "platform": "teams",
        "teams_app_id": APP_ID,
        "teams_app_password": SecretStr(APP_PASSWORD),
        "teams_tenant_id": TENANT_ID,
        "teams_authority_url": fakes.tokens.authority_url,
        "teams_openid_url": fakes.keys.openid_url,
        "approvals_channel": APPROVALS,
        "teams_port": _free_port(),
    }
    values.update(extra)
    return TeamsPlatform(Settings(_env_file=None, **values), sessions)  # type: ignore[call-arg]


def test_bootstrap_knows_teams() -> None:
    assert PLATFORMS["teams"] == "chatbot.adapters.teams.platform"


def test_start_checks_then_serves_until_closed(
    fakes: TeamsFakes, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    platform = _platform(fakes, sessions)
    assert platform.can_notify()
    server = platform.start(load_policy(), lambda: None)
    try:
        url = f"http://127.0.0.1:{platform.settings.teams_port}/api/messages"
        answer = requests.post(url, json={"type": "message"}, timeout=10)
        assert answer.status_code == 401  # no token: nothing runs
    finally:
        server.close()
    with pytest.raises(requests.ConnectionError):
        requests.post(url, json={}, timeout=5)
    assert len(fakes.tokens.token_requests()) == 1
    assert "cannot post until" in caplog.text  # no service URL yet: said, not fatal


def test_a_wrong_secret_stops_the_start(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> None:
    platform = _platform(fakes, sessions, teams_app_password=SecretStr("wrong-secret"))
    with pytest.raises(StartupError, match="invalid_client") as failed:
        platform.start(load_policy(), lambda: None)
    assert failed.value.exit_code == EXIT_CONFIG
    assert "wrong-secret" not in str(failed.value)


def test_an_unreachable_authority_may_be_retried(sessions: sessionmaker[Session]) -> None:
    platform = TeamsPlatform(
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            platform="teams",
            teams_app_id=APP_ID,
            teams_app_password=SecretStr(APP_PASSWORD),
            teams_tenant_id=TENANT_ID,
            teams_authority_url=f"https://127.0.0.1:{_free_port()}",
        ),
        sessions,
    )
    with pytest.raises(StartupError) as failed:
        platform.check()
    assert failed.value.exit_code == EXIT_UNAVAILABLE


def test_a_taken_port_is_a_setting_to_fix(
    fakes: TeamsFakes, sessions: sessionmaker[Session]
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 (where the endpoint listens)
        taken.listen()
        platform = _platform(fakes, sessions, teams_port=taken.getsockname()[1])
        with pytest.raises(StartupError, match="CHATBOT_TEAMS_PORT") as failed:
            platform.start(load_policy(), lambda: None)
    assert failed.value.exit_code == EXIT_CONFIG
