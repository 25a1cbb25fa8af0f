"""A Bolt app wired to the fake Slack and a fresh database, and payloads of Slack's real shapes.

Payload shapes follow Slack's documentation (Events API `message` and its subtypes,
`block_actions`, `view_submission`, `block_suggestion`, slash commands) as Socket Mode delivers
them; they go through `App.dispatch` with `process_before_response=True`, so a dispatch returns
when the listener has finished.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, OutboxItem, PupilRow, utcnow
from chatbot.adapters.slack import refs as slack_refs
from chatbot.adapters.slack.app import create_app
from chatbot.adapters.slack.gateway import SlackGateway
from chatbot.adapters.slack.refs import Where
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from chatbot.settings import Settings
from tests.conftest import FIXTURES
from tests.fakes.slack_server import APPROVALS, DRAFTS, SAFEGUARDING, Call, FakeSlack

STAFF = "U0STAFF01"
OTHER_STAFF = "U0STAFF02"
HEAD = "U0SLT0001"  # SLT
DEPUTY = "U0SLT0002"  # SLT
PHOTOS = FIXTURES / "photos"


def roster_for_this_year() -> bytes:
    """The sample roster, moved to the current school year so consent is in force today."""
    year = str(AcademicYear.at(utcnow()))
    lines = (FIXTURES / "roster.csv").read_text(encoding="utf-8").splitlines()
    return (
        "\n".join([lines[0], *(line.replace("2026/27", year) for line in lines[1:])]) + "\n"
    ).encode()


class SeenDraft:
    """A draft row with what Slack calls its message and card, as the tests read them."""

    def __init__(self, row: Draft, message: Where | None, card: Where | None) -> None:
        self._row = row
        self.channel_id, self.message_ts = message or (None, None)
        self.card_channel, self.card_ts = card or (None, None)
        self.post_url = row.posts[0].url if row.posts else None

    @classmethod
    def of(cls, session: Session, row: Draft) -> SeenDraft:
        row.posts  # noqa: B018 (load before the session closes)
        return cls(row, slack_refs.message_of(session, row.id), slack_refs.card_of(session, row.id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


@dataclass
class Bot:
    fake: FakeSlack
    app: App
    sessions: sessionmaker[Session]
    settings: Settings
    gateway: SlackGateway  # the app's, as bootstrap shares it with the worker
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- sending -------------------------------------------------------------------------------

    def dispatch(self, body: dict[str, Any], headers: dict[str, Any] | None = None) -> BoltResponse:
        return self.app.dispatch(BoltRequest(body=body, mode="socket_mode", headers=headers or {}))

    def next_ts(self) -> str:
        return f"1711111111.{next(self._ts):06d}"

    def event(self, event: dict[str, Any], *, retry: int | None = None) -> BoltResponse:
        headers = (
            {"x-slack-retry-num": [str(retry)], "x-slack-retry-reason": ["timeout"]}
            if retry
            else None
        )
        return self.dispatch(
            {
                "token": "verification-token",
                "team_id": FakeSlack.team_id,
                "api_app_id": FakeSlack.app_id,
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{event.get('ts', event.get('event_ts', '0')).replace('.', '')}",
                "event_time": 1711111111,
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": FakeSlack.team_id,
                        "user_id": FakeSlack.bot_user_id,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
            },
            headers,
        )

    def message(
        self,
        text: str,
        *,
        user: str = STAFF,
        ts: str | None = None,
        files: list[dict[str, Any]] | None = None,
        channel: str = DRAFTS,
        **extra: Any,
    ) -> dict[str, Any]:
        ts = ts or self.next_ts()
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
            "client_msg_id": f"0000-{ts}",
            "team": FakeSlack.team_id,
        }
        if files is not None:
            event.update(subtype="file_share", files=files, upload=False, display_as_bot=False)
        event.update(extra)
        return event

    def post(self, text: str, **kwargs: Any) -> dict[str, Any]:
        event = self.message(text, **kwargs)
        self.event(event)
        return event

    def edit(
        self, original: dict[str, Any], text: str, files: list[dict[str, Any]] | None = None
    ) -> None:
        new = {
            k: v for k, v in original.items() if k not in ("channel", "event_ts", "channel_type")
        }
        new["text"] = text
        new["edited"] = {"user": original["user"], "ts": self.next_ts()}
        if files is not None:
            new["files"] = files
        ts = self.next_ts()
        self.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "hidden": True,
                "channel": original["channel"],
                "message": new,
                "previous_message": {k: v for k, v in original.items() if k != "channel"},
                "event_ts": ts,
                "ts": ts,
                "channel_type": "channel",
            }
        )

    def delete_parent(self, original: dict[str, Any]) -> None:
        """Delete a message that has thread replies: Slack leaves a tombstone in its place."""
        ts = self.next_ts()
        self.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "hidden": True,
                "channel": original["channel"],
                "message": {
                    "type": "message",
                    "subtype": "tombstone",
                    "text": "This message was deleted.",
                    "user": "USLACKBOT",
                    "hidden": True,
                    "ts": original["ts"],
                    "thread_ts": original["ts"],
                    "parent_user_id": "USLACKBOT",
                    "reply_count": 1,
                    "reply_users_count": 1,
                    "latest_reply": ts,
                    "reply_users": [FakeSlack.bot_user_id],
                    "is_locked": False,
                },
                "previous_message": {k: v for k, v in original.items() if k != "channel"},
                "event_ts": ts,
                "ts": ts,
                "channel_type": "channel",
            }
        )

    def delete(self, original: dict[str, Any]) -> None:
        ts = self.next_ts()
        self.event(
            {
                "type": "message",
                "subtype": "message_deleted",
                "hidden": True,
                "channel": original["channel"],
                "deleted_ts": original["ts"],
                "previous_message": {k: v for k, v in original.items() if k != "channel"},
                "event_ts": ts,
                "ts": ts,
                "channel_type": "channel",
            }
        )

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str,
        channel: str = APPROVALS,
        message_ts: str | None = None,
    ) -> BoltResponse:
        """A button pressed; `message_ts`: on that message (the card), else on a new one."""
        ts = message_ts or self.next_ts()
        return self.dispatch(
            {
                "type": "block_actions",
                "user": {
                    "id": user,
                    "username": user.lower(),
                    "name": user.lower(),
                    "team_id": FakeSlack.team_id,
                },
                "api_app_id": FakeSlack.app_id,
                "token": "verification-token",
                "container": {
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "trigger_id": f"1234.5678.{ts}",
                "team": {"id": FakeSlack.team_id, "domain": FakeSlack.team_domain},
                "enterprise": None,
                "is_enterprise_install": False,
                "channel": {"id": channel, "name": "channel"},
                "message": {
                    "type": "message",
                    "user": FakeSlack.bot_user_id,
                    "ts": ts,
                    "text": "card",
                },
                "state": {"values": {}},
                "response_url": "https://hooks.slack.invalid/actions/T/1/x",
                "actions": [
                    {
                        "action_id": action_id,
                        "block_id": "draft",
                        "text": {"type": "plain_text", "text": "button", "emoji": True},
                        "value": value,
                        "type": "button",
                        "action_ts": ts,
                    }
                ],
            }
        )

    def submit(
        self,
        callback_id: str,
        metadata: str,
        values: dict[str, dict[str, Any]],
        *,
        user: str,
        foreign_blocks: bool = False,
    ) -> BoltResponse:
        """A view_submission; `values` is {action_id: element state}, one block per action.

        Block ids are the action ids, or with `foreign_blocks` ids like the ones Slack makes up
        for blocks without one (what a form built by someone else would send).
        """
        block = (lambda n, _a: f"xK{n}=") if foreign_blocks else (lambda _n, a: a)
        state = {block(n, a): {a: v} for n, (a, v) in enumerate(values.items())}
        return self.dispatch(
            {
                "type": "view_submission",
                "team": {"id": FakeSlack.team_id, "domain": FakeSlack.team_domain},
                "user": {
                    "id": user,
                    "username": user.lower(),
                    "name": user.lower(),
                    "team_id": FakeSlack.team_id,
                },
                "api_app_id": FakeSlack.app_id,
                "token": "verification-token",
                "trigger_id": f"1234.5678.{self.next_ts()}",
                "view": {
                    "id": "V0000001",
                    "team_id": FakeSlack.team_id,
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": metadata,
                    "state": {"values": state},
                    "hash": "1711111111.abcdef",
                    "title": {"type": "plain_text", "text": "Form"},
                    "blocks": [],
                    "app_id": FakeSlack.app_id,
                    "bot_id": FakeSlack.bot_id,
                },
                "response_urls": [],
                "is_enterprise_install": False,
            }
        )

    def suggest(self, query: str, *, user: str = STAFF) -> BoltResponse:
        return self.dispatch(
            {
                "type": "block_suggestion",
                "user": {
                    "id": user,
                    "username": user.lower(),
                    "name": user.lower(),
                    "team_id": FakeSlack.team_id,
                },
                "container": {"type": "view", "view_id": "V0000001"},
                "api_app_id": FakeSlack.app_id,
                "token": "verification-token",
                "action_id": "pictured_pupils",
                "block_id": "pictured_pupils",
                "value": query,
                "team": {"id": FakeSlack.team_id, "domain": FakeSlack.team_domain},
                "view": {
                    "id": "V0000001",
                    "type": "modal",
                    "callback_id": "declare_photos",
                    "private_metadata": "1",
                },
            }
        )

    # -- reading -------------------------------------------------------------------------------

    def draft(self, draft_id: int | None = None) -> SeenDraft:
        with self.sessions() as session:
            query = select(Draft).order_by(Draft.id.desc())
            if draft_id is not None:
                query = query.where(Draft.id == draft_id)
            found = session.scalars(query).first()
            assert found is not None
            found.photos, found.findings, found.pictured, found.posts  # noqa: B018 (load now)
            return SeenDraft.of(session, found)

    def drafts(self) -> list[SeenDraft]:
        with self.sessions() as session:
            rows = session.scalars(select(Draft).order_by(Draft.id))
            return [SeenDraft.of(session, row) for row in rows]

    def outbox(self) -> list[OutboxItem]:
        with self.sessions() as session:
            return list(session.scalars(select(OutboxItem).order_by(OutboxItem.id)))

    def pupil(self, first_name: str) -> int:
        with self.sessions() as session:
            found = session.scalar(select(PupilRow.id).where(PupilRow.first_name == first_name))
            assert found is not None
            return found

    def thread_replies(self, ts: str) -> list[Call]:
        return [c for c in self.fake.calls("chat.postMessage") if c.params.get("thread_ts") == ts]

    def cards(self) -> list[Call]:
        return [
            c
            for c in self.fake.calls("chat.postMessage")
            if c.params.get("channel") == APPROVALS and "blocks" in c.params
        ]

    def ephemerals(self, user: str) -> list[str]:
        return [
            str(c.params.get("text"))
            for c in self.fake.calls("chat.postEphemeral")
            if c.params.get("user") == user
        ]

    def file(
        self,
        file_id: str,
        path: Path | bytes,
        *,
        name: str,
        mimetype: str = "image/jpeg",
        ready_after: int = 0,
    ) -> dict[str, Any]:
        data = path if isinstance(path, bytes) else path.read_bytes()
        return self.fake.add_file(
            file_id, data, name=name, mimetype=mimetype, ready_after=ready_after
        )


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found.append(element.get("action_id"))
        accessory = block.get("accessory")
        if accessory and accessory.get("action_id"):
            found.append(accessory["action_id"])
    return found


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    return repr(blocks)


def make_bot(fake: FakeSlack, sessions: sessionmaker[Session], **settings: Any) -> Bot:
    values: dict[str, Any] = {
        "slack_bot_token": fake.bot_token,
        "slack_app_token": fake.app_token,
        "slack_api_url": fake.base_url,
        "drafts_channel": DRAFTS,
        "approvals_channel": APPROVALS,
        "safeguarding_channel": SAFEGUARDING,
        "slt_users": (HEAD, DEPUTY),
    }
    values.update(settings)
    config = Settings(_env_file=None, **values)
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(roster_for_this_year()), actor="test", source="roster.csv"
        )
    client = WebClient(token=fake.bot_token, base_url=fake.base_url)
    gateway = SlackGateway(config, sessions, client)
    app = create_app(config, sessions, client=client, process_before_response=True, gateway=gateway)
    return Bot(fake, app, sessions, config, gateway)


@pytest.fixture
def bot(fake_slack: FakeSlack, sessions: sessionmaker[Session]) -> Bot:
    return make_bot(fake_slack, sessions)
