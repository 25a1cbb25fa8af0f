"""The chat gateway contract (chat_gateway_contract.py), run for each platform against its fake.

A platform joins by adding its harness factory to `PLATFORMS`: a function of the test's
`request` and `sessions` that returns a `ChatHarness`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.slack.alerts import SlackAlertChat
from chatbot.adapters.slack.gateway import SlackGateway
from chatbot.adapters.slack.listeners.messages import files_of
from chatbot.services.ports import BlockRequester, ChatFile, DraftChat, MessageRef
from chatbot.settings import Settings
from tests.contract.chat_gateway_contract import ChatGatewayContract, ChatHarness, Shown
from tests.contract.teams_gateway_harness import fakes, teams
from tests.fakes.slack_server import APPROVALS, DRAFTS, SAFEGUARDING, Call, FakeSlack

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def _strings(value: Any, key: str) -> list[str]:
    """Every string under `key`, anywhere in a Slack payload."""
    if isinstance(value, dict):
        found = [value[key]] if isinstance(value.get(key), str) else []
        return found + [s for v in value.values() for s in _strings(v, key)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    return []


def _shown(params: dict[str, Any], updates: int) -> Shown:
    blocks = params.get("blocks") or []
    text = " ".join([str(params.get("text") or ""), *_strings(blocks, "text")])
    return Shown(
        text=text,
        actions=frozenset(_strings(blocks, "action_id")),
        mentions=frozenset(_MENTION.findall(text)),
        updates=updates,
    )


class SlackHarness:
    """The Slack gateway against the fake Slack (tests/fakes/slack_server.py)."""

    def __init__(self, fake: FakeSlack, sessions: sessionmaker[Session]) -> None:
        self.fake = fake
        self.sessions = sessions
        self.settings = Settings(
            _env_file=None,
            slack_bot_token=fake.bot_token,
            slack_app_token=fake.app_token,
            slack_api_url=fake.base_url,
            drafts_channel=DRAFTS,
            approvals_channel=APPROVALS,
            safeguarding_channel=SAFEGUARDING,
            slt_users=("U0SLT0001", "U0SLT0002"),
        )
        self._numbers = itertools.count(1)

    def _client(self) -> WebClient:
        return WebClient(token=self.fake.bot_token, base_url=self.fake.base_url)

    def gateway(self) -> DraftChat:
        # No waiting between files.info polls: the fake's files are ready or missing.
        return SlackGateway(self.settings, self.sessions, self._client(), file_retry_delays=())

    def deliver(self, author: str, text: str) -> MessageRef:
        # Slack sends the message as an event; the bot knows it by its channel and ts.
        return MessageRef(DRAFTS, f"1711111111.{next(self._numbers):06d}")

    def shared_file(self, data: bytes, *, name: str, mimetype: str) -> ChatFile:
        file_id = f"F0FILE{next(self._numbers):04d}"
        obj = self.fake.add_file(file_id, data, name=name, mimetype=mimetype)
        [file] = files_of({"files": [obj]})
        return file

    def missing_file(self) -> ChatFile:
        return ChatFile(id="F0MISSING1", name="gone.jpg", mimetype="image/jpeg")

    def _posted(self, where: Callable[[dict[str, Any]], bool]) -> list[Shown]:
        """Each message posted where `where` holds, as it shows after its updates."""
        updates = self.fake.calls("chat.update")
        out = []
        for call in self.fake.calls("chat.postMessage"):
            if not where(call.params) or not call.response.get("ok"):
                continue
            mine = [u for u in updates if _same_message(u, call)]
            out.append(_shown((mine[-1] if mine else call).params, len(mine)))
        return out

    def cards(self) -> list[Shown]:
        return self._posted(
            lambda p: p.get("channel") == APPROVALS and "blocks" in p and "thread_ts" not in p
        )

    def approvals_posts(self) -> list[Shown]:
        return self._posted(
            lambda p: p.get("channel") == APPROVALS and "blocks" not in p and "thread_ts" not in p
        )

    def replies(self, ref: MessageRef) -> list[Shown]:
        return self._posted(
            lambda p: p.get("channel") == ref.place and p.get("thread_ts") == ref.id
        )

    def alert_cards(self) -> list[Shown]:
        return self._posted(lambda p: p.get("channel") == SAFEGUARDING)

    def direct_messages(self, user_id: str) -> list[Shown]:
        ims = {
            str(c.response["channel"]["id"])
            for c in self.fake.calls("conversations.open")
            if c.response.get("ok") and c.params.get("users") == user_id
        }
        return self._posted(lambda p: p.get("channel") in ims)

    def block_requester(self) -> BlockRequester | None:
        gateway = self.gateway()
        return SlackAlertChat(gateway, self.settings, self.sessions, self._client())


def _same_message(update: Call, post: Call) -> bool:
    return update.params.get("channel") == post.response.get("channel") and update.params.get(
        "ts"
    ) == post.response.get("ts")


def slack(request: pytest.FixtureRequest, sessions: sessionmaker[Session]) -> ChatHarness:
    fake: FakeSlack = request.getfixturevalue("fake_slack")
    return SlackHarness(fake, sessions)


PLATFORMS = [slack, teams]
__all__ = ["fakes"]  # the Teams fakes' fixture, for `teams`


@pytest.fixture(params=PLATFORMS, ids=lambda make: make.__name__)
def harness(request: pytest.FixtureRequest, sessions: sessionmaker[Session]) -> ChatHarness:
    make: Callable[[pytest.FixtureRequest, sessionmaker[Session]], ChatHarness] = request.param
    return make(request, sessions)


class TestChatGateway(ChatGatewayContract):
    """Every platform in `PLATFORMS` passes the contract."""
