"""Local stand-ins for Microsoft's identity endpoints, over HTTPS with the test CA.

- `FakeBotFrameworkKeys`: Bot Framework's OpenID configuration
  (``/v1/.well-known/openidconfiguration``) naming a JWKS (``/v1/keys``) with the test keys, the
  way ``login.botframework.com`` serves them. Keys can be rolled (`publish`) to test refreshes.
- `FakeTokenService`: Entra's client-credentials flow as MSAL uses it: the tenant's OpenID
  document (``/{tenant}/v2.0/.well-known/openid-configuration``) and
  ``POST /{tenant}/oauth2/v2.0/token``. It checks the client id, secret and scope, answers
  Entra's error shapes otherwise, and remembers the access tokens it issued, which
  `FakeConnector` then accepts.
"""

from __future__ import annotations

import secrets
import ssl
import threading

from tests.fakes.teams.crypto import BOT_FRAMEWORK_ISSUER, SigningKey
from tests.fakes.teams.http import RecordingServer, Request, Response

OPENID_PATH = "/v1/.well-known/openidconfiguration"
JWKS_PATH = "/v1/keys"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


class FakeBotFrameworkKeys(RecordingServer):
    def __init__(self, tls: ssl.SSLContext, keys: list[SigningKey]) -> None:
        super().__init__(tls=tls)
        self._keys = list(keys)
        self._lock = threading.Lock()

    @property
    def openid_url(self) -> str:
        return self.base_url + OPENID_PATH

    def publish(self, keys: list[SigningKey]) -> None:
        """Replace the published keys (Bot Framework rolls its keys)."""
        with self._lock:
            self._keys = list(keys)

    def handle(self, request: Request) -> Response:
        if request.method != "GET":
            return Response.json({"error": "method not allowed"}, 405)
        if request.path == OPENID_PATH:
            return Response.json(
                {
                    "issuer": BOT_FRAMEWORK_ISSUER,
                    "authorization_endpoint": "https://invalid.botframework.com",
                    "jwks_uri": self.base_url + JWKS_PATH,
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                }
            )
        if request.path == JWKS_PATH:
            with self._lock:
                return Response.json({"keys": [key.jwk() for key in self._keys]})
        return Response.json({"error": "not found"}, 404)


class FakeTokenService(RecordingServer):
    def __init__(
        self, tls: ssl.SSLContext, *, tenant_id: str, client_id: str, client_secret: str
    ) -> None:
        super().__init__(tls=tls)
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._secret = client_secret
        self._issued: set[str] = set()
        self._lock = threading.Lock()
        self.lifetime = 3599

    @property
    def authority_url(self) -> str:
        return self.base_url

    def issued(self) -> set[str]:
        with self._lock:
            return set(self._issued)

    def is_valid(self, token: str | None) -> bool:
        with self._lock:
            return token is not None and token in self._issued

    def revoke_all(self) -> None:
        with self._lock:
            self._issued.clear()

    def token_requests(self) -> list[Request]:
        return self.requests("POST", f"/{self.tenant_id}/oauth2/v2.0/token")

    def handle(self, request: Request) -> Response:
        tenant_root = f"/{self.tenant_id}"
        if request.method == "GET" and request.path == (
            f"{tenant_root}/v2.0/.well-known/openid-configuration"
        ):
            return Response.json(
                {
                    "issuer": f"{self.base_url}{tenant_root}/v2.0",
                    "authorization_endpoint": f"{self.base_url}{tenant_root}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{self.base_url}{tenant_root}/oauth2/v2.0/token",
                    "jwks_uri": f"{self.base_url}{tenant_root}/discovery/v2.0/keys",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        if request.method == "POST" and request.path == f"{tenant_root}/oauth2/v2.0/token":
            return self._token(request.form())
        if request.path.endswith("/.well-known/openid-configuration"):
            # Entra's answer for a tenant it does not know.
            return Response.json(
                {"error": "invalid_tenant", "error_description": "AADSTS90002: not found"}, 400
            )
        return Response.json({"error": "not found"}, 404)

    def _token(self, form: dict[str, str]) -> Response:
        if form.get("grant_type") != "client_credentials":
            return _entra_error("unsupported_grant_type", "AADSTS70003", 400)
        if form.get("client_id") != self.client_id:
            return _entra_error("unauthorized_client", "AADSTS700016", 400)
        if form.get("client_secret") != self._secret:
            return _entra_error("invalid_client", "AADSTS7000215", 401)
        scopes = set(form.get("scope", "").split())
        if BOT_FRAMEWORK_SCOPE not in scopes:
            return _entra_error("invalid_scope", "AADSTS70011", 400)
        token = "fake-bf-" + secrets.token_urlsafe(24)
        with self._lock:
            self._issued.add(token)
        return Response.json(
            {
                "token_type": "Bearer",
                "expires_in": self.lifetime,
                "ext_expires_in": self.lifetime,
                "access_token": token,
            }
        )


def _entra_error(error: str, code: str, status: int) -> Response:
    return Response.json(
        {
            "error": error,
            "error_description": f"{code}: refused by the fake token service.",
            "error_codes": [int(code.removeprefix("AADSTS"))],
        },
        status,
    )
