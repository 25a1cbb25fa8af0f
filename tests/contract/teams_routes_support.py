"""The Teams endpoint (chatbot/adapters/teams/app.py) served for real, against the Teams fakes.

`TeamsBot` runs the aiohttp app on its own event loop in a thread, as `chatbot run` does, and
posts activities of Teams' shapes to it with tokens signed by the fakes' test key. The work
after each answer is waited for with `wait()` (a condition, never a sleep).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, OutboxItem, PupilRow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.app import BACKGROUND, create_app
from chatbot.adapters.teams.auth import OutboundTokens, ServiceUrlGuard
from chatbot.adapters.teams.connector import BotConnector
from chatbot.adapters.teams.gateway import TeamsGateway
from chatbot.adapters.teams.routes_common import INVOKE_BUDGET, ReaderFactory
from chatbot.policy.engine import load_policy
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from chatbot.settings import Settings
from tests.contract.slack_support import roster_for_this_year
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, ConnectorCall, TeamsFakes

DRAFTS = "19:drafts0a1b2c3d@thread.tacv2"
APPROVALS = "19:approvals4e5f@thread.tacv2"
SAFEGUARDING = "19:safe6a7b8c9d@thread.tacv2"
AUTHOR = "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"  # a teacher
TEACHER = "3b1f0d2e-6a4c-4e8b-9f7a-2c3d4e5f6a7b"  # another teacher
HEAD = "2c9a7e55-4d1b-4f08-a3e6-5b7c9d0e1f2a"  # SLT
DEPUTY = "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928"  # SLT, and writes drafts too
SIGNED = "<signed by the fakes' key>"  # the default: a valid token
NAMES = {AUTHOR: "Ms Teacher", TEACHER: "Mr Other", HEAD: "Mrs Head", DEPUTY: "Mr Deputy"}


class Server:
    """The app on its own event loop in a thread, on a free port."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner = web.AppRunner(app, access_log=None)
        self.port = 0

    def start(self) -> Server:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@dataclass
