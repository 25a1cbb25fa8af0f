"""The Teams app package a school uploads in Teams admin, and the Teams part of check-config.

`build_package(settings, path)` writes one zip: ``manifest.json`` (the bot with the app id from
settings, its scopes, the resource-specific permission ``ChannelMessage.Read.Group`` so that the
bot receives every top-level message in the drafts channel without an @mention) and the two
icons Teams requires, drawn here with Pillow: ``color.png`` 192x192 and ``outline.png`` 32x32,
white on transparent.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from chatbot.settings import Settings

# The newest app manifest schema that Teams documents as generally available.
MANIFEST_VERSION = "1.22"
MANIFEST_SCHEMA = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/"
    "MicrosoftTeams.schema.json"
)
RSC_PERMISSION = "ChannelMessage.Read.Group"
ACCENT = (31, 78, 121)  # a dark blue, legible behind the white icon
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True)
class BotCommand:
    title: str  # what the person types after the bot's name, at most 32 characters
    description: str  # at most 128 characters


@dataclass(frozen=True)
class Publisher:
    name: str = "Hunts Cross Primary School"
    website_url: str = "https://www.huntscross.liverpool.sch.uk/"
    privacy_url: str = "https://www.huntscross.liverpool.sch.uk/privacy"
    terms_url: str = "https://www.huntscross.liverpool.sch.uk/terms"


def app_version() -> str:
    """The package's version: the bot's own, so that an upgrade's manifest is newer."""
    try:
        version = metadata.version("chatbot")
    except metadata.PackageNotFoundError:
        return "1.0.0"
    return version if _SEMVER.match(version) else "1.0.0"


