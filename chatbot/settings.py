"""Every knob of the bot, read from the environment, `.env` or a secrets directory.

Names are a contract (see DESIGN.md): all prefixed ``CHATBOT_``. Tokens are ``SecretStr`` so they
print as ``**********`` in reprs, logs and error messages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from chatbot.resources import default_policy_file

SLACK_API_DEFAULT = "https://slack.com/api/"
X_API_DEFAULT = "https://api.x.com"
TEAMS_OPENID_DEFAULT = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TEAMS_AUTHORITY_DEFAULT = "https://login.microsoftonline.com"

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{6,}$")
# Teams: channel ids as Teams shows them, people as Entra object ids (aadObjectId).
_TEAMS_CHANNEL_ID = re.compile(r"^19:[^@\s]+@thread\.(tacv2|skype)$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def _secrets_dir() -> str | None:
    # Docker/systemd credentials: one file per setting, named like the variable.
    path = os.environ.get("CHATBOT_SECRETS_DIR")
    return path if path and Path(path).is_dir() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHATBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        hide_input_in_errors=True,
        env_ignore_empty=True,  # `CHATBOT_X=` in a .env means "not set", not "invalid"
    )

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("chatbot")))
    database_url: str | None = None
    # Declared before the channels and users: their validators read it.
    platform: Literal["slack", "teams"] = "slack"

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    drafts_channel: str | None = None
    approvals_channel: str | None = None
    safeguarding_channel: str | None = None
    slt_users: Annotated[tuple[str, ...], NoDecode] = ()
    slt_usergroup: str | None = None
    # The school office: they record consent from chat (SLT may too). Optional.
    office_users: Annotated[tuple[str, ...], NoDecode] = ()

    x_api_key: SecretStr | None = None
    x_api_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_token_secret: SecretStr | None = None
    x_bearer_token: SecretStr | None = None
    x_api_url: str = X_API_DEFAULT

    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    teams_tenant_id: str | None = None
    teams_port: int = Field(default=3978, ge=1, le=65535)
    teams_openid_url: str = TEAMS_OPENID_DEFAULT
    teams_authority_url: str = TEAMS_AUTHORITY_DEFAULT
    teams_service_url: str | None = None

    policy_file: Path = Field(default_factory=default_policy_file)
    proxy_url: str | None = None
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("CHATBOT_LOG_LEVEL"))

    @field_validator("platform", mode="before")
    @classmethod
    def _check_platform(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.strip().lower()
        if value not in ("slack", "teams"):
            raise ValueError(f"{value!r} is not a chat platform: use slack or teams")
        return value

    @field_validator("slt_users", "office_users", mode="before")
    @classmethod
    def _split_users(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("slt_users", "office_users")
    @classmethod
    def _check_users(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if info.data.get("platform") == "teams":
            for user in value:
                if not _GUID.match(user):
                    raise ValueError(
                        f"{user!r} is not an Entra object id (like "
                        "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f); find it in Entra admin centre > "
                        "Users > the person > Object ID"
                    )
            return value
        for user in value:
            if not _USER_ID.match(user):
                raise ValueError(
                    f"{user!r} is not a Slack user id (like U012AB3CD); copy it from the "
                    "person's Slack profile: More > Copy member ID"
                )
        return value

    @field_validator("drafts_channel", "approvals_channel", "safeguarding_channel")
    @classmethod
    def _check_channel(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("platform") == "teams":
            if value is not None and not _TEAMS_CHANNEL_ID.match(value):
                raise ValueError(
                    f"{value!r} is not a Teams channel id (like 19:abc123@thread.tacv2); in "
                    "Teams choose the channel's ... > Get link to channel and copy the part "
                    "after /channel/, URL-decoded"
                )
            return value
        if value is not None and not _CHANNEL_ID.match(value):
            raise ValueError(
                f"{value!r} is not a Slack channel id (like C012AB3CD); open the channel's "
                "details in Slack and copy the id at the bottom"
            )
        return value

    @field_validator("slt_usergroup")
    @classmethod
    def _check_group(cls, value: str | None) -> str | None:
        if value is not None and not _GROUP_ID.match(value):
            raise ValueError(f"{value!r} is not a Slack user group id (like S012AB3CD)")
        return value

    @field_validator("slack_api_url", "x_api_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("teams_openid_url", "teams_authority_url")
    @classmethod
    def _check_https_url(cls, value: str) -> str:
        # Keys and tokens only ever come over TLS; tests bring their own CA instead.
        if not re.match(r"^https://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an https URL")
        return value

    @field_validator("teams_service_url")
    @classmethod
    def _check_service_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(
                f"{value!r} is not an http(s) URL (Teams gives one like "
                "https://smba.trafficmanager.net/emea/)"
            )
        return value

    @field_validator("teams_app_id", "teams_tenant_id")
    @classmethod
    def _check_guid(cls, value: str | None) -> str | None:
        if value is not None and not _GUID.match(value):
            raise ValueError(
                f"{value!r} is not a GUID (like 8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f); copy it "
                "from the app registration's Overview page in Entra admin centre"
            )
        return value

    @field_validator("proxy_url")
    @classmethod
    def _check_proxy(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(https?|socks5h?)://[^/\s]+", value):
            raise ValueError("the proxy must be a URL like http://proxy.school.local:8080")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _check_bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb- (Slack app > OAuth & Permissions)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _check_app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "an app-level token starts with xapp- (Slack app > Basic Information > "
                "App-Level Tokens, scope connections:write)"
            )
        return value

    @model_validator(mode="after")
    def _normalise(self) -> Settings:
        # Slack's base URL must end with "/" for slack_sdk to join method names onto it.
        if not self.slack_api_url.endswith("/"):
            self.slack_api_url += "/"
        self.x_api_url = self.x_api_url.rstrip("/")
        self.teams_authority_url = self.teams_authority_url.rstrip("/")
        return self

    # -- derived ---------------------------------------------------------------------------

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'chatbot.sqlite3'}"

    @property
    def x_credentials_complete(self) -> bool:
        return all(
            (self.x_api_key, self.x_api_secret, self.x_access_token, self.x_access_token_secret)
        )

    def missing_for_run(self) -> list[str]:
        """Settings `chatbot run` cannot start without, as their environment names."""
        if self.platform == "teams":
            return self._missing_for_teams()
        missing = [
            name
            for name in (
                "slack_bot_token",
                "slack_app_token",
                "drafts_channel",
                "approvals_channel",
                "safeguarding_channel",
            )
            if getattr(self, name) is None
        ]
        if not self.slt_users and self.slt_usergroup is None:
            missing.append("slt_users")
        return [f"CHATBOT_{name.upper()}" for name in missing]

    def _missing_for_teams(self) -> list[str]:
        missing = [
            name
            for name in (
                "teams_app_id",
                "teams_app_password",
                "teams_tenant_id",
                "drafts_channel",
                "approvals_channel",
                "safeguarding_channel",
            )
            if getattr(self, name) is None
        ]
        if not self.slt_users:
            missing.append("slt_users")
        return [f"CHATBOT_{name.upper()}" for name in missing]


class SettingsError(Exception):
    """Settings that failed validation, described per setting without any secret value."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = [f"{name}: {message}" for name, message in problems]
        super().__init__("invalid settings:\n  " + "\n  ".join(lines))


class PolicyFileSetting(BaseSettings):
    """The policy file alone, read from where `Settings` reads it: `chatbot check` needs nothing
    else, and a half-finished Slack set-up must not change which policy it checks against."""

    model_config = Settings.model_config
    policy_file: Path = Field(default_factory=default_policy_file)


def load_policy_file_setting() -> Path:
    return PolicyFileSetting(_secrets_dir=_secrets_dir()).policy_file


def load_settings(**overrides: Any) -> Settings:
    """Read settings, raising `SettingsError` that names each bad setting (never its value)."""
    try:
        return Settings(_secrets_dir=_secrets_dir(), **overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            field = str(error["loc"][0]) if error["loc"] else "settings"
            message = error["msg"].removeprefix("Value error, ")
            problems.append((f"CHATBOT_{field.upper()}", message))
        raise SettingsError(problems) from None
