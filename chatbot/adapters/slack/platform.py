"""Slack as `chatbot.bootstrap` sees a chat platform: one WebClient, one gateway shared by the
listeners, the worker and the monitors (one card lock), and `start` for `chatbot run`."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.adapters.slack.alert_listeners import ReaderFactory
    from chatbot.adapters.slack.alerts import SlackAlertChat
    from chatbot.adapters.slack.gateway import SlackGateway
    from chatbot.adapters.slack.runtime import SocketModeConnection
    from chatbot.domain.networks import NetworkLimits
    from chatbot.policy.model import Policy
    from chatbot.settings import Settings

log = logging.getLogger("chatbot.run")


class SlackPlatform:
    """Made by bootstrap; every Slack object of the process comes from here, on first use."""

    def __init__(
        self, settings: Settings, sessions: sessionmaker[Session], limits: NetworkLimits
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.limits = limits

    def can_notify(self) -> bool:
        """Enough is set to tell SLT (the worker's notices, reminders and alerts)."""
        return (
            self.settings.slack_bot_token is not None
            and self.settings.approvals_channel is not None
        )

    @cached_property
    def client(self) -> WebClient:
        from chatbot.adapters.slack.runtime import make_client

        return make_client(self.settings)

    @cached_property
    def slack_gateway(self) -> SlackGateway:
        from chatbot.adapters.slack.gateway import SlackGateway

        return SlackGateway(self.settings, self.sessions, self.client, limits=self.limits)

    @cached_property
    def gateway(self) -> SlackAlertChat:
        """The chat port for the worker and the monitors: the gateway, with full alert cards
        and the staff message with a button."""
        from chatbot.adapters.slack.alerts import SlackAlertChat

        return SlackAlertChat(self.slack_gateway, self.settings, self.sessions, self.client)

    def start(self, policy: Policy, reader: ReaderFactory) -> SocketModeConnection:
        """Check Slack, build the app on the shared gateway, connect (or `StartupError`)."""
        from chatbot.adapters.slack.app import create_app
        from chatbot.adapters.slack.runtime import check_slack, connect

        identity = check_slack(self.client, self.settings)
        log.info("signed in to %s as @%s", identity.team or identity.team_id, identity.bot_name)
        app = create_app(
            self.settings,
            self.sessions,
            client=self.client,
            gateway=self.slack_gateway,
            policy=policy,
            reader_factory=reader,
        )
        return connect(app, self.settings)


def platform(
    settings: Settings, sessions: sessionmaker[Session], limits: NetworkLimits
) -> SlackPlatform:
    """The entry `chatbot.bootstrap.PLATFORMS` names."""
    return SlackPlatform(settings, sessions, limits)
