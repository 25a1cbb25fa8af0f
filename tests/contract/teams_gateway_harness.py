"""The chat gateway contract's harness for Teams: `TeamsGateway` against the fake Bot Connector.

The gateway, its settings and the fakes are made as tests/contract/test_teams_gateway.py makes
them; what Teams shows is read back from the fake's recorded calls: each send (a card or a
message) as its last PUT left it, its words (message text, TextBlocks and TextRuns), its
actions (`Action.Execute` verbs, and the verb of an `Action.Submit` that opens a dialog) and
its mentions (the entities' ``mentioned.id``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.teams.connector import thread_id
from chatbot.adapters.teams.gateway import TeamsGateway
from chatbot.adapters.teams.refs import draft_ref
from chatbot.adapters.teams.routes_messages import files_of
from chatbot.services.ports import BlockRequester, ChatFile, DraftChat, MessageRef
from tests.contract.chat_gateway_contract import ChatHarness, Shown
from tests.contract.test_teams_gateway import APPROVALS, DRAFTS, SAFEGUARDING, fakes
from tests.contract.test_teams_gateway import _activity as activity_from
from tests.contract.test_teams_gateway import _gateway as new_gateway
from tests.fakes.teams import ConnectorCall, TeamsFakes

__all__ = ["TeamsHarness", "fakes", "teams"]

_ADAPTIVE = "application/vnd.microsoft.card.adaptive"


def _words(value: Any) -> list[str]:
    """Every ``text`` string anywhere in an activity (its own, TextBlocks', TextRuns')."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [s for v in value.values() for s in _words(v)]
    if isinstance(value, list):
        return [s for v in value for s in _words(v)]
    return []


def _verbs(value: Any) -> list[str]:
    """The verbs of the actions offered: `Action.Execute`'s own, and the one in the data of an
    `Action.Submit` that opens a dialog (``task/fetch``, as draft_declare does)."""
    if isinstance(value, dict):
        found: list[str] = []
        kind = value.get("type")
        if kind == "Action.Execute" and isinstance(value.get("verb"), str):
            found.append(value["verb"])
        elif kind == "Action.Submit":
            data = value.get("data")
            if isinstance(data, dict) and isinstance(data.get("verb"), str):
                found.append(data["verb"])
        return found + [s for v in value.values() for s in _verbs(v)]
    if isinstance(value, list):
        return [s for v in value for s in _verbs(v)]
    return []


def _mentioned(value: Any) -> list[str]:
    """The ids of the people mentioned: each entity's ``mentioned.id``."""
    if isinstance(value, dict):
        who = value.get("mentioned")
        found = [who["id"]] if isinstance(who, dict) and isinstance(who.get("id"), str) else []
        return found + [s for v in value.values() for s in _mentioned(v)]
    if isinstance(value, list):
        return [s for v in value for s in _mentioned(v)]
    return []


def _shown(body: Any, updates: int) -> Shown:
    return Shown(
        text=" ".join(_words(body)),
        actions=frozenset(_verbs(body)),
        mentions=frozenset(_mentioned(body)),
        updates=updates,
    )


def _is_card(body: Any) -> bool:
    attachments = (body or {}).get("attachments") or []
    return any(a.get("contentType") == _ADAPTIVE for a in attachments)


def _sent_id(call: ConnectorCall) -> str | None:
    answer = call.answer
    return str(answer["id"]) if isinstance(answer, dict) and answer.get("id") else None


class TeamsHarness:
    """The Teams gateway against the fake Bot Connector, token service and CA."""

    def __init__(self, teams: TeamsFakes, sessions: sessionmaker[Session]) -> None:
        self.fakes = teams
        self.sessions = sessions
        self._numbers = itertools.count(1)
        # Installation: Teams gives the service URL, which every later gateway reads back.
        self._routes = new_gateway(teams, sessions)
        self._routes.learn(activity_from(teams))

    def gateway(self) -> DraftChat:
        return new_gateway(self.fakes, self.sessions)

    def deliver(self, author: str, text: str) -> MessageRef:
        # A new channel post: its conversation is "{channel};messageid={id}"; the routes learn
        # who wrote it (for the name in a mention) before intake links the draft.
        root = str(1_711_000_000_000 + next(self._numbers))
        post = activity_from(
            self.fakes,
            id=root,
            text=text,
            conversation={"id": f"{DRAFTS};messageid={root}"},
            **{"from": {"id": "29:1abc", "aadObjectId": author, "name": "Ms Teacher"}},
        )
        self._routes.learn(post)
        return draft_ref(post["conversation"]["id"], root)

    def shared_file(self, data: bytes, *, name: str, mimetype: str) -> ChatFile:
        url = self.fakes.connector.add_attachment(data, mimetype)
        [file] = files_of(
            {"attachments": [{"contentType": mimetype, "contentUrl": url, "name": name}]}
        )
        return file

    def missing_file(self) -> ChatFile:
        url = f"{self.fakes.connector.service_url}v3/attachments/0-weu-d1-gone/views/original"
        [file] = files_of(
            {"attachments": [{"contentType": "image/jpeg", "contentUrl": url, "name": "gone.jpg"}]}
        )
        return file

    def _posted(self, where: Callable[[ConnectorCall], bool]) -> list[Shown]:
        """Each activity sent where `where` holds and still there, as its PUTs left it."""
        connector = self.fakes.connector
        updates = connector.calls("update")
        out = []
        for call in connector.calls("send"):
            activity_id = _sent_id(call)
            conversation = call.conversation_id or ""
            if not activity_id or not where(call):
                continue
            if connector.activity(conversation, activity_id) is None:
                continue  # taken back (a second card a racing process posted)
            mine = [
                u
                for u in updates
                if (u.conversation_id, u.activity_id) == (conversation, activity_id)
            ]
            out.append(_shown((mine[-1] if mine else call).body, len(mine)))
        return out

    def cards(self) -> list[Shown]:
        return self._posted(lambda c: c.conversation_id == APPROVALS and _is_card(c.body))

    def approvals_posts(self) -> list[Shown]:
        return self._posted(lambda c: c.conversation_id == APPROVALS and not _is_card(c.body))

    def replies(self, ref: MessageRef) -> list[Shown]:
        chain = thread_id(ref.place, ref.id)
        return self._posted(lambda c: c.conversation_id == chain)

    def alert_cards(self) -> list[Shown]:
        return self._posted(lambda c: c.conversation_id == SAFEGUARDING)

    def direct_messages(self, user_id: str) -> list[Shown]:
        chats = {
            str(c.answer["id"])
            for c in self.fakes.connector.calls("create_conversation")
            if isinstance(c.answer, dict) and c.body.get("members") == [{"id": user_id}]
        }
        return self._posted(lambda c: c.conversation_id in chats)

    def block_requester(self) -> BlockRequester | None:
        gateway: TeamsGateway = new_gateway(self.fakes, self.sessions)
        return gateway


def teams(request: pytest.FixtureRequest, sessions: sessionmaker[Session]) -> ChatHarness:
    started: TeamsFakes = request.getfixturevalue("fakes")
    return TeamsHarness(started, sessions)
