"""Who may call the bot, and how the bot calls Teams back.

Inbound: every request to ``/api/messages`` carries a Bot Framework JWT. The Agents SDK's own
validator fetches keys from fixed addresses and only warns on a ``serviceurl`` mismatch, so the
bot checks the token itself (DESIGN.md): RS256 signature against the keys named by the OpenID
document at ``CHATBOT_TEAMS_OPENID_URL``, ``aud`` the app id, ``iss`` Bot Framework, expiry, and
the ``serviceurl`` claim equal to the activity's ``serviceUrl``.

Outbound: a token from client credentials at ``{authority}/{tenant}/oauth2/v2.0/token`` (MSAL),
and a guard so that the bot only ever calls the service URL that Teams gave.

Tokens and the client secret are never logged, nor put in an exception's text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
from pydantic import SecretStr

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"

# Bot Framework allows five minutes of clock skew between its token service and the bot.
CLOCK_LEEWAY_SECONDS = 300
# An unknown kid refetches the keys (Bot Framework rolls them), but not more often than this,
# so that a stream of tokens with made-up kids cannot make the bot hammer the key endpoint.
MIN_REFRESH_SECONDS = 60.0
# Keys are refetched at least daily even when every kid is known.
MAX_KEY_AGE_SECONDS = 24 * 3600.0
_FETCH_TIMEOUT_SECONDS = 10.0
_MAX_DOCUMENT_BYTES = 1_000_000


class TeamsAuthError(Exception):
    """An inbound request that must get 401. ``reason`` is safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class KeysUnavailableError(TeamsAuthError):
    """The OpenID document or its keys could not be fetched: still 401, but worth an alert."""


class TeamsTokenError(Exception):
    """No outbound token could be had; the text names MSAL's error code, never a secret."""


class OutboundBlockedError(Exception):
    """An outbound call to an address that is not the service URL Teams gave."""


Fetch = Callable[[str], bytes]
Clock = Callable[[], float]


def fetch_https(url: str) -> bytes:
    """GET a small document over TLS, verified against the system CAs (or SSL_CERT_FILE)."""
    if urlsplit(url).scheme != "https":
        raise KeysUnavailableError("key documents are only fetched over https")
    context = ssl.create_default_context()
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(  # noqa: S310 (https checked above)
        request, timeout=_FETCH_TIMEOUT_SECONDS, context=context
    ) as response:
        body: bytes = response.read(_MAX_DOCUMENT_BYTES + 1)
    if len(body) > _MAX_DOCUMENT_BYTES:
        raise KeysUnavailableError("key document too large")
    return body


@dataclass(frozen=True)
class _Key:
    key: jwt.PyJWK
    endorsements: frozenset[str] | None


class SigningKeys:
    """The keys named by an OpenID document's ``jwks_uri``, cached and refreshed on demand."""

    def __init__(
        self,
        openid_url: str,
        *,
        fetch: Fetch = fetch_https,
        clock: Clock = time.monotonic,
        min_refresh: float = MIN_REFRESH_SECONDS,
        max_age: float = MAX_KEY_AGE_SECONDS,
    ) -> None:
        self._openid_url = openid_url
        self._fetch = fetch
        self._clock = clock
        self._min_refresh = min_refresh
        self._max_age = max_age
        self._keys: dict[str, _Key] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def get(self, kid: str) -> _Key:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at >= self._max_age
            may_refresh = self._fetched_at is None or now - self._fetched_at >= self._min_refresh
            if stale or (kid not in self._keys and may_refresh):
                self._refresh(now)
            found = self._keys.get(kid)
        if found is None:
            raise TeamsAuthError("token signed with an unknown key")
        return found

    def _refresh(self, now: float) -> None:
        try:
            config = json.loads(self._fetch(self._openid_url))
            jwks_uri = config["jwks_uri"]
            if not isinstance(jwks_uri, str):
                raise TypeError("jwks_uri")
            jwks = json.loads(self._fetch(jwks_uri))
            keys = _parse_keys(jwks)
        except KeysUnavailableError:
            raise
        except Exception as exc:
            # Keep the old keys: a blip at the key endpoint must not lock everyone out.
            log.warning("Teams signing keys could not be refreshed: %s", type(exc).__name__)
            if not self._keys:
                raise KeysUnavailableError("signing keys unavailable") from None
            self._fetched_at = now
            return
        self._keys = keys
        self._fetched_at = now
        log.info("Teams signing keys refreshed: %d keys", len(keys))


