"""The Bot Connector client's edges, against small HTTPS servers with the fakes' CA: Teams'
throttling is retried, a redirect never carries the bot's token away, and an error says the
status and Teams' code only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from chatbot.adapters.teams.auth import OutboundTokens, ServiceUrlGuard
from chatbot.adapters.teams.connector import BotConnector, ConnectorError, download
from chatbot.services.ports import ChatFile
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, TeamsFakes, teams_fakes
from tests.fakes.teams.http import RecordingServer, Request, Response

CHANNEL = "19:approvals4e5f@thread.tacv2"


class Scripted(RecordingServer):
    """Answers each request with the next of `answers` (the last one again when they run out)."""

    def __init__(self, fakes: TeamsFakes, answers: list[Response]) -> None:
        super().__init__(tls=fakes.ca.server_context())
        self.answers = answers
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self._lock:
            return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started


def _tokens(fakes: TeamsFakes) -> OutboundTokens:
    return OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(APP_PASSWORD),
        tenant_id=TENANT_ID,
        authority_url=fakes.tokens.authority_url,
    )


def test_throttling_is_retried_after_teams_says(fakes: TeamsFakes) -> None:
    throttled = Response.json({"error": {"code": "Throttled"}}, 429)
    throttled.headers["Retry-After"] = "0"
    with Scripted(fakes, [throttled, Response.json({"id": "1700000000009"}, 201)]) as server:
        connector = BotConnector(_tokens(fakes), ServiceUrlGuard(server.base_url + "/emea/"))
        sent = connector.send(server.base_url + "/emea/", CHANNEL, {"type": "message"})
        assert sent == "1700000000009"
        assert len(server.requests("POST")) == 2


def test_a_refusal_is_not_retried_and_says_only_the_code(fakes: TeamsFakes) -> None:
    refused = Response.json({"error": {"code": "BotNotInConversationRoster", "message": "x"}}, 403)
    with Scripted(fakes, [refused]) as server:
        connector = BotConnector(_tokens(fakes), ServiceUrlGuard(server.base_url))
        with pytest.raises(ConnectorError) as failed:
            connector.send(server.base_url, CHANNEL, {"type": "message", "text": "Frank"})
        assert len(server.requests("POST")) == 1
    assert (failed.value.status, failed.value.code) == (403, "BotNotInConversationRoster")
    assert "Frank" not in str(failed.value)


def test_the_connector_follows_no_redirect(fakes: TeamsFakes) -> None:
    with Scripted(fakes, [Response.json({"id": "1"}, 201)]) as elsewhere:
        moved = Response(307, b"", headers={"Location": elsewhere.base_url + "/v3/x"})
        with Scripted(fakes, [moved]) as server:
            connector = BotConnector(_tokens(fakes), ServiceUrlGuard(server.base_url))
            with pytest.raises(ConnectorError, match="307"):
                connector.send(server.base_url, CHANNEL, {"type": "message"})
        assert elsewhere.requests() == []


def test_a_download_redirected_elsewhere_loses_the_token(fakes: TeamsFakes) -> None:
    with Scripted(fakes, [Response(200, b"\xff\xd8jpeg", "image/jpeg")]) as blob:
        target = blob.base_url.replace("127.0.0.1", "localhost") + "/blob/1"
        with Scripted(fakes, [Response(302, b"", headers={"Location": target})]) as service:
            url = service.base_url + "/v3/attachments/1/views/original"
            data = download(
                ChatFile(id=url, name="a.jpg", url=url),
                1000,
                guard=ServiceUrlGuard(service.base_url + "/emea/"),
                tokens=_tokens(fakes),
                file_hosts=(),
            )
            [first] = service.requests("GET")
        [second] = blob.requests("GET")
    assert data == b"\xff\xd8jpeg"
    assert first.bearer in fakes.tokens.issued()
    assert "authorization" not in second.headers
