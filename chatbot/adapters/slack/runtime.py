"""Slack's side of `chatbot run`: start-up checks and the Socket Mode connection.

Start-up checks turn Slack's terse errors into a sentence that names the setting and the fix,
because the person reading them is a school's IT technician, not a Slack developer. Messages that
could carry a secret go through `redact` (tokens, proxy passwords).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from chatbot.adapters.slack.socket_mode import ConnectionLog
from chatbot.lifecycle import EXIT_UNAVAILABLE, StartupError
from chatbot.logs import redact

if TYPE_CHECKING:
    from pydantic import SecretStr
    from slack_bolt import App

    from chatbot.adapters.slack.socket_mode import SocketModeHandler
    from chatbot.settings import Settings

log = logging.getLogger("chatbot.run")


@dataclass(frozen=True, slots=True)
class SlackIdentity:
    """Who the bot is in the workspace (from auth.test)."""

    team: str
    team_id: str
    bot_user_id: str
    bot_id: str
    bot_name: str


# -- start-up checks -------------------------------------------------------------------------

_REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "no_permission",
    }
)


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "unknown_error")


@contextmanager
def _reachable(settings: Settings) -> Iterator[None]:
    """Turn network failures into one clear message (never the token or proxy password)."""
    try:
        yield
    except SlackApiError:
        raise
    except OSError as exc:  # URLError, timeouts, refused connections, TLS failures
        reason = getattr(exc, "reason", None) or exc
        proxy = " through CHATBOT_PROXY_URL" if settings.proxy_url else ""
        raise StartupError(
            redact(
                f"cannot reach Slack at {settings.slack_api_url}{proxy} ({reason}): check the "
                "network connection, and CHATBOT_PROXY_URL if the school's network needs a proxy"
            ),
            EXIT_UNAVAILABLE,
        ) from None


def check_bot_token(client: WebClient, settings: Settings) -> SlackIdentity:
    with _reachable(settings):
        try:
            answer = client.auth_test()
        except SlackApiError as exc:
            error = _error(exc)
            if error in _REFUSED:
                raise StartupError(
                    f"CHATBOT_SLACK_BOT_TOKEN was refused by Slack ({error}): reinstall the app "
                    "(api.slack.com/apps > your app > OAuth & Permissions > Reinstall to "
                    "Workspace) and copy the new Bot User OAuth Token (it starts with xoxb-)"
                ) from None
            raise StartupError(
                f"Slack's auth.test failed ({error}) for CHATBOT_SLACK_BOT_TOKEN",
                EXIT_UNAVAILABLE,
            ) from None
    return SlackIdentity(
        team=str(answer.get("team") or ""),
        team_id=str(answer.get("team_id") or ""),
        bot_user_id=str(answer.get("user_id") or ""),
        bot_id=str(answer.get("bot_id") or ""),
        bot_name=str(answer.get("user") or "chatbot"),
    )


def _secret(value: SecretStr | None, env: str) -> str:
    # `chatbot run` checks missing_for_run() first; this keeps library callers honest too.
    if value is None:
        raise StartupError(f"{env} is not set")
    return value.get_secret_value()


def check_app_token(client: WebClient, settings: Settings) -> list[str]:
    app_token = _secret(settings.slack_app_token, "CHATBOT_SLACK_APP_TOKEN")
    with _reachable(settings):
        try:
            client.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            error = _error(exc)
            fix = (
                "create an app-level token with the connections:write scope (api.slack.com/apps "
                "> your app > Basic Information > App-Level Tokens) and copy it (it starts "
                "with xapp-)"
            )
            if error not in _REFUSED:
                fix = "check that Socket Mode is on (your app > Socket Mode), or " + fix
            return [f"CHATBOT_SLACK_APP_TOKEN was refused by Slack ({error}): {fix}"]
    return []


_CHANNEL_SETTINGS = (
    ("CHATBOT_DRAFTS_CHANNEL", "drafts_channel"),
    ("CHATBOT_APPROVALS_CHANNEL", "approvals_channel"),
    ("CHATBOT_SAFEGUARDING_CHANNEL", "safeguarding_channel"),
)


def check_channels(client: WebClient, settings: Settings, identity: SlackIdentity) -> list[str]:
    problems: list[str] = []
    # One id pasted twice would put SLT cards or safeguarding alerts in front of all staff.
    seen: dict[str, str] = {}
    for env, attr in _CHANNEL_SETTINGS:
        channel_id = getattr(settings, attr)
        if channel_id in seen:
            problems.append(
                f"{seen[channel_id]} and {env} are the same channel ({channel_id}): the bot needs "
                "three separate channels for drafts, approvals and safeguarding alerts"
            )
        seen.setdefault(channel_id, env)
    bot = f"@{identity.bot_name}"
    for env, attr in _CHANNEL_SETTINGS:
        channel_id = getattr(settings, attr)
        with _reachable(settings):
            try:
                channel: dict[str, Any] = client.conversations_info(channel=channel_id)["channel"]
            except SlackApiError as exc:
                error = _error(exc)
                if error == "channel_not_found":
                    problems.append(
                        f"{env} ({channel_id}) was not found: check the id (open the channel, "
                        "click its name, the id is at the bottom), and for a private channel "
                        f"invite the bot first: /invite {bot}"
                    )
                elif error == "missing_scope":
                    problems.append(
                        f"the bot may not look up {env} ({channel_id}) (missing_scope): update the "
                        "app from manifest.yml (it needs channels:read and groups:read) and "
                        "reinstall it"
                    )
                else:
                    problems.append(f"{env} ({channel_id}): Slack answered {error}")
                continue
        name = str(channel.get("name") or channel_id)
        if channel.get("is_archived"):
            problems.append(
                f"{env} ({channel_id}) is #{name}, which is archived: unarchive it or choose "
                "another channel"
            )
        elif not channel.get("is_member"):
            problems.append(
                f"the bot is not a member of #{name} ({env} = {channel_id}): invite the bot: "
                f"/invite {bot} in #{name}"
            )
        if attr == "safeguarding_channel" and channel.get("is_private") is False:
            log.warning(
                "%s (#%s) is a public channel: safeguarding alerts should go to a private one",
                env,
                name,
            )
    return problems


def check_slt(client: WebClient, settings: Settings) -> list[str]:
    if settings.slt_usergroup is None:
        return []
    group = settings.slt_usergroup
    with _reachable(settings):
        try:
            users = client.usergroups_users_list(usergroup=group).get("users") or []
        except SlackApiError as exc:
            error = _error(exc)
            if error == "paid_teams_only":
                fix = (
                    "user groups need a paid Slack plan: list the SLT in CHATBOT_SLT_USERS instead"
                )
            elif error == "no_such_subteam":
                fix = "no such user group: check the id (like S012AB3CD)"
            elif error == "missing_scope":
                fix = "update the app from manifest.yml (usergroups:read) and reinstall it"
            else:
                fix = "Slack could not list its members"
            return [f"CHATBOT_SLT_USERGROUP ({group}) ({error}): {fix}"]
    if not users and not settings.slt_users:
        return [
            f"CHATBOT_SLT_USERGROUP ({group}) has no members and CHATBOT_SLT_USERS is empty: "
            "nobody could approve a post"
        ]
    return []


def check_slack(client: WebClient, settings: Settings) -> SlackIdentity:
    """Every start-up check; raises `StartupError` listing all the problems found."""
    identity = check_bot_token(client, settings)
    problems = check_app_token(client, settings)
    problems += check_channels(client, settings, identity)
    problems += check_slt(client, settings)
    if problems:
        raise StartupError("\n".join(problems))
    return identity


# -- Socket Mode -----------------------------------------------------------------------------


def socket_mode_handler(app: App, settings: Settings, conn_log: ConnectionLog) -> SocketModeHandler:
    """Bolt on our Socket Mode client (adapters/slack/socket_mode.py says why not the built-in)."""
    from chatbot.adapters.slack.socket_mode import SocketModeHandler

    handler = SocketModeHandler(
        app,
        _secret(settings.slack_app_token, "CHATBOT_SLACK_APP_TOKEN"),
        proxy=settings.proxy_url,
        # The app's client carries the base URL and proxy; apps.connections.open is sent with
        # the app token explicitly, so the bot token is not used for it.
        web_client=app.client,
        # Under slack_sdk so that configure_logging keeps it off DEBUG.
        logger=logging.getLogger("slack_sdk.socket_mode"),
    )
    handler.client.on_message_listeners.append(conn_log.on_message)
    handler.client.on_lost_listeners.append(conn_log.on_lost)
    handler.client.on_error_listeners.append(conn_log.on_error)
    return handler


def make_client(settings: Settings) -> WebClient:
    return WebClient(
        token=_secret(settings.slack_bot_token, "CHATBOT_SLACK_BOT_TOKEN"),
        base_url=settings.slack_api_url,
        proxy=settings.proxy_url,
    )


class SocketModeConnection:
    """The open Socket Mode connection, as `chatbot.lifecycle` stops it."""

    def __init__(self, handler: SocketModeHandler, conn_log: ConnectionLog) -> None:
        self.handler = handler
        self.conn_log = conn_log

    def close(self) -> None:
        self.conn_log.closing = True  # the close that follows is ours, not a drop
        # close() ends the connection and waits for the listeners already running.
        self.handler.client.close()


def connect(app: App, settings: Settings) -> SocketModeConnection:
    """Open the Socket Mode connection for `app`, or a `StartupError` saying what to check."""
    conn_log = ConnectionLog()
    handler = socket_mode_handler(app, settings, conn_log)
    try:
        with _reachable(settings):
            handler.client.connect()
    except StartupError:
        raise
    except Exception as exc:  # websockets' InvalidHandshake, InvalidStatus, ...
        detail = _error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        raise StartupError(
            f"cannot open the Socket Mode connection ({detail}): check CHATBOT_SLACK_APP_TOKEN, "
            "that Socket Mode is on, and CHATBOT_PROXY_URL if the school uses a proxy",
            EXIT_UNAVAILABLE,
        ) from None
    return SocketModeConnection(handler, conn_log)
