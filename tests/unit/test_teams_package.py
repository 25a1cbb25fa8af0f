"""The Teams app package: manifest.json against the schema's structure, the icons Teams wants."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image
from pydantic import SecretStr

from chatbot.adapters.teams.package import (
    MANIFEST_VERSION,
    BotCommand,
    build_package,
    check_teams_settings,
    manifest,
)
from chatbot.settings import Settings

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "teams-manifest-schema-subset.json").read_text()
)
APP_ID = "0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"
TENANT = "5e1a7c2d-8b3f-4a6e-9d0c-1f2e3d4c5b6a"
SLT = "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("CHATBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "platform": "teams",
        "teams_app_id": APP_ID,
        "teams_app_password": SecretStr("Qx8~secret.value-that-is-not-a-guid"),
        "teams_tenant_id": TENANT,
        "drafts_channel": "19:drafts0a1b2c3d@thread.tacv2",
        "approvals_channel": "19:approvals4e5f@thread.tacv2",
        "safeguarding_channel": "19:safe6a7b8c9d@thread.tacv2",
        "slt_users": (SLT,),
    }
    values.update(overrides)
    return Settings(**values)


def _open(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_package_holds_a_valid_manifest_and_two_icons(tmp_path: Path) -> None:
    files = _open(build_package(_settings(), tmp_path / "out" / "teams-app.zip"))
    assert sorted(files) == ["color.png", "manifest.json", "outline.png"]
    document = json.loads(files["manifest.json"])
    jsonschema.validate(document, SCHEMA)
    assert document["manifestVersion"] == MANIFEST_VERSION
    assert document["id"] == APP_ID
    assert document["bots"][0]["botId"] == APP_ID
    assert sorted(document["bots"][0]["scopes"]) == ["groupChat", "personal", "team"]
    assert document["webApplicationInfo"]["id"] == APP_ID
    assert document["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert document["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert "commandLists" not in document["bots"][0]


def test_icons_have_the_sizes_and_colours_teams_requires(tmp_path: Path) -> None:
    files = _open(build_package(_settings(), tmp_path / "teams-app.zip"))
    color = Image.open(io.BytesIO(files["color.png"]))
    assert color.format == "PNG"
    assert color.size == (192, 192)
    colours = color.convert("RGB").getcolors(maxcolors=192 * 192) or []
    assert len(colours) >= 2  # a picture, not a blank square
    outline = Image.open(io.BytesIO(files["outline.png"])).convert("RGBA")
    assert outline.size == (32, 32)
    pixels = [colour for _, colour in outline.getcolors(maxcolors=32 * 32) or []]
    visible = [p for p in pixels if p[3] > 0]
    assert visible, "the outline icon is empty"
    assert any(p[3] == 0 for p in pixels), "the outline icon needs a transparent background"
    assert all(p[:3] == (255, 255, 255) for p in visible), "outline pixels must be white"


def test_commands_are_listed_when_given() -> None:
    document = manifest(
        _settings(), commands=[BotCommand("help", "What the bot does and who can approve")]
    )
    jsonschema.validate(document, SCHEMA)
    assert document["bots"][0]["commandLists"][0]["commands"] == [
        {"title": "help", "description": "What the bot does and who can approve"}
    ]


def test_a_package_needs_the_app_id() -> None:
    with pytest.raises(ValueError, match="CHATBOT_TEAMS_APP_ID"):
        manifest(_settings(teams_app_id=None))


def test_the_schema_subset_can_fail() -> None:
    document = manifest(_settings())
    document["name"]["short"] = "x" * 31
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_complete_settings_have_no_problems() -> None:
    assert check_teams_settings(_settings()) == []


def test_problems_in_plain_words() -> None:
    problems = check_teams_settings(
        _settings(
            teams_app_password=SecretStr("3f2b1a0c-1234-4abc-8def-0123456789ab"),
            teams_tenant_id=APP_ID,
            approvals_channel="19:drafts0a1b2c3d@thread.tacv2",
            safeguarding_channel=None,
            slt_users=(),
        )
    )
    text = "\n".join(problems)
    assert "CHATBOT_SAFEGUARDING_CHANNEL is not set" in text
    assert "CHATBOT_SLT_USERS is not set" in text
    assert "secret's ID, not its value" in text
    assert "are the same" in text
    assert "three different channels" in text
    assert "3f2b1a0c" not in text  # never the secret, even a mistaken one


def test_the_platform_must_be_teams() -> None:
    problems = check_teams_settings(
        _settings(
            platform="slack",
            drafts_channel=None,
            approvals_channel=None,
            safeguarding_channel=None,
            slt_users=(),
        )
    )
    assert any("CHATBOT_PLATFORM" in p for p in problems)
