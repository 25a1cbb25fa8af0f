"""The Teams gateway against the fake Bot Connector, token endpoint and CA (tests/fakes/teams/).

Each port method makes the Connector call Teams expects, with a token the fake token service
issued and only to the service URL Teams gave; the approval card is posted once and then
updated in place, also by a new process (the refs and the service URL are in the database);
downloads send the token only to the service URL's host and stop at the size limit; neither a
token nor a pupil's name reaches the log. Migration 0006 goes up and down on both databases.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import downgrade, make_engine, upgrade
from chatbot.adapters.db.models import Alert, Draft, utcnow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.auth import OutboundTokens, ServiceUrlGuard
from chatbot.adapters.teams.connector import BotConnector, thread_id
from chatbot.adapters.teams.gateway import NoServiceUrl, TeamsGateway
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftState
from chatbot.domain.messages import Mention, message
from chatbot.policy.engine import load_policy
from chatbot.services.checking import settle
from chatbot.services.ports import BlockRequester, ChatFile, DraftChat, FileUnavailable
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from chatbot.settings import Settings
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, TeamsFakes, teams_fakes
from tests.fakes.teams.http import RecordingServer, Request, Response

DRAFTS = "19:drafts0a1b2c3d@thread.tacv2"
APPROVALS = "19:approvals4e5f@thread.tacv2"
SAFEGUARDING = "19:safe6a7b8c9d@thread.tacv2"
AUTHOR = "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"
SLT = "2c9a7e55-4d1b-4f08-a3e6-5b7c9d0e1f2a"
ROOT = "1700000000100"
PUPIL_TEXT = "Frank was brilliant at sports day today."


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started


def _settings(**extra: Any) -> Settings:
    values: dict[str, Any] = {
        "platform": "teams",
        "teams_app_id": APP_ID,
        "teams_app_password": SecretStr(APP_PASSWORD),
        "teams_tenant_id": TENANT_ID,
        "drafts_channel": DRAFTS,
        "approvals_channel": APPROVALS,
        "safeguarding_channel": SAFEGUARDING,
        "slt_users": (SLT,),
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _gateway(fakes: TeamsFakes, sessions: sessionmaker[Session], **settings: Any) -> TeamsGateway:
    """A gateway as a new process makes it: nothing in memory but the settings."""
    tokens = OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(APP_PASSWORD),
        tenant_id=TENANT_ID,
        authority_url=fakes.tokens.authority_url,
    )
    config = _settings(**settings)
    connector = BotConnector(tokens, ServiceUrlGuard(config.teams_service_url), retry_delays=())
    return TeamsGateway(config, sessions, connector, file_hosts=("localhost",))


def _activity(fakes: TeamsFakes, **fields: Any) -> dict[str, Any]:
    activity = {
        "type": "message",
        "serviceUrl": fakes.connector.service_url,
        "from": {"id": "29:1abc", "aadObjectId": AUTHOR, "name": "Ms Teacher"},
    }
    activity.update(fields)
    return activity


@pytest.fixture
def gateway(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> TeamsGateway:
    made = _gateway(fakes, sessions)
    made.learn(_activity(fakes))  # installation: Teams gives the service URL
    made.learn(_activity(fakes, **{"from": {"aadObjectId": SLT, "name": "Mr Head"}}))
    return made


def _draft(
    sessions: sessionmaker[Session], state: DraftState, text: str = "Our new library is open!"
) -> int:
    with sessions.begin() as session:
        draft = Draft(author_id=AUTHOR, source_text=text, text=text, state=state.value)
        draft.verdict = "pass"
        session.add(draft)
        session.flush()
        teams_refs.TeamsRefs().link_draft(
            session, draft.id, teams_refs.draft_ref(f"{DRAFTS};messageid={ROOT}", ROOT)
        )
        return draft.id


def _valid_tokens_only(fakes: TeamsFakes) -> None:
    assert fakes.connector.unauthorized == []
    issued = fakes.tokens.issued()
    for request in fakes.connector.requests():
        assert request.bearer in issued


def test_gateway_implements_the_ports(gateway: TeamsGateway) -> None:
    chat: DraftChat = gateway
    assert isinstance(gateway, BlockRequester)
    assert chat.refs is gateway.refs


def test_the_card_is_posted_once_then_updated_in_place(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL)
    gateway.refresh_card(draft_id)
    [posted] = fakes.connector.calls("send")
    assert posted.conversation_id == APPROVALS
    card = posted.body["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "draft_approve" in str(card["content"])
    with sessions() as session:
        where = teams_refs.card_of(session, draft_id)
    assert where is not None
    assert where[0] == APPROVALS
    assert fakes.connector.activity(*where) == posted.body

    with sessions.begin() as session:
        session.get_one(Draft, draft_id).state = DraftState.APPROVED.value
    gateway.refresh_card(draft_id)
    assert len(fakes.connector.calls("send")) == 1
    [updated] = fakes.connector.calls("update")
    assert (updated.conversation_id, updated.activity_id) == where
    assert "Approved" in str(fakes.connector.activity(*where))
    _valid_tokens_only(fakes)


def test_a_redraw_after_a_restart_updates_the_same_card(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL)
    gateway.refresh_card(draft_id)
    [posted] = fakes.connector.calls("send")

    restarted = _gateway(fakes, sessions)  # no CHATBOT_TEAMS_SERVICE_URL: the stored one
    assert restarted.service_url() == fakes.connector.service_url
    restarted.refresh_card(draft_id)
    [updated] = fakes.connector.calls("update")
    assert updated.conversation_id == APPROVALS
    assert fakes.connector.activity(APPROVALS, updated.activity_id or "") is not None
    assert len(fakes.connector.calls("send")) == 1
    assert posted.body["attachments"][0]["contentType"].endswith("adaptive")


def test_two_redraws_at_once_post_one_card(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL)
    start = threading.Barrier(3)

    def redraw() -> None:
        start.wait()
        gateway.refresh_card(draft_id)

    threads = [threading.Thread(target=redraw) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(fakes.connector.calls("send")) == 1
    assert len(fakes.connector.calls("update")) == 2


def test_a_draft_only_the_author_sees_gets_no_card(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    gateway.refresh_card(_draft(sessions, DraftState.AWAITING_DECLARATION))
    assert fakes.connector.calls() == []


def test_tell_author_replies_in_the_thread_mentioning_them(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    draft_id = _draft(sessions, DraftState.REJECTED)
    gateway.tell_author(draft_id, message("Not approved by ", Mention(SLT), ". Reason: a <b> & co"))
    [reply] = fakes.connector.calls("send")
    assert reply.conversation_id == f"{DRAFTS};messageid={ROOT}"
    body = reply.body
    assert body["text"] == (
        "<at>Ms Teacher</at> Not approved by <at>Mr Head</at>. Reason: a &lt;b&gt; &amp; co"
    )
    mentioned = [(e["text"], e["mentioned"]["id"]) for e in body["entities"]]
    assert mentioned == [("<at>Ms Teacher</at>", AUTHOR), ("<at>Mr Head</at>", SLT)]
    with sessions() as session:
        [where] = teams_refs.replies_of(session, draft_id, "notice")
    assert where[0] == reply.conversation_id
    assert fakes.connector.activity(*where) == body


def test_notify_approvers_posts_in_the_approvals_channel(
    fakes: TeamsFakes, gateway: TeamsGateway
) -> None:
    gateway.notify_approvers("3 drafts are waiting\nfor approval.")
    [post] = fakes.connector.calls("send")
    assert post.conversation_id == APPROVALS
    assert post.body["text"] == "3 drafts are waiting<br>for approval."
    _valid_tokens_only(fakes)


def test_an_alert_card_is_posted_then_updated(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        alert = Alert(kind="follower", subject_id="42", subject_handle="someone", rule="offensive")
        session.add(alert)
        session.flush()
        alert_id = alert.id
    gateway.post_alert(alert_id)
    [posted] = fakes.connector.calls("send")
    assert posted.conversation_id == SAFEGUARDING
    assert "alert_mute" in str(posted.body)
    with sessions.begin() as session:
        row = session.get_one(Alert, alert_id)
        row.state, row.decided_by, row.decided_at = "muted", SLT, utcnow()
    gateway.post_alert(alert_id)
    [updated] = fakes.connector.calls("update")
    assert updated.conversation_id == SAFEGUARDING
    assert "Mr Head" in str(updated.body)
    assert len(fakes.connector.calls("send")) == 1


def test_direct_messages_go_to_a_1to1_chat_made_once(
    fakes: TeamsFakes, gateway: TeamsGateway
) -> None:
    gateway.direct_message(SLT, "Please block @someone on X.")
    gateway.ask_to_block(7, SLT, "Please block @someone on X.")
    [created] = fakes.connector.calls("create_conversation")
    assert created.body["isGroup"] is False
    assert created.body["members"] == [{"id": SLT}]
    assert created.body["bot"] == {"id": f"28:{APP_ID}"}
    assert created.body["tenantId"] == TENANT_ID
    first, second = fakes.connector.calls("send")
    assert first.conversation_id == second.conversation_id
    assert first.conversation_id
    assert first.conversation_id.startswith("a:")
    assert first.body["text"] == "Please block @someone on X."
    assert "alert_staff_blocked" in str(second.body)


@pytest.fixture
def register(sessions: sessionmaker[Session]) -> None:
    roster = (
        "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
        f"website_consent\nFrank,Lee,,4,{AcademicYear.at(utcnow())},yes,yes\n"
    ).encode()
    with sessions.begin() as session:
        import_roster(session, parse_roster(roster), actor="test", source="frank.csv")


def test_post_checks_replies_with_findings_then_asks_each_name_once(
    fakes: TeamsFakes,
    gateway: TeamsGateway,
    sessions: sessionmaker[Session],
    register: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    draft_id = _draft(sessions, DraftState.POSTED, PUPIL_TEXT)
    now: datetime = utcnow()
    with sessions.begin() as session:
        settle(session, draft_id, load_policy(), now, actor="system")
        [key] = [f.question for f in session.get_one(Draft, draft_id).findings if f.question]
    gateway.post_checks(draft_id, ["Thanks, the bot checked your draft."])
    checks, question = fakes.connector.calls("send")
    thread = f"{DRAFTS};messageid={ROOT}"
    assert checks.conversation_id == question.conversation_id == thread
    assert "name_is_pupil" in str(question.body)
    assert "name_not_pupil" in str(question.body)
    with sessions() as session:
        where = teams_refs.asked_at(session, draft_id, key)
    assert where is not None
    assert where[0] == thread
    gateway.post_checks(draft_id)
    assert len(fakes.connector.calls("send")) == 3  # the findings again, the question not
    assert "Frank" not in caplog.text


def test_the_declare_button_opens_the_dialog(
    fakes: TeamsFakes, gateway: TeamsGateway, sessions: sessionmaker[Session]
) -> None:
    gateway.post_checks(_draft(sessions, DraftState.AWAITING_DECLARATION))
    [checks] = fakes.connector.calls("send")
    actions = checks.body["attachments"][0]["content"]["actions"]
    assert actions[0]["data"]["msteams"] == {"type": "task/fetch"}
    assert actions[0]["data"]["verb"] == "draft_declare"


# -- files -------------------------------------------------------------------------------------


class FileHost(RecordingServer):
    """A file card's downloadUrl host (SharePoint in a real tenant)."""

    def handle(self, request: Request) -> Response:
        return Response(200, b"\xff\xd8photo", "image/jpeg")