def _parse_keys(jwks: Any) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    for entry in jwks.get("keys", []) if isinstance(jwks, dict) else []:
        kid = entry.get("kid") if isinstance(entry, dict) else None
        if not isinstance(kid, str) or entry.get("kty") != "RSA":
            continue
        try:
            key = jwt.PyJWK(entry, algorithm="RS256")
        except jwt.PyJWTError:
            continue
        endorsements = entry.get("endorsements")
        keys[kid] = _Key(
            key,
            frozenset(str(e) for e in endorsements) if isinstance(endorsements, list) else None,
        )
    return keys


def same_service_url(left: str, right: str) -> bool:
    """Equal as service URLs: scheme and host case-insensitive, a trailing slash ignored."""
    a, b = urlsplit(left.strip()), urlsplit(right.strip())
    return (
        a.scheme.lower() == b.scheme.lower()
        and a.netloc.lower() == b.netloc.lower()
        and a.path.rstrip("/") == b.path.rstrip("/")
    )


class InboundValidator:
    """Checks a request's ``Authorization`` header against the activity it came with."""

    def __init__(
        self,
        *,
        app_id: str,
        keys: SigningKeys,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        leeway: float = CLOCK_LEEWAY_SECONDS,
    ) -> None:
        self._app_id = app_id
        self._keys = keys
        self._issuer = issuer
        self._leeway = leeway

    def validate(
        self, authorization: str | None, *, service_url: str | None, channel_id: str | None
    ) -> dict[str, Any]:
        """The token's claims, or `TeamsAuthError` saying why not."""
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TeamsAuthError("malformed token") from None
        if header.get("alg") != "RS256":
            raise TeamsAuthError("token not signed with RS256")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TeamsAuthError("token names no key")
        found = self._keys.get(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=found.key,
                algorithms=["RS256"],
                audience=self._app_id,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise TeamsAuthError("token expired") from None
        except jwt.InvalidAudienceError:
            raise TeamsAuthError("token for another audience") from None
        except jwt.InvalidIssuerError:
            raise TeamsAuthError("token from another issuer") from None
        except jwt.ImmatureSignatureError:
            raise TeamsAuthError("token not yet valid") from None
        except jwt.PyJWTError as exc:
            raise TeamsAuthError(f"invalid token ({type(exc).__name__})") from None
        # Bot Framework endorses each key for the channels it may sign for.
        if found.endorsements is not None and channel_id not in found.endorsements:
            raise TeamsAuthError("key not endorsed for this channel")
        claim_url = claims.get("serviceurl")
        if not isinstance(claim_url, str) or not claim_url:
            raise TeamsAuthError("token has no serviceurl claim")
        if not service_url or not same_service_url(claim_url, service_url):
            raise TeamsAuthError("serviceurl claim does not match the activity")
        return claims

    async def validate_async(
        self, authorization: str | None, *, service_url: str | None, channel_id: str | None
    ) -> dict[str, Any]:
        # Fetching keys blocks; keep it off the event loop.
        return await asyncio.to_thread(
            self.validate, authorization, service_url=service_url, channel_id=channel_id
        )


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise TeamsAuthError("no Authorization header")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(c.isspace() for c in token):
        raise TeamsAuthError("Authorization is not a bearer token")
    return token


# -- outbound ------------------------------------------------------------------------------


class OutboundTokens:
    """Tokens for the Bot Connector from MSAL client credentials; MSAL caches and renews them."""

    def __init__(
        self,
        *,
        app_id: str,
        password: SecretStr,
        tenant_id: str,
        authority_url: str = DEFAULT_AUTHORITY,
        scope: str = BOT_FRAMEWORK_SCOPE,
    ) -> None:
        authority_url = authority_url.rstrip("/")
        if urlsplit(authority_url).scheme != "https":
            raise ValueError("the authority must be an https URL")
        self._app_id = app_id
        self._password = password
        self._authority = f"{authority_url}/{tenant_id}"
        # Instance discovery asks login.microsoftonline.com about the authority; a school's own
        # (or a test's) authority is not known there, so only ask for the default.
        self._instance_discovery = authority_url == DEFAULT_AUTHORITY
        self._scope = scope
        self._lock = threading.Lock()
        self._app: Any = None

    def _client(self) -> Any:
        # Made on first use: MSAL fetches the authority's OpenID document when it is built.
        if self._app is None:
            import msal  # deferred: only a Teams installation pays for the import

            try:
                self._app = msal.ConfidentialClientApplication(
                    self._app_id,
                    client_credential=self._password.get_secret_value(),
                    authority=self._authority,
                    instance_discovery=self._instance_discovery,
                )
            except (ValueError, OSError) as exc:  # requests' errors are OSErrors
                raise TeamsTokenError(
                    f"the authority {self._authority} could not be used ({type(exc).__name__})"
                ) from None
        return self._app

    def token(self) -> str:
        with self._lock:
            try:
                result: Mapping[str, Any] = self._client().acquire_token_for_client(
                    scopes=[self._scope]
                )
            except OSError as exc:
                raise TeamsTokenError(
                    f"the authority could not be reached ({type(exc).__name__})"
                ) from None
        access = result.get("access_token") if isinstance(result, Mapping) else None
        if not isinstance(access, str) or not access:
            code = result.get("error", "no access_token") if isinstance(result, Mapping) else ""
            raise TeamsTokenError(f"no Bot Connector token from the authority: {code}")
        return access

    async def token_async(self) -> str:
        return await asyncio.to_thread(self.token)


class ServiceUrlGuard:
    """Outbound calls go only to a service URL that Teams gave (or the configured one)."""

    def __init__(self, configured: str | None = None) -> None:
        self._known: list[str] = []
        self._lock = threading.Lock()
        if configured:
            self.remember(configured)

    def remember(self, service_url: str) -> None:
        """Record a service URL from a validated activity (its token's ``serviceurl``)."""
        parts = urlsplit(service_url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise OutboundBlockedError("not a service URL")
        with self._lock:
            if not any(same_service_url(k, service_url) for k in self._known):
                self._known.append(service_url)

    @property
    def known(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._known)

    def check(self, url: str) -> str:
        """``url`` unchanged if it lies under a known service URL, else `OutboundBlockedError`."""
        target = urlsplit(url)
        if ".." in target.path.split("/"):
            raise OutboundBlockedError("outbound path with '..' refused")
        for known in self.known:
            base = urlsplit(known)
            prefix = base.path.rstrip("/") + "/"
            if (
                target.scheme.lower() == base.scheme.lower()
                and target.netloc.lower() == base.netloc.lower()
                and (target.path + "/").startswith(prefix)
            ):
                return url
        raise OutboundBlockedError(f"outbound call to {target.netloc or 'nowhere'} refused")

    def check_download(self, url: str) -> str:
        """Attachments live on the service URL's host, not always under its path."""
        target = urlsplit(url)
        for known in self.known:
            base = urlsplit(known)
            if (target.scheme.lower(), target.netloc.lower()) == (
                base.scheme.lower(),
                base.netloc.lower(),
            ):
                return url
        raise OutboundBlockedError(f"download from {target.netloc or 'nowhere'} refused")