class TeamsBot:
    fakes: TeamsFakes
    sessions: sessionmaker[Session]
    settings: Settings
    gateway: TeamsGateway
    server: Server
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1_800_000_000_001))

    # -- sending ---------------------------------------------------------------------------

    def post(self, activity: dict[str, Any], token: str | None = SIGNED) -> tuple[int, Any]:
        if token is SIGNED:
            token = self.fakes.sign()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.server.port}/api/messages",
            data=json.dumps(activity).encode(),
            method="POST",
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        return status, json.loads(body) if body.strip() else None

    def wait(self) -> None:
        """Until the work after the answers is done."""
        self.server.app[BACKGROUND].wait_idle()

    def next_id(self) -> str:
        return str(next(self._ids))

    def base(self, user: str, conversation: str, **fields: Any) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "type": "message",
            "id": self.next_id(),
            "timestamp": "2026-12-02T09:00:00.000Z",
            "channelId": "msteams",
            "serviceUrl": self.fakes.connector.service_url,
            "from": {"id": f"29:1{user[:8]}", "aadObjectId": user, "name": NAMES.get(user, "")},
            "recipient": {"id": f"28:{APP_ID}", "name": "School posts"},
            "conversation": {
                "id": conversation,
                "conversationType": "channel",
                "isGroup": True,
                "tenantId": TENANT_ID,
            },
            "channelData": {
                "teamsChannelId": conversation.split(";", maxsplit=1)[0],
                "channel": {"id": conversation.split(";", maxsplit=1)[0]},
                "team": {"id": "19:team@thread.tacv2"},
                "tenant": {"id": TENANT_ID},
            },
        }
        activity.update(fields)
        return activity

    def message(
        self,
        html: str,
        *,
        user: str = AUTHOR,
        channel: str = DRAFTS,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A new top-level channel post, as Teams delivers it with the RSC permission."""
        activity_id = self.next_id()
        activity = self.base(
            user,
            f"{channel};messageid={activity_id}",
            id=activity_id,
            text=html,
            textFormat="xml",
        )
        activity["attachments"] = [
            {"contentType": "text/html", "content": html},
            *(attachments or []),
        ]
        return activity

    def send(self, html: str, **kwargs: Any) -> dict[str, Any]:
        activity = self.message(html, **kwargs)
        status, _ = self.post(activity)
        assert status == 202
        self.wait()
        return activity

    def edited(self, original: dict[str, Any], html: str) -> dict[str, Any]:
        return {
            **original,
            "type": "messageUpdate",
            "text": html,
            "attachments": [{"contentType": "text/html", "content": html}],
            "channelData": {**original["channelData"], "eventType": "editMessage"},
        }

    def deleted(self, original: dict[str, Any]) -> dict[str, Any]:
        gone = {k: v for k, v in original.items() if k not in ("text", "attachments")}
        return {
            **gone,
            "type": "messageDelete",
            "channelData": {**original["channelData"], "eventType": "softDeleteMessage"},
        }

    def invoke(
        self, name: str, value: dict[str, Any], *, user: str, card: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        conversation, card_id = card or (APPROVALS, self.next_id())
        return self.base(
            user,
            f"{conversation};messageid={card_id}",
            type="invoke",
            name=name,
            replyToId=card_id,
            value=value,
        )

    def click(
        self,
        verb: str,
        data: dict[str, Any],
        *,
        user: str,
        card: tuple[str, str] | None = None,
    ) -> Any:
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
        status, body = self.post(self.invoke("adaptiveCard/action", value, user=user, card=card))
        assert status == 200
        return body

    def task(self, name: str, data: dict[str, Any], *, user: str) -> Any:
        value = {"data": data, "context": {"theme": "default"}}
        status, body = self.post(self.invoke(name, value, user=user))
        assert status == 200
        return body

    # -- reading ---------------------------------------------------------------------------

    def draft(self) -> Draft:
        with self.sessions() as session:
            found = session.scalars(select(Draft).order_by(Draft.id.desc())).first()
            assert found is not None
            found.photos, found.pictured  # noqa: B018 (load before the session closes)
            return found

    def drafts(self) -> list[Draft]:
        with self.sessions() as session:
            return list(session.scalars(select(Draft).order_by(Draft.id)))

    def outbox(self) -> list[OutboxItem]:
        with self.sessions() as session:
            return list(session.scalars(select(OutboxItem).order_by(OutboxItem.id)))

    def pupil(self, first_name: str) -> int:
        with self.sessions() as session:
            found = session.scalar(select(PupilRow.id).where(PupilRow.first_name == first_name))
            assert found is not None
            return found

    def sent(self, conversation: str) -> list[ConnectorCall]:
        return [c for c in self.fakes.connector.calls("send") if c.conversation_id == conversation]

    def thread(self, activity: dict[str, Any]) -> list[ConnectorCall]:
        return self.sent(f"{DRAFTS};messageid={activity['id']}")

    def cards(self) -> list[ConnectorCall]:
        return self.sent(APPROVALS)

    def card_of(self, draft_id: int) -> tuple[str, str]:
        """Where the draft's approval card is: (conversation, activity id)."""
        with self.sessions() as session:
            where = teams_refs.card_of(session, draft_id)
        assert where is not None
        return where

    def updates(self, where: tuple[str, str]) -> list[ConnectorCall]:
        return [
            c
            for c in self.fakes.connector.calls("update")
            if (c.conversation_id, c.activity_id) == where
        ]


def make_bot(
    fakes: TeamsFakes,
    sessions: sessionmaker[Session],
    *,
    reader_factory: ReaderFactory | None = None,
    invoke_budget: float = INVOKE_BUDGET,
    **extra: Any,
) -> TeamsBot:
    values: dict[str, Any] = {
        "platform": "teams",
        "teams_app_id": APP_ID,
        "teams_app_password": SecretStr(APP_PASSWORD),
        "teams_tenant_id": TENANT_ID,
        "teams_openid_url": fakes.keys.openid_url,
        "teams_authority_url": fakes.tokens.authority_url,
        "drafts_channel": DRAFTS,
        "approvals_channel": APPROVALS,
        "safeguarding_channel": SAFEGUARDING,
        "slt_users": (HEAD, DEPUTY),
    }
    values.update(extra)
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(roster_for_this_year()), actor="test", source="roster.csv"
        )
    tokens = OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(APP_PASSWORD),
        tenant_id=TENANT_ID,
        authority_url=fakes.tokens.authority_url,
    )
    connector = BotConnector(tokens, ServiceUrlGuard(), retry_delays=())
    gateway = TeamsGateway(settings, sessions, connector, file_hosts=("localhost",))
    app = create_app(
        settings,
        sessions,
        gateway=gateway,
        policy=load_policy(settings.policy_file),
        reader_factory=reader_factory,
        invoke_budget=invoke_budget,
    )
    return TeamsBot(fakes, sessions, settings, gateway, Server(app).start())


@pytest.fixture
def teams_bot(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> Iterator[TeamsBot]:
    bot = make_bot(fakes, sessions)
    try:
        yield bot
    finally:
        bot.server.stop()


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    from tests.fakes.teams import teams_fakes

    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started
