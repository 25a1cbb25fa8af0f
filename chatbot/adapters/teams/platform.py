"""Teams as `chatbot.bootstrap` sees a chat platform: one token source, one service-URL guard,
one gateway shared by the routes, the worker and the monitors (one set of card locks), and
`start` for `chatbot run`: the start-up checks, then ``POST /api/messages`` served on
CHATBOT_TEAMS_PORT from a thread of its own (the worker keeps the main thread)."""

from __future__ import annotations

import asyncio
import logging
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from chatbot.lifecycle import EXIT_CONFIG, EXIT_UNAVAILABLE, StartupError

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.adapters.teams.auth import OutboundTokens, ServiceUrlGuard
    from chatbot.adapters.teams.connector import BotConnector
    from chatbot.adapters.teams.gateway import TeamsGateway
    from chatbot.domain.networks import NetworkLimits
    from chatbot.policy.model import Policy
    from chatbot.services.ports import SocialReader
from chatbot.settings import Settings

log = logging.getLogger("chatbot.run")

LISTEN_HOST = "0.0.0.0"  # noqa: S104 (behind the school's reverse proxy; every request's JWT is checked)
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 30.0


class TeamsPlatform:
    """Made by bootstrap; every Teams object of the process comes from here, on first use."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        limits: NetworkLimits | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.limits = limits

    def can_notify(self) -> bool:
        """Enough is set to tell SLT (the worker's notices, reminders and alerts)."""
        s = self.settings
        return bool(
            s.teams_app_id and s.teams_app_password and s.teams_tenant_id and s.approvals_channel
        )

    @cached_property
    def guard(self) -> ServiceUrlGuard:
        from chatbot.adapters.teams.auth import ServiceUrlGuard

        return ServiceUrlGuard(self.settings.teams_service_url)

    @cached_property
    def tokens(self) -> OutboundTokens:
        from pydantic import SecretStr

        from chatbot.adapters.teams.auth import OutboundTokens

        s = self.settings
        return OutboundTokens(
            app_id=s.teams_app_id or "",
            password=s.teams_app_password or SecretStr(""),
            tenant_id=s.teams_tenant_id or "",
            authority_url=s.teams_authority_url,
        )

    @cached_property
    def connector(self) -> BotConnector:
        from chatbot.adapters.teams.connector import BotConnector

        return BotConnector(self.tokens, self.guard, proxy_url=self.settings.proxy_url)

    @cached_property
    def gateway(self) -> TeamsGateway:
        """The chat port for the routes, the worker and the monitors (a `BlockRequester`)."""
        from chatbot.adapters.teams.gateway import TeamsGateway

        return TeamsGateway(self.settings, self.sessions, self.connector, limits=self.limits)

    def check(self) -> None:
        """The start-up checks: a token from the authority; the service URL, if Teams has
        given one yet (else the bot can answer, but not post first, until it does)."""
        from chatbot.adapters.teams.auth import TeamsTokenError

        try:
            self.tokens.token()
        except TeamsTokenError as exc:
            unreachable = "could not be reached" in str(exc) or "could not be used" in str(exc)
            raise StartupError(
                f"Teams: {exc}. Check CHATBOT_TEAMS_APP_ID, CHATBOT_TEAMS_APP_PASSWORD, "
                "CHATBOT_TEAMS_TENANT_ID and CHATBOT_TEAMS_AUTHORITY_URL.",
                EXIT_UNAVAILABLE if unreachable else EXIT_CONFIG,
            ) from None
        log.info("Teams: signed in to the authority as app %s", self.settings.teams_app_id)
        url = self.gateway.service_url()
        if url:
            log.info("Teams: calling the Bot Connector at %s", url)
        else:
            log.warning(
                "Teams has not sent the bot an activity yet, so the bot cannot post until it "
                "does: add the app to the team (or set CHATBOT_TEAMS_SERVICE_URL)"
            )

    def start(self, policy: Policy, reader: Callable[[], SocialReader | None]) -> TeamsServer:
        """Check Teams, build the app on the shared gateway, serve it (or `StartupError`)."""
        from chatbot.adapters.teams.app import create_app

        self.check()
        app = create_app(
            self.settings,
            self.sessions,
            gateway=self.gateway,
            policy=policy,
            reader_factory=reader,
        )
        return TeamsServer(app, LISTEN_HOST, self.settings.teams_port).start()


class TeamsServer:
    """The aiohttp app on its own event loop in a thread; `close` stops it (the `Connection`)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="teams-http", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._runner: web.AppRunner | None = None

    def start(self) -> TeamsServer:
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise StartupError("Teams: the endpoint did not start", EXIT_UNAVAILABLE)
        if self._error is not None:
            raise StartupError(
                f"Teams: cannot listen on CHATBOT_TEAMS_PORT {self.port} "
                f"({type(self._error).__name__}: {self._error})",
                EXIT_CONFIG,
            )
        log.info("Teams: listening on port %s for POST /api/messages", self.port)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except OSError as exc:  # the port is taken, say
            self._error = exc
            self._ready.set()
            self._loop.close()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _serve(self) -> None:
        from aiohttp import web

        # No access log: a request line is all it would add, and the routes log what matters.
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=10.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner

    def close(self) -> None:
        """Stop taking requests, let those in hand finish, and stop the loop."""
        if not self._thread.is_alive():
            return
        if self._runner is not None:
            done = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            try:
                done.result(_STOP_TIMEOUT)
            except Exception as exc:  # shutting down regardless
                log.warning("Teams endpoint stopped uncleanly: %s", type(exc).__name__)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(_STOP_TIMEOUT)


def platform(
    settings: Settings, sessions: sessionmaker[Session], limits: NetworkLimits
) -> TeamsPlatform:
    """The entry `chatbot.bootstrap.PLATFORMS` names (`limits`: the publisher's)."""
    return TeamsPlatform(settings, sessions, limits)