def test_an_attachment_is_downloaded_with_the_bots_token(
    fakes: TeamsFakes, gateway: TeamsGateway
) -> None:
    url = fakes.connector.add_attachment(b"\xff\xd8" + b"x" * 100)
    data = gateway.fetch_file(ChatFile(id=url, name="a.jpg", url=url), 1000)
    assert data == b"\xff\xd8" + b"x" * 100
    [download] = fakes.connector.requests("GET")
    assert download.bearer in fakes.tokens.issued()
    with pytest.raises(FileUnavailable, match="too large"):
        gateway.fetch_file(ChatFile(id=url, name="a.jpg", url=url), 50)


def test_a_download_from_another_host_is_refused(fakes: TeamsFakes, gateway: TeamsGateway) -> None:
    for url in ("https://evil.example/v3/attachments/1", "http://localhost/file.jpg", ""):
        with pytest.raises(FileUnavailable, match="not stored in the school's Teams"):
            gateway.fetch_file(ChatFile(id="x", name="a.jpg", url=url or None), 1000)
    assert fakes.connector.requests() == []


def test_a_file_cards_download_url_gets_no_token(fakes: TeamsFakes, gateway: TeamsGateway) -> None:
    with FileHost(tls=fakes.ca.server_context()) as host:
        url = host.base_url.replace("127.0.0.1", "localhost") + "/download/a.jpg?tempauth=x"
        assert gateway.fetch_file(ChatFile(id=url, name="a.jpg", url=url), 1000) == b"\xff\xd8photo"
        [request] = host.requests("GET")
    assert "authorization" not in request.headers


