"""`chatbot teams package` and the Teams part of `chatbot check-config`, run as a school's IT
lead would run them: the real command in a clean directory, settings in the environment."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from PIL import Image

APP_ID = "0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"
TENANT = "5e1a7c2d-8b3f-4a6e-9d0c-1f2e3d4c5b6a"
SLT = "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"
SECRET = "Qx8~the-client-secret-value-never-printed"
TEAMS = {
    "CHATBOT_PLATFORM": "teams",
    "CHATBOT_TEAMS_APP_ID": APP_ID,
    "CHATBOT_TEAMS_APP_PASSWORD": SECRET,
    "CHATBOT_TEAMS_TENANT_ID": TENANT,
    "CHATBOT_DRAFTS_CHANNEL": "19:drafts0a1b2c3d@thread.tacv2",
    "CHATBOT_APPROVALS_CHANNEL": "19:approvals4e5f@thread.tacv2",
    "CHATBOT_SAFEGUARDING_CHANNEL": "19:safe6a7b8c9d@thread.tacv2",
    "CHATBOT_SLT_USERS": SLT,
}


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args],
        env=clean | {"CHATBOT_DATA_DIR": str(cwd / "data")} | env,
        cwd=cwd,  # no stray .env from the developer's checkout
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_package_writes_a_zip_teams_admin_accepts(tmp_path: Path) -> None:
    out = tmp_path / "upload" / "school-posts.zip"
    result = run_cli("teams", "package", "--out", str(out), env=TEAMS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert "Upload new app" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    with zipfile.ZipFile(out) as archive:
        # Teams wants the three files at the zip's root, nothing else.
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        document = json.loads(archive.read("manifest.json"))
        color = _png(archive.read("color.png"))
        outline = _png(archive.read("outline.png"))
    assert document["id"] == APP_ID
    [bot] = document["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"team", "personal", "groupChat"}
    assert document["webApplicationInfo"]["id"] == APP_ID
    permissions = document["authorization"]["permissions"]["resourceSpecific"]
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in permissions
    assert document["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert SECRET not in json.dumps(document)
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    # The outline icon: only white and fully transparent pixels.
    rgba = outline.convert("RGBA")
    pixels = {rgba.getpixel((x, y)) for x in range(32) for y in range(32)}
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in pixels)  # type: ignore[index]
    assert any(p[3] == 255 for p in pixels)  # type: ignore[index]


def test_package_defaults_to_a_zip_in_the_current_folder(tmp_path: Path) -> None:
    only_the_id = {"CHATBOT_TEAMS_APP_ID": APP_ID}
    result = run_cli("teams", "package", env=only_the_id, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(tmp_path / "chatbot-teams-app.zip")
    # The package needs only the app id; the note says the bot would still run on Slack.
    assert "CHATBOT_PLATFORM is not teams" in result.stdout


def test_package_into_a_folder_names_the_zip(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("teams", "package", "--out", str(folder), env=TEAMS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(folder / "chatbot-teams-app.zip")


def test_package_without_the_app_id_says_where_to_find_it(tmp_path: Path) -> None:
    env = {k: v for k, v in TEAMS.items() if k != "CHATBOT_TEAMS_APP_ID"}
    result = run_cli("teams", "package", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "CHATBOT_TEAMS_APP_ID is not set" in result.stderr
    assert "Application (client) ID" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "chatbot-teams-app.zip").exists()


def test_package_with_an_app_id_that_is_no_guid_names_the_setting(tmp_path: Path) -> None:
    result = run_cli(
        "teams", "package", env=TEAMS | {"CHATBOT_TEAMS_APP_ID": "school-bot"}, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "CHATBOT_TEAMS_APP_ID" in result.stderr
    assert "not a GUID" in result.stderr
    assert SECRET not in result.stderr
    assert "Traceback" not in result.stderr


def test_package_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "app.zip"
    result = run_cli("teams", "package", "--out", str(out), env=TEAMS, cwd=tmp_path)
    assert result.returncode == 2
    assert f"cannot write {out}" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_on_teams_ready_hides_the_secret(tmp_path: Path) -> None:
    result = run_cli("check-config", env=TEAMS, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert SECRET not in out + result.stderr
    assert "set      CHATBOT_TEAMS_APP_PASSWORD = set (hidden)" in out
    assert f"set      CHATBOT_TEAMS_APP_ID = {APP_ID}" in out
    assert "set      CHATBOT_DRAFTS_CHANNEL = 19:drafts0a1b2c3d@thread.tacv2" in out
    assert f"set      CHATBOT_SLT_USERS = {SLT}" in out
    assert "/api/messages" in out
    assert "port 3978" in out
    assert "missing" not in out
    assert "invalid" not in out
    assert out.rstrip().endswith("ok: ready for `chatbot run`")


def test_check_config_on_teams_says_what_is_missing_and_where_to_find_it(tmp_path: Path) -> None:
    env = {"CHATBOT_PLATFORM": "teams", "CHATBOT_TEAMS_APP_PASSWORD": SECRET}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert SECRET not in out
    assert (
        "missing  CHATBOT_TEAMS_APP_ID (needed by `chatbot run`: the bot's Application "
        "(client) ID, from its app registration)"
    ) in out
    assert "missing  CHATBOT_TEAMS_TENANT_ID (needed by `chatbot run`: " in out
    assert "missing  CHATBOT_DRAFTS_CHANNEL (needed by `chatbot run`: " in out
    assert "missing  CHATBOT_SLT_USERS (needed by `chatbot run`: nobody could approve" in out
    assert "missing  CHATBOT_TEAMS_APP_PASSWORD" not in out
    # Slack's settings are not asked for on Teams.
    assert "SLACK" not in out
    assert out.rstrip().endswith("not ready for `chatbot run`")


def test_check_config_on_teams_catches_the_secret_id_pasted_for_its_value(tmp_path: Path) -> None:
    secret_id = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"
    env = TEAMS | {"CHATBOT_TEAMS_APP_PASSWORD": secret_id, "CHATBOT_SLT_USERGROUP": "S0SLT0001"}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 2
    out = result.stdout
    assert secret_id not in out + result.stderr
    assert "invalid  CHATBOT_TEAMS_APP_PASSWORD looks like the secret's ID, not its value" in out
    assert "invalid  CHATBOT_SLT_USERGROUP is a Slack setting" in out
    assert out.rstrip().endswith("not ready for `chatbot run`")


def test_check_config_on_teams_refuses_the_same_channel_twice(tmp_path: Path) -> None:
    env = TEAMS | {"CHATBOT_APPROVALS_CHANNEL": TEAMS["CHATBOT_DRAFTS_CHANNEL"]}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid  the drafts, approvals and safeguarding channels must be three" in (
        result.stdout
    )


def test_check_config_on_teams_names_a_slack_shaped_setting(tmp_path: Path) -> None:
    env = TEAMS | {"CHATBOT_DRAFTS_CHANNEL": "C0DRAFTS1", "CHATBOT_SLT_USERS": "U0SLT0001"}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid  CHATBOT_DRAFTS_CHANNEL: 'C0DRAFTS1' is not a Teams channel id" in (
        result.stdout
    )
    assert "invalid  CHATBOT_SLT_USERS: 'U0SLT0001' is not an Entra object id" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_run_on_teams_names_each_missing_setting_in_teams_words(tmp_path: Path) -> None:
    env = {
        k: v for k, v in TEAMS.items() if k not in ("CHATBOT_TEAMS_TENANT_ID", "CHATBOT_SLT_USERS")
    }
    result = run_cli("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "CHATBOT_TEAMS_TENANT_ID is not set: the school's Directory (tenant) ID" in result.stderr
    assert "CHATBOT_SLT_USERS is not set: nobody could approve a post" in result.stderr
    assert "Slack" not in result.stderr
    assert "USERGROUP" not in result.stderr
    assert SECRET not in result.stdout + result.stderr
