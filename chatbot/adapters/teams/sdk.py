"""Where auth.py plugs into the Microsoft 365 Agents SDK (see docs/teams-sdk-notes.md).

- `inbound_auth_middleware`: an aiohttp middleware in place of the SDK's
  ``jwt_authorization_middleware``: it validates the token with `InboundValidator` against the
  activity's own ``serviceUrl`` and ``channelId``, answers 401 (and runs nothing) otherwise, and
  hands the SDK the claims as ``request["claims_identity"]``, where ``CloudAdapter.process``
  reads them.
- `GuardedConnectorFactory`: the SDK's ``channel_service_client_factory``: every connector
  client gets its token from `OutboundTokens` and is only made for a service URL the guard knows.
  No user sign-in is used, so the user-token client never fetches a token.
- `NoUserAuthConnections`: ``AgentApplication`` insists on a connection manager; this one has
  no connections, so any SDK path that would fetch a token behind our back fails loudly.
- `quiet_turn_error`: replaces the SDK's default error handler, which posts the exception's
  text into the conversation.
"""

from __future__ import annotations

import json
import logging
import ssl
import traceback
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import ClientSession, TCPConnector, web
from aiohttp.web_exceptions import NotAppKeyWarning
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import ChannelServiceClientFactoryBase, TurnContext
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    ClaimsIdentity,
    Connections,
)
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from chatbot.adapters.teams.auth import (
    InboundValidator,
    OutboundTokens,
    ServiceUrlGuard,
    TeamsAuthError,
)

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Where the SDK's CloudAdapter looks for the claims (a plain string key, as the SDK reads it).
CLAIMS_KEY = "claims_identity"
_UNAUTHORIZED = {"error": "unauthorized"}


def inbound_auth_middleware(
    validator: InboundValidator, guard: ServiceUrlGuard, *, path: str = "/api/messages"
) -> Any:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path or request.method != "POST":
            return await handler(request)
        try:
            activity = json.loads(await request.read())
        except ValueError:
            return web.json_response({"error": "not JSON"}, status=400)
        if not isinstance(activity, dict):
            return web.json_response({"error": "not an activity"}, status=400)
        service_url = activity.get("serviceUrl")
        channel_id = activity.get("channelId")
        try:
            claims = await validator.validate_async(
                request.headers.get("Authorization"),
                service_url=service_url if isinstance(service_url, str) else None,
                channel_id=channel_id if isinstance(channel_id, str) else None,
            )
        except TeamsAuthError as exc:
            log.warning("Teams request refused: %s", exc.reason)
            return web.json_response(_UNAUTHORIZED, status=401)
        guard.remember(claims["serviceurl"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotAppKeyWarning)  # the SDK reads a plain key
            request[CLAIMS_KEY] = ClaimsIdentity(claims, authentication_type="Bearer")
        return await handler(request)

    return middleware


class GuardedConnectorFactory(ChannelServiceClientFactoryBase):
    def __init__(
        self,
        tokens: OutboundTokens,
        guard: ServiceUrlGuard,
        *,
        app_id: str,
        token_service_url: str = "https://api.botframework.com",  # noqa: S107 (a URL)
    ) -> None:
        self._tokens = tokens
        self._guard = guard
        self._app_id = app_id
        self._token_service_url = token_service_url
        self._tls: ssl.SSLContext | None = None

    def _tls_context(self) -> ssl.SSLContext:
        # aiohttp's own default context is made when aiohttp is imported, so a CA given later
        # through SSL_CERT_FILE would be ignored; this one reads it when first needed.
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    async def create_connector_client(  # noqa: PLR0917 (the SDK's signature)
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        self._guard.check(service_url)
        token = await self._tokens.token_async()
        endpoint = service_url if service_url.endswith("/") else service_url + "/"
        session = ClientSession(base_url=endpoint, connector=TCPConnector(ssl=self._tls_context()))
        return TeamsConnectorClient(endpoint=endpoint, token=token, session=session)

    async def create_user_token_client(
        self,
        context: TurnContext,
        claims_identity: ClaimsIdentity,
        use_anonymous: bool = False,
    ) -> UserTokenClientBase:
        # The SDK makes one for every turn; without a token it is never used for anything.
        return UserTokenClient(endpoint=self._token_service_url, token="", app_id=self._app_id)


class NoUserAuthConnections(Connections):
    def __init__(self, app_id: str) -> None:
        self._configuration = AgentAuthConfiguration(client_id=app_id)

    def get_connection(self, connection_name: str) -> AccessTokenProviderBase:
        raise LookupError("the bot has no SDK connections; tokens come from OutboundTokens")

    def get_default_connection(self) -> AccessTokenProviderBase:
        raise LookupError("the bot has no SDK connections; tokens come from OutboundTokens")

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        raise LookupError("the bot has no SDK connections; tokens come from OutboundTokens")

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        raise LookupError("the bot has no SDK connections; tokens come from OutboundTokens")

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return self._configuration


async def quiet_turn_error(context: TurnContext, error: Exception) -> None:
    # Never the exception's text into a channel, nor into the log (it may quote a message):
    # its type and where it was raised are enough to find it.
    log.error(
        "Teams turn failed (%s activity): %s\n%s",
        context.activity.type,
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)),
    )


_APP_LOGGER = "microsoft_agents.hosting.core.app.agent_application"
# Messages that the SDK formats with a message's text or an exception's text in them.
_REDACT_AFTER = (
    "An error occurred in the AgentApplication:",
    "Calling error handler",
    "No route found for activity type:",
)


class SdkLogRedactor(logging.Filter):
    """Cuts message and exception text out of the SDK's own log lines (pupils' names)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        for prefix in _REDACT_AFTER:
            if text.startswith(prefix):
                kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
                cut = text.split(" with text:", maxsplit=1)[0] if "with text:" in text else prefix
                record.msg = f"{cut} {kind}".strip() + " (details withheld)"
                record.args = ()
                record.exc_info = None
                record.exc_text = None
                break
        return True


def install_log_redactor() -> None:
    """Once per process, before the app serves: the SDK's own lines lose message text."""
    logger = logging.getLogger(_APP_LOGGER)
    if not any(isinstance(f, SdkLogRedactor) for f in logger.filters):
        logger.addFilter(SdkLogRedactor())