def manifest(
    settings: Settings,
    *,
    publisher: Publisher | None = None,
    commands: Sequence[BotCommand] = (),
    version: str | None = None,
) -> dict[str, Any]:
    app_id = settings.teams_app_id
    if app_id is None or not _GUID.match(app_id):
        raise ValueError("CHATBOT_TEAMS_APP_ID must be set to the bot's app id (a GUID)")
    who = publisher or Publisher()
    bot: dict[str, Any] = {
        "botId": app_id,
        "scopes": ["team", "personal", "groupChat"],
        "supportsFiles": False,
        "isNotificationOnly": False,
    }
    if commands:
        bot["commandLists"] = [
            {
                "scopes": ["team", "personal", "groupChat"],
                "commands": [
                    {"title": c.title[:32], "description": c.description[:128]} for c in commands
                ],
            }
        ]
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version or app_version(),
        "id": app_id,
        "developer": {
            "name": who.name,
            "websiteUrl": who.website_url,
            "privacyUrl": who.privacy_url,
            "termsOfUseUrl": who.terms_url,
        },
        "name": {"short": "School posts", "full": "School posts: drafts, approval and X"},
        "description": {
            "short": "Checks staff drafts against the school's policy and posts approved ones.",
            "full": (
                "Staff post drafts for the school's X account in the drafts channel. The bot reads "
                "every top-level message in that channel (the ChannelMessage.Read.Group "
                "permission), checks it against the school's social media policy, asks who is in "
                "the photos, and sends an approval card to senior leaders. Approved posts are "
                "published once. Safeguarding alerts go to the safeguarding channel. Messages "
                "in other channels are ignored and not stored."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [bot],
        "validDomains": [],
        "webApplicationInfo": {"id": app_id, "resource": "https://RscPermission"},
        "authorization": {
            "permissions": {
                "resourceSpecific": [{"name": RSC_PERMISSION, "type": "Application"}],
            }
        },
    }


def _bubble(draw: ImageDraw.ImageDraw, size: int, fill: Any, outline_width: int | None) -> None:
    # A speech bubble with a tick: "a message, checked".
    m = size // 6
    box = (m, m, size - m, size - m - size // 6)
    radius = size // 8
    tail = [
        (m + size // 5, box[3] - 1),
        (m + size // 5, size - m),
        (m + size // 5 + size // 5, box[3] - 1),
    ]
    if outline_width is None:
        draw.rounded_rectangle(box, radius=radius, fill=fill)
        draw.polygon(tail, fill=fill)
        return
    draw.rounded_rectangle(box, radius=radius, outline=fill, width=outline_width)
    draw.line([tail[0], tail[1], tail[2]], fill=fill, width=outline_width)


def _tick(draw: ImageDraw.ImageDraw, size: int, fill: Any, width: int) -> None:
    cx, cy = size / 2, size / 2 - size / 12
    points = [
        (cx - size / 6, cy),
        (cx - size / 24, cy + size / 8),
        (cx + size / 5, cy - size / 8),
    ]
    draw.line(points, fill=fill, width=width, joint="curve")


def color_icon() -> bytes:
    size = 192
    image = Image.new("RGBA", (size, size), (*ACCENT, 255))
    draw = ImageDraw.Draw(image)
    _bubble(draw, size, (255, 255, 255, 255), None)
    _tick(draw, size, (*ACCENT, 255), 14)
    return _png(image)


def outline_icon() -> bytes:
    # Teams requires only white and transparent pixels; drawing without anti-aliasing keeps it so.
    size = 32
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    _bubble(draw, size, (255, 255, 255, 255), 2)
    _tick(draw, size, (255, 255, 255, 255), 2)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def build_package(
    settings: Settings,
    path: Path,
    *,
    publisher: Publisher | None = None,
    commands: Sequence[BotCommand] = (),
) -> Path:
    """Write the app zip to ``path`` (three files at its root, as Teams wants) and return it."""
    document = manifest(settings, publisher=publisher, commands=commands)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(document, indent=2, ensure_ascii=False))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return path


def check_teams_settings(settings: Settings) -> list[str]:
    """What is wrong or missing in the Teams settings, in plain words (empty when all is well)."""
    problems: list[str] = []
    required = {
        "CHATBOT_TEAMS_APP_ID": settings.teams_app_id,
        "CHATBOT_TEAMS_APP_PASSWORD": settings.teams_app_password,
        "CHATBOT_TEAMS_TENANT_ID": settings.teams_tenant_id,
        "CHATBOT_DRAFTS_CHANNEL": settings.drafts_channel,
        "CHATBOT_APPROVALS_CHANNEL": settings.approvals_channel,
        "CHATBOT_SAFEGUARDING_CHANNEL": settings.safeguarding_channel,
    }
    for name, value in required.items():
        if value is None:
            problems.append(f"{name} is not set ({_WHERE[name]})")
    if not settings.slt_users:
        problems.append(
            "CHATBOT_SLT_USERS is not set: nobody could approve a post (the senior leaders' "
            "Entra object ids, separated by commas)"
        )
    if settings.platform != "teams":
        problems.append("CHATBOT_PLATFORM is not teams: the bot would run on Slack")
    password = settings.teams_app_password
    if password is not None and _GUID.match(password.get_secret_value()):
        problems.append(
            "CHATBOT_TEAMS_APP_PASSWORD looks like the secret's ID, not its value: copy the "
            "Value column when you create the client secret (it is shown only once)"
        )
    if settings.teams_app_id and settings.teams_app_id == settings.teams_tenant_id:
        problems.append(
            "CHATBOT_TEAMS_APP_ID and CHATBOT_TEAMS_TENANT_ID are the same: the app id is the "
            "Application (client) ID, the tenant id is the Directory (tenant) ID"
        )
    channels = [
        c
        for c in (
            settings.drafts_channel,
            settings.approvals_channel,
            settings.safeguarding_channel,
        )
        if c
    ]
    if len(set(channels)) != len(channels):
        problems.append(
            "the drafts, approvals and safeguarding channels must be three different channels"
        )
    for user in settings.slt_users:
        if not _GUID.match(user):
            problems.append(f"CHATBOT_SLT_USERS: {user!r} is not an Entra object id")
    if settings.slt_usergroup:
        problems.append("CHATBOT_SLT_USERGROUP is a Slack setting; on Teams list CHATBOT_SLT_USERS")
    service_url = settings.teams_service_url
    loopback = re.match(r"^http://(127\.0\.0\.1|localhost)[:/]", service_url or "")
    if service_url and not service_url.startswith("https://") and not loopback:
        problems.append(
            "CHATBOT_TEAMS_SERVICE_URL must be https (Teams gives one like "
            "https://smba.trafficmanager.net/emea/)"
        )
    return problems


_WHERE = {
    "CHATBOT_TEAMS_APP_ID": "the bot's Application (client) ID, from its app registration",
    "CHATBOT_TEAMS_APP_PASSWORD": "a client secret's value from the app registration",
    "CHATBOT_TEAMS_TENANT_ID": "the school's Directory (tenant) ID",
    "CHATBOT_DRAFTS_CHANNEL": "the Teams channel id where staff post drafts",
    "CHATBOT_APPROVALS_CHANNEL": "the Teams channel id where SLT approve",
    "CHATBOT_SAFEGUARDING_CHANNEL": "the Teams channel id for safeguarding alerts",
}

__all__ = [
    "MANIFEST_VERSION",
    "RSC_PERMISSION",
    "BotCommand",
    "Publisher",
    "build_package",
    "check_teams_settings",
    "manifest",
]
