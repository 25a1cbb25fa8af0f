"""The real Agents SDK (CloudAdapter, AgentApplication) with our auth plugged in, against fakes.

What the next steps build on: a message turn that replies through the fake Bot Connector with
a token from the fake token service, an ``adaptiveCard/action`` invoke answered in the HTTP
response, a card updated in place (PUT), and 401 with nothing run for a bad token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, AdaptiveCardInvokeResponse
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from pydantic import SecretStr

from chatbot.adapters.teams.auth import (
    InboundValidator,
    OutboundTokens,
    ServiceUrlGuard,
    SigningKeys,
)
from chatbot.adapters.teams.sdk import (
    GuardedConnectorFactory,
    NoUserAuthConnections,
    inbound_auth_middleware,
    install_log_redactor,
    quiet_turn_error,
)
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, SigningKey, TeamsFakes, teams_fakes

CHANNEL = "19:drafts0a1b2c3d@thread.tacv2"
PUPIL = "Jane Pupil"


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started


def _app(fakes: TeamsFakes, seen: list[str]) -> web.Application:
    install_log_redactor()
    guard = ServiceUrlGuard()
    tokens = OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(APP_PASSWORD),
        tenant_id=TENANT_ID,
        authority_url=fakes.tokens.authority_url,
    )
    adapter = CloudAdapter(
        channel_service_client_factory=GuardedConnectorFactory(tokens, guard, app_id=APP_ID)
    )
    adapter.on_turn_error = quiet_turn_error
    agent: AgentApplication[TurnState] = AgentApplication(
        ApplicationOptions(
            storage=MemoryStorage(),
            start_typing_timer=False,  # else every message sends typing activities
            remove_recipient_mention=False,  # the HTML is ours to turn into text
        ),
        connection_manager=NoUserAuthConnections(APP_ID),
    )

    async def on_message(context: TurnContext, _state: TurnState) -> None:
        seen.append(context.activity.text or "")
        if "boom" in (context.activity.text or ""):
            raise RuntimeError(PUPIL)
        await context.send_activity("Thanks, checking your draft.")

    async def on_approve(context: TurnContext, _state: TurnState, data: Any) -> Any:
        seen.append(f"approve {data['draft']}")
        card = Activity(type="message", id="1700000000001", attachments=[])
        card.text = "approved"
        await context.update_activity(card)
        return AdaptiveCardInvokeResponse(
            status_code=200,
            type="application/vnd.microsoft.activity.message",
            value="Approved.",
        )

    agent.activity(ActivityTypes.message)(on_message)
    agent.adaptive_card.action_execute("draft_approve")(on_approve)

    async def entry(request: web.Request) -> web.StreamResponse:
        response = await start_agent_process(request, agent, adapter)
        assert response is not None
        return response

    app = web.Application(
        middlewares=[
            inbound_auth_middleware(
                InboundValidator(app_id=APP_ID, keys=SigningKeys(fakes.keys.openid_url)), guard
            )
        ],
        client_max_size=256 * 1024,
    )
    app.router.add_post("/api/messages", entry)
    return app


def _activity(fakes: TeamsFakes, **fields: Any) -> dict[str, Any]:
    activity = {
        "type": "message",
        "id": "1700000000000",
        "channelId": "msteams",
        "serviceUrl": fakes.connector.service_url,
        "from": {"id": "29:1abc", "aadObjectId": "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"},
        "recipient": {"id": f"28:{APP_ID}", "name": "School posts"},
        "conversation": {"id": CHANNEL, "conversationType": "channel", "tenantId": TENANT_ID},
        "channelData": {"channel": {"id": CHANNEL}, "tenant": {"id": TENANT_ID}},
        "text": "<p>Sports day is on Friday</p>",
        "textFormat": "xml",
    }
    activity.update(fields)
    return activity


async def _post(app: web.Application, body: dict[str, Any], token: str | None) -> tuple[int, Any]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{port}/api/messages", json=body, headers=headers
            ) as response,
        ):
            text = await response.text()
            is_json = response.content_type == "application/json"
            return response.status, (await response.json() if text and is_json else None)
    finally:
        await runner.cleanup()


def test_a_message_turn_replies_through_the_connector(fakes: TeamsFakes) -> None:
    seen: list[str] = []
    status, _ = asyncio.run(_post(_app(fakes, seen), _activity(fakes), fakes.sign()))
    assert status == 202
    assert seen == ["<p>Sports day is on Friday</p>"]
    [reply] = fakes.connector.calls("reply")
    assert reply.conversation_id == CHANNEL
    assert reply.activity_id == "1700000000000"
    assert reply.body["text"] == "Thanks, checking your draft."
    assert all(fakes.tokens.is_valid(r.bearer) for r in fakes.connector.requests())


def test_an_invoke_is_answered_in_the_response_and_the_card_updated(fakes: TeamsFakes) -> None:
    seen: list[str] = []
    # The card the click comes from exists on the connector.
    fakes.connector.add_activity(CHANNEL, "1700000000001", {"type": "message"})
    invoke = _activity(
        fakes,
        type="invoke",
        name="adaptiveCard/action",
        id="f:invoke-1",
        replyToId="1700000000001",
        text=None,
        value={
            "action": {"type": "Action.Execute", "verb": "draft_approve", "data": {"draft": "d1"}}
        },
    )
    status, body = asyncio.run(_post(_app(fakes, seen), invoke, fakes.sign()))
    assert status == 200
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Approved.",
    }
    assert seen == ["approve d1"]
    [update] = fakes.connector.calls("update")
    assert (update.conversation_id, update.activity_id) == (CHANNEL, "1700000000001")


@pytest.mark.parametrize("kind", ["none", "wrong_key", "expired", "audience", "serviceurl"])
def test_a_bad_token_is_401_and_runs_nothing(fakes: TeamsFakes, kind: str) -> None:
    token = {
        "none": None,
        "wrong_key": SigningKey(kid=fakes.key.kid).sign(
            app_id=APP_ID, service_url=fakes.connector.service_url
        ),
        "expired": fakes.sign(lifetime=-3600),
        "audience": fakes.sign(app_id="11111111-2222-3333-4444-555555555555"),
        "serviceurl": fakes.sign(service_url="https://evil.example.net/emea/"),
    }[kind]
    seen: list[str] = []
    status, body = asyncio.run(_post(_app(fakes, seen), _activity(fakes), token))
    assert (status, body) == (401, {"error": "unauthorized"})
    assert seen == []
    assert fakes.connector.calls() == []
    assert fakes.tokens.token_requests() == []


def test_an_error_in_a_turn_reaches_neither_the_channel_nor_the_log_text(
    fakes: TeamsFakes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    status, _ = asyncio.run(
        _post(_app(fakes, seen), _activity(fakes, text="<p>boom</p>"), fakes.sign())
    )
    assert seen == ["<p>boom</p>"]
    assert fakes.connector.calls() == []  # the SDK's default would post the exception
    assert PUPIL not in caplog.text
    assert "RuntimeError" in caplog.text  # the failure itself is still logged
    assert status in (202, 500)


def test_an_unrouted_activity_does_not_log_its_text(
    fakes: TeamsFakes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    unrouted = _activity(fakes, type="messageReaction", text="<p>Jane Pupil</p>")
    status, _ = asyncio.run(_post(_app(fakes, []), unrouted, fakes.sign()))
    assert status == 202
    assert "No route found" in caplog.text
    assert "Jane Pupil" not in caplog.text


def test_a_request_over_the_size_limit_is_refused(fakes: TeamsFakes) -> None:
    seen: list[str] = []
    big = _activity(fakes, text="<p>" + "x" * 300_000 + "</p>")
    status, _ = asyncio.run(_post(_app(fakes, seen), big, fakes.sign()))
    assert status == 413
    assert seen == []
