"""`chatbot check-config` and `chatbot db upgrade` as a school's IT person would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "xoxb-4242-do-not-print-me"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args],
        env=clean | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_config_reports_set_missing_and_hides_secrets(tmp_path: Path) -> None:
    env = {
        "CHATBOT_SLACK_BOT_TOKEN": SECRET,
        "CHATBOT_DRAFTS_CHANNEL": "C0DRAFTS1",
        "CHATBOT_DATABASE_URL": "postgresql://head:hunter2@db.school.local/chatbot",
    }
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert SECRET not in out
    assert "hunter2" not in out
    assert "CHATBOT_SLACK_BOT_TOKEN = set (hidden)" in out
    assert "CHATBOT_DRAFTS_CHANNEL = C0DRAFTS1" in out
    assert "missing  CHATBOT_SLACK_APP_TOKEN" in out
    assert "missing  CHATBOT_SLT_USERS" in out
    assert "dry-run" in out
    assert out.rstrip().endswith("not ready for `chatbot run`")


def test_check_config_invalid_exits_2_naming_the_setting(tmp_path: Path) -> None:
    env = {"CHATBOT_SLACK_APP_TOKEN": "xoxb-" + SECRET, "CHATBOT_APPROVALS_CHANNEL": "#approvals"}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid  CHATBOT_SLACK_APP_TOKEN" in result.stdout
    assert "invalid  CHATBOT_APPROVALS_CHANNEL" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://nobody@127.0.0.1:1/none", "cannot prepare the database"),
        ("mysql+nodriver://x/y", "cannot use CHATBOT_DATABASE_URL"),
    ],
)
def test_db_upgrade_explains_an_unusable_database(tmp_path: Path, url: str, expected: str) -> None:
    result = run_cli("db", "upgrade", env={"CHATBOT_DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_default_sqlite_file(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", env={"CHATBOT_DATA_DIR": str(tmp_path / "d")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d" / "chatbot.sqlite3").is_file()