def test_no_service_url_no_post(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> None:
    with pytest.raises(NoServiceUrl):
        _gateway(fakes, sessions).notify_approvers("hello")
    configured = _gateway(fakes, sessions, teams_service_url=fakes.connector.service_url)
    configured.notify_approvers("hello")
    assert len(fakes.connector.calls("send")) == 1


def test_a_call_elsewhere_is_refused(fakes: TeamsFakes, gateway: TeamsGateway) -> None:
    from chatbot.adapters.teams.auth import OutboundBlockedError

    with pytest.raises(OutboundBlockedError):
        gateway.connector.send("https://evil.example/emea/", APPROVALS, {"type": "message"})
    assert fakes.tokens.token_requests() == []


def test_no_token_or_secret_in_the_log(
    fakes: TeamsFakes,
    gateway: TeamsGateway,
    sessions: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    draft_id = _draft(sessions, DraftState.PENDING_APPROVAL, PUPIL_TEXT)
    gateway.refresh_card(draft_id)
    gateway.tell_author(draft_id, PUPIL_TEXT)
    gateway.direct_message(SLT, PUPIL_TEXT)
    fakes.tokens.revoke_all()  # the next call is refused: its error is logged nowhere either
    with pytest.raises(Exception, match="401"):
        gateway.notify_approvers(PUPIL_TEXT)
    issued = fakes.tokens.issued() | {r.bearer or "" for r in fakes.connector.unauthorized}
    assert issued
    for secret in (*issued, APP_PASSWORD, "Frank"):
        assert secret not in caplog.text


# -- migration 0006 ----------------------------------------------------------------------------


def test_0006_adds_the_teams_tables_and_takes_them_away(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0005")
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"teams_messages", "teams_cards", "teams_people", "teams_files"} <= tables
    long_place = DRAFTS + ";messageid=" + "1" * 13 + "x" * 120
    insert = text(
        "INSERT INTO teams_messages (draft_id, conversation, activity_id) VALUES (:d, :c, :a)"
    )
    with engine.begin() as conn:
        for draft_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO drafts (id, author_id, source_text, text, state, revision,"
                    " declared, no_pupils, created_at, updated_at) VALUES (:d, :a, '', '',"
                    " 'posted', 1, false, false, :t, :t)"
                ),
                {"d": draft_id, "a": AUTHOR, "t": utcnow()},  # an Entra id: 36 characters
            )
        conn.execute(insert, {"d": 1, "c": long_place, "a": "1:" + "y" * 200})
    # One Teams post makes one draft, even racing.
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"d": 2, "c": long_place, "a": "1:" + "y" * 200})
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM teams_messages"))
        conn.execute(text("UPDATE drafts SET author_id = 'U0STAFF01'"))
    downgrade(engine, "0005")
    assert not any(t.startswith("teams_") for t in inspect(engine).get_table_names())
    upgrade(engine)
    assert "teams_replies" in inspect(engine).get_table_names()
    engine.dispose()


def test_replies_go_to_a_channel_posts_chain_or_the_chat_itself() -> None:
    assert thread_id(DRAFTS, ROOT) == f"{DRAFTS};messageid={ROOT}"
    assert thread_id(f"{DRAFTS};messageid={ROOT}", ROOT) == f"{DRAFTS};messageid={ROOT}"
    assert thread_id("a:1chat", "1") == "a:1chat"
