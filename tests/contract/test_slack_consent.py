"""`/consent` against the fake Slack: the office and SLT record consent, a teacher is refused,
and two pupils of one name (two UPNs) are told apart from import to picker to consent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster, list_register
from chatbot.services.roster_csv import FIELDS, parse_roster
from tests.contract.slack_support import HEAD, STAFF, Bot, make_bot
from tests.fakes.slack_server import DRAFTS, FakeSlack

OFFICE = "U0OFFICE1"
YEAR = AcademicYear.at(utcnow())


@pytest.fixture
def bot(fake_slack: FakeSlack, sessions: sessionmaker[Session]) -> Bot:
    bot = make_bot(fake_slack, sessions, office_users=(OFFICE,))
    lines = [
        "upn," + ",".join(FIELDS),
        f"H341210724090,Jack,Jones,,2,{YEAR},yes,yes",
        f"A341210720029,Jack,Jones,,6,{YEAR},yes,no",
    ]
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(("\n".join(lines) + "\n").encode()), actor="t", source="r.csv"
        )
    return bot


def command(bot: Bot, user: str, channel: str = DRAFTS) -> int:
    body = {
        "command": "/consent",
        "text": "",
        "user_id": user,
        "user_name": user.lower(),
        "channel_id": channel,
        "team_id": FakeSlack.team_id,
        "trigger_id": f"1700000001.1.{user}",
        "response_url": "https://hooks.slack.invalid/commands/T/1/abc",
    }
    return bot.dispatch(body).status


def suggest(bot: Bot, query: str, user: str) -> list[tuple[str, str]]:
    response = bot.dispatch(
        {
            "type": "block_suggestion",
            "user": {"id": user, "username": user.lower(), "team_id": FakeSlack.team_id},
            "container": {"type": "view", "view_id": "V0000001"},
            "api_app_id": FakeSlack.app_id,
            "token": "verification-token",
            "action_id": "consent_pupil",
            "block_id": "consent_pupil",
            "value": query,
            "team": {"id": FakeSlack.team_id, "domain": FakeSlack.team_domain},
            "view": {"id": "V0000001", "type": "modal", "callback_id": "record_consent"},
        }
    )
    assert response.status == 200
    options = json.loads(response.body)["options"] if response.body else []
    return [(o["value"], o["text"]["text"]) for o in options]


def choose(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def submit(
    bot: Bot, user: str, pupil: str, answer: str, *, channel: str = "twitter", note: str = ""
) -> Any:
    return bot.submit(
        "record_consent",
        "",
        {
            "consent_pupil": {"type": "external_select", "selected_option": {"value": pupil}},
            "consent_channel": {"type": "radio_buttons", "selected_option": {"value": channel}},
            "consent_answer": {"type": "radio_buttons", "selected_option": {"value": answer}},
            "consent_year": choose(str(YEAR)),
            "consent_note": {"type": "plain_text_input", "value": note},
        },
        user=user,
    )


def statuses(bot: Bot) -> dict[str, tuple[str, str]]:
    with bot.sessions() as session:
        return {
            line.upn: (line.twitter.value, line.website.value)
            for line in list_register(session, YEAR)
            if line.upn  # the sample roster's pupils, without ids, are on it too
        }


def test_office_staff_withdraw_one_of_two_same_name_pupils(bot: Bot) -> None:
    bot.fake.add_user(OFFICE, name="Olive Office")
    assert command(bot, OFFICE) == 200
    # the name is read once the form is open, so the submission need not wait on Slack
    assert [c.params["user"] for c in bot.fake.calls("users.info")] == [OFFICE]
    (opened,) = bot.fake.calls("views.open")
    view = opened.params["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert view["callback_id"] == "record_consent"
    year_block = next(b for b in view["blocks"] if b["block_id"] == "consent_year")
    assert year_block["element"]["initial_option"]["value"] == str(YEAR)

    options = suggest(bot, "jack jo", OFFICE)
    assert [label for _v, label in options] == ["Jack Jones (Year 2)", "Jack Jones (Year 6)"]
    year6 = options[1][0]

    response = submit(bot, OFFICE, year6, "withdrawn", note="letter from parent, 1 Dec")
    assert response.status == 200
    answer = json.loads(response.body)
    assert answer["response_action"] == "update"
    shown = repr(answer["view"])
    assert "Jack Jones (Year 6): Twitter consent for" in shown
    assert "is now withdrawn (was: yes)" in shown
    assert statuses(bot) == {"H341210724090": ("yes", "yes"), "A341210720029": ("withdrawn", "no")}
    with bot.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consent.withdraw")
        ).one()
    assert (entry.actor, entry.actor_name) == (OFFICE, "Olive Office")  # staff, never a pupil
    assert entry.subject == f"pupil:{year6}"
    assert entry.detail["note"] == "letter from parent, 1 Dec"
    assert entry.detail["before"] == "yes"

    # the same form again changes nothing, and says so
    again = json.loads(submit(bot, OFFICE, year6, "withdrawn").body)
    assert "already withdrawn" in repr(again["view"])


def test_slt_may_record_consent_too(bot: Bot) -> None:
    assert command(bot, HEAD) == 200
    assert len(bot.fake.calls("views.open")) == 1
    year2 = suggest(bot, "jones", HEAD)[0][0]
    response = submit(bot, HEAD, year2, "given", channel="website")
    assert response.status == 200
    assert statuses(bot)["H341210724090"] == ("yes", "yes")  # already given: nothing changes
    submit(bot, HEAD, suggest(bot, "jones", HEAD)[1][0], "given", channel="website")
    assert statuses(bot)["A341210720029"] == ("yes", "yes")


def test_a_teacher_is_refused_privately(bot: Bot) -> None:
    assert command(bot, STAFF) == 200
    assert bot.fake.calls("views.open") == []
    (refusal,) = bot.ephemerals(STAFF)
    assert refusal.startswith("Only the school office (or SLT) can record consent")
    assert suggest(bot, "jones", STAFF) == []  # no pupils' names for them
    year6 = suggest(bot, "jones", OFFICE)[1][0]
    forged = json.loads(submit(bot, STAFF, year6, "given").body)
    assert forged["response_action"] == "errors"
    assert "Only the school office" in forged["errors"]["consent_pupil"]
    assert statuses(bot)["A341210720029"] == ("yes", "no")


def test_a_pupil_no_longer_on_the_register(bot: Bot) -> None:
    answer = json.loads(submit(bot, OFFICE, "999999", "withdrawn").body)
    assert answer["response_action"] == "errors"
    assert "no longer on the register" in answer["errors"]["consent_pupil"]
    missing = json.loads(submit(bot, OFFICE, "", "withdrawn").body)
    assert "Choose the pupil from the list" in missing["errors"]["consent_pupil"]


def test_the_declaration_picker_tells_same_name_pupils_apart(bot: Bot) -> None:
    response = bot.suggest("jack jones")
    labels = [o["text"]["text"] for o in json.loads(response.body)["options"]]
    assert labels == [
        "Jack Jones (Year 2)",
        "Jack Jones (Year 6)",
        "Someone who is not on the register (no consent)",
    ]
