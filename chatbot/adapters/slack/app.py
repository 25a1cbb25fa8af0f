"""The Bolt app: Slack's events and interactions wired to the listeners.

`chatbot run` starts it in Socket Mode; tests dispatch payloads through it directly.
"""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.slack.alert_listeners import ReaderFactory, register_alert_listeners
from chatbot.adapters.slack.gateway import SlackGateway
from chatbot.adapters.slack.listeners import Deps, register_all
from chatbot.adapters.slack.people import UserNames
from chatbot.adapters.slack.slt import SltDirectory
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.settings import Settings

# What the app registers, for the manifest test to compare against manifest.yml.
EVENTS: tuple[str, ...] = ("message", "app_home_opened", "subteam_members_changed")
# Slack subscriptions that deliver those events (public and private channels).
EVENT_SUBSCRIPTIONS: tuple[str, ...] = (
    "message.channels",
    "message.groups",
    "message.im",  # the register sent to the bot by the school office
    "app_home_opened",
    "subteam_members_changed",
)
ACTION_IDS: tuple[str, ...] = (
    "draft_declare",
    "draft_approve",
    "draft_schedule",
    "draft_reject",
    "draft_override",
    "draft_retry",
    "draft_mark_published",
    "draft_takedown",
    "draft_cancel_schedule",
    "draft_edit",  # composed drafts: the author's own buttons
    "draft_withdraw",
    "name_is_pupil",  # "Is 'Frank' here one of our pupils?" (value: "<draft id>:<question>")
    "name_not_pupil",
    "register_import_confirm",  # the office's "Import" under a register sent in a DM
)
CALLBACK_IDS: tuple[str, ...] = (
    "declare_photos",
    "reject_reason",
    "override_reason",
    "schedule_post",
    "mark_published",
    "takedown_reason",
    "compose_draft",
    "record_consent",
)
OPTIONS_ACTION_IDS: tuple[str, ...] = ("pictured_pupils", "consent_pupil")
COMMANDS: tuple[str, ...] = ("/tweet", "/consent")
SHORTCUTS: tuple[str, ...] = ("submit_as_draft",)  # a message shortcut
# Bot scopes the listeners and the gateway use.
BOT_SCOPES: tuple[str, ...] = (
    "channels:history",
    "groups:history",
    "chat:write",
    "reactions:write",
    "files:read",
    "usergroups:read",
    "users:read",
    "im:write",
    "im:history",
    "commands",
)


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    client: WebClient | None = None,
    process_before_response: bool = False,
    gateway: SlackGateway | None = None,
    policy: Policy | None = None,
    reader_factory: ReaderFactory | None = None,
) -> App:
    """The app with every listener. `chatbot.bootstrap` passes the gateway the worker shares
    (one card lock), the policy and the X reader it made; tests may leave them out."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    if client is None:
        client = WebClient(token=token, base_url=settings.slack_api_url, proxy=settings.proxy_url)
    app = App(
        client=client,  # carries the bot token
        token_verification_enabled=False,
        request_verification_enabled=False,  # Socket Mode: Slack's connection is the proof
        process_before_response=process_before_response,
    )
    if gateway is None:
        gateway = SlackGateway(settings, sessions, client)
    if policy is None:
        policy = load_policy(settings.policy_file)
    slt = SltDirectory(settings.slt_users, settings.slt_usergroup, client)
    names = UserNames(client)
    deps = Deps(settings, sessions, gateway, slt, policy, names)
    register_all(app, deps)  # with the name questions' buttons
    register_alert_listeners(
        app,
        settings,
        sessions,
        is_slt=slt.is_slt,
        gateway=gateway,
        reader_factory=reader_factory,
        name_of=names.name_of,
    )
    return app
