"""The Teams endpoint's other verbs against the fakes: a name question answered from its card,
the safeguarding alert verbs (SLT only, redrawn in place), and logs without names or secrets."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Alert, utcnow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.elements import CARD_CONTENT_TYPE
from chatbot.adapters.teams.routes_alerts import DONE, NO_NOTE, NO_X_KEYS, NOT_SLT
from chatbot.adapters.teams.routes_common import STILL_WORKING
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.name_questions import NOT_YOURS
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.contract.teams_routes_support import (
    AUTHOR,
    DEPUTY,
    HEAD,
    SAFEGUARDING,
    TEACHER,
    TeamsBot,
    fakes,
    make_bot,
    teams_bot,
)
from tests.fakes.teams import APP_PASSWORD, TeamsFakes

__all__ = ["fakes", "teams_bot"]  # the fixtures

HEADER = (
    "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,website_consent"
)


def _text(call: Any) -> str:
    return json.dumps(call.body, ensure_ascii=False)


def _actions(content: Any) -> list[dict[str, Any]]:
    """Every action in a card, however deeply nested (show cards hold their own)."""
    found: list[dict[str, Any]] = []
    if isinstance(content, dict):
        if str(content.get("type", "")).startswith("Action."):
            found.append(content)
        for value in content.values():
            found.extend(_actions(value))
    elif isinstance(content, list):
        for item in content:
            found.extend(_actions(item))
    return found


def test_a_name_question_is_answered_from_its_card(teams_bot: TeamsBot) -> None:
    year = AcademicYear.at(utcnow())  # Frank Lee is on the register: is this Frank him?
    roster = f"{HEADER}\nFrank,Lee,,4,{year},yes,yes\n".encode()
    with teams_bot.sessions.begin() as session:
        import_roster(session, parse_roster(roster), actor="test", source="frank.csv")
    post = teams_bot.send("<p>Frank was brilliant at sports day today.</p>")
    draft = teams_bot.draft()
    [question] = [c for c in teams_bot.thread(post) if "name_not_pupil" in _text(c)]
    [action] = [a for a in _actions(question.body) if a.get("verb") == "name_not_pupil"]
    with teams_bot.sessions() as session:
        where = teams_refs.asked_at(session, draft.id, action["data"]["question"])
    assert where is not None

    refused = teams_bot.click("name_not_pupil", action["data"], user=TEACHER, card=where)
    assert refused["value"] == NOT_YOURS

    answered = teams_bot.click("name_not_pupil", action["data"], user=AUTHOR, card=where)
    assert answered["type"] == CARD_CONTENT_TYPE  # the clicker sees the answer at once
    assert "not a pupil" in json.dumps(answered["value"])
    teams_bot.wait()
    assert "not a pupil" in _text(teams_bot.updates(where)[-1])  # and so does everyone
    assert teams_bot.draft().state == "pending_approval"
    assert len(teams_bot.cards()) == 1  # now SLT see it


def _alert(bot: TeamsBot) -> tuple[int, tuple[str, str]]:
    with bot.sessions.begin() as session:
        alert = Alert(kind="follower", subject_id="42", subject_handle="someone", rule="offensive")
        session.add(alert)
        session.flush()
        alert_id = alert.id
    # Installing the app is how the bot first learns where to call Teams back.
    installed = bot.base(HEAD, SAFEGUARDING, type="installationUpdate", action="add")
    assert bot.post(installed)[0] == 202
    bot.wait()
    bot.gateway.post_alert(alert_id)
    with bot.sessions() as session:
        where = teams_refs.alert_card_of(session, alert_id)
    assert where is not None
    assert where[0] == SAFEGUARDING
    return alert_id, where


def _state(bot: TeamsBot, alert_id: int) -> tuple[str, str | None]:
    with bot.sessions() as session:
        row = session.execute(
            select(Alert.state, Alert.decided_by).where(Alert.id == alert_id)
        ).one()
        return row[0], row[1]


def test_alert_decisions_are_slt_only_and_redraw_the_card(teams_bot: TeamsBot) -> None:
    alert_id, where = _alert(teams_bot)
    data = {"alert": str(alert_id)}

    assert teams_bot.click("alert_actioned", data, user=TEACHER, card=where)["value"] == NOT_SLT
    assert teams_bot.click("alert_dismiss", data, user=HEAD, card=where)["value"] == NO_NOTE
    assert teams_bot.click("alert_mute", data, user=HEAD, card=where)["value"] == NO_X_KEYS
    teams_bot.wait()
    assert _state(teams_bot, alert_id) == ("open", None)

    done = teams_bot.click("alert_actioned", data, user=HEAD, card=where)
    assert done["value"] == DONE["alert_actioned"]
    teams_bot.wait()
    assert _state(teams_bot, alert_id) == ("actioned", HEAD)
    assert "Actioned" in _text(teams_bot.updates(where)[-1])

    late = teams_bot.click("alert_dismiss", data | {"note": "fine"}, user=DEPUTY, card=where)
    assert late["value"].startswith("Not done: alert")
    assert _state(teams_bot, alert_id) == ("actioned", HEAD)


class SlowX:
    """X's mute, held until the test lets it go: work that outlasts the invoke's budget."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.muted: list[str] = []

    def mute(self, user_id: str) -> None:
        assert self.release.wait(30)
        self.muted.append(user_id)

    def hide_reply(self, post_id: str) -> None:
        raise AssertionError("not asked for")


def test_slow_work_is_answered_in_time_and_finishes_after(
    fakes: TeamsFakes, sessions: sessionmaker[Session]
) -> None:
    x = SlowX()
    bot = make_bot(fakes, sessions, reader_factory=lambda: x, invoke_budget=0.2)  # type: ignore[arg-type,return-value]
    try:
        alert_id, where = _alert(bot)
        body = bot.click("alert_mute", {"alert": str(alert_id)}, user=HEAD, card=where)
        assert body["value"] == STILL_WORKING  # answered while X is still being asked
        assert _state(bot, alert_id) == ("open", None)
        x.release.set()
        bot.wait()
        assert x.muted == ["42"]
        assert _state(bot, alert_id) == ("muted", HEAD)
        assert "Muted" in _text(bot.updates(where)[-1])
    finally:
        bot.server.stop()


def test_logs_carry_no_pupil_names_and_no_secrets(
    teams_bot: TeamsBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    post = teams_bot.send("<p>Zoë Smith and Frank won the egg and spoon race.</p>")
    draft = teams_bot.draft()
    teams_bot.click("draft_reject", {"draft": str(draft.id), "reason": "Zoë's name"}, user=HEAD)
    teams_bot.post(teams_bot.deleted(post))
    teams_bot.wait()
    tokens = teams_bot.fakes.tokens.issued()
    assert tokens
    for secret in ("Zoë", "Frank", APP_PASSWORD, *tokens):
        assert secret not in caplog.text
