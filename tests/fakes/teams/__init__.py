"""Local fakes of what a Teams bot talks to, speaking the real protocols (see each module).

`teams_fakes(tmp_path)` starts them together: a test CA, Bot Framework's OpenID/JWKS documents
with a signing key, Entra's token endpoint and a Bot Connector service that accepts only the
tokens that endpoint issued. Tests give clients the CA with ``SSL_CERT_FILE`` and
``REQUESTS_CA_BUNDLE`` (`TeamsFakes.trust_ca`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.teams.connector import ConnectorCall, FakeConnector
from tests.fakes.teams.crypto import BOT_FRAMEWORK_ISSUER, SigningKey, TestCA
from tests.fakes.teams.identity import FakeBotFrameworkKeys, FakeTokenService

APP_ID = "0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"
APP_PASSWORD = "test-client-secret-Q~never-logged"
TENANT_ID = "5e1a7c2d-8b3f-4a6e-9d0c-1f2e3d4c5b6a"

__all__ = [
    "APP_ID",
    "APP_PASSWORD",
    "BOT_FRAMEWORK_ISSUER",
    "TENANT_ID",
    "ConnectorCall",
    "FakeBotFrameworkKeys",
    "FakeConnector",
    "FakeTokenService",
    "SigningKey",
    "TeamsFakes",
    "TestCA",
    "teams_fakes",
]


@dataclass
class TeamsFakes:
    ca: TestCA
    key: SigningKey
    keys: FakeBotFrameworkKeys
    tokens: FakeTokenService
    connector: FakeConnector

    def trust_ca(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SSL_CERT_FILE", str(self.ca.ca_file))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(self.ca.ca_file))

    def sign(self, **overrides: object) -> str:
        """An activity token as Bot Framework would send it to this app at this service URL."""
        claims: dict[str, object] = {"app_id": APP_ID, "service_url": self.connector.service_url}
        claims.update(overrides)
        return self.key.sign(**claims)  # type: ignore[arg-type]


@contextlib.contextmanager
def teams_fakes(directory: Path, *, connector_tls: bool = True) -> Iterator[TeamsFakes]:
    ca = TestCA(directory / "ca")
    key = SigningKey()
    keys = FakeBotFrameworkKeys(ca.server_context(), [key])
    tokens = FakeTokenService(
        ca.server_context(), tenant_id=TENANT_ID, client_id=APP_ID, client_secret=APP_PASSWORD
    )
    connector = FakeConnector(tokens.is_valid, tls=ca.server_context() if connector_tls else None)
    with keys, tokens, connector:
        yield TeamsFakes(ca, key, keys, tokens, connector)
