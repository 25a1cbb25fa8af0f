"""The office's consent form on Teams against the fake Bot Connector, with signed tokens:
"consent" in the bot's personal chat → the card → `task/fetch` → the dialog → `task/submit`.
The office and SLT record consent; a teacher is refused at every step, a forged pupil id too;
pupils of one name are told apart in the dialog's choices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft, NetworkPost, PicturedPupil, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster, list_register, office
from chatbot.services.roster_csv import FIELDS, parse_roster
from tests.contract.teams_routes_support import HEAD, TEACHER, TeamsBot, fakes, make_bot
from tests.fakes.teams import TENANT_ID, TeamsFakes
from tests.fixtures.adaptive_cards import inputs, schema_errors

__all__ = ["fakes"]  # the fixture

OFFICE = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
YEAR = AcademicYear.at(utcnow())
OPEN = {"msteams": {"type": "task/fetch"}, "verb": "consent_open"}
# Jack Jones twice in different year groups; Amy Lee twice in one (told apart by the UPN).
UPNS = {
    "jack2": "H341210724090",
    "jack6": "A341210720029",
    "amy_a": "K801200001001",
    "amy_b": "K801200001002",
}


@pytest.fixture
def bot(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> Iterator[TeamsBot]:
    bot = make_bot(fakes, sessions, office_users=(OFFICE,))
    lines = [
        "upn," + ",".join(FIELDS),
        f"{UPNS['jack2']},Jack,Jones,,2,{YEAR},yes,yes",
        f"{UPNS['jack6']},Jack,Jones,,6,{YEAR},yes,no",
        f"{UPNS['amy_a']},Amy,Lee,,3,{YEAR},yes,no",
        f"{UPNS['amy_b']},Amy,Lee,,3,{YEAR},no,no",
    ]
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(("\n".join(lines) + "\n").encode()), actor="t", source="r.csv"
        )
    try:
        yield bot
    finally:
        bot.server.stop()


def chat_of(user: str) -> str:
    return f"a:1personal{user[:8]}"


def write(bot: TeamsBot, user: str, text: str) -> list[Any]:
    """A message in the person's 1:1 chat with the bot; what the bot sent back there."""
    activity = bot.base(user, chat_of(user), text=text, textFormat="plain")
    activity["conversation"] = {
        "id": chat_of(user),
        "conversationType": "personal",
        "tenantId": TENANT_ID,
    }
    activity["channelData"] = {"tenant": {"id": TENANT_ID}}
    status, _ = bot.post(activity)
    assert status == 202
    bot.wait()
    return [c.body for c in bot.sent(chat_of(user))]


def dialog_of(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["task"]["type"] == "continue", answer
    content: dict[str, Any] = answer["task"]["value"]["card"]["content"]
    assert schema_errors(content) == []
    return content


def record(bot: TeamsBot, user: str, **values: str) -> Any:
    data = {"verb": "consent_record", "channel": "twitter", "academic_year": str(YEAR)}
    return bot.task("task/submit", data | values, user=user)


def choices(dialog: dict[str, Any]) -> dict[str, str]:
    """The pupil input's choices, label -> value."""
    return {c["title"]: c["value"] for c in inputs(dialog)["pupil"]["choices"]}


def statuses(bot: TeamsBot) -> dict[str, tuple[str, str]]:
    with bot.sessions() as session:
        return {
            line.upn: (line.twitter.value, line.website.value)
            for line in list_register(session, YEAR)
            if line.upn
        }


def audit_rows(bot: TeamsBot) -> int:
    with bot.sessions() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


def test_the_office_records_a_withdrawal_from_the_personal_chat(bot: TeamsBot) -> None:
    [card] = write(bot, OFFICE, "consent")
    content = card["attachments"][0]["content"]
    assert schema_errors(content) == []
    [button] = content["actions"]
    assert (button["type"], button["title"]) == ("Action.Submit", "Record a consent change")
    assert button["data"] == OPEN
    assert bot.drafts() == []  # a personal chat is never the drafts channel

    dialog = dialog_of(bot.task("task/fetch", button["data"], user=OFFICE))
    fields = inputs(dialog)
    assert set(fields) == {"pupil", "channel", "status", "academic_year", "note"}
    assert fields["pupil"]["style"] == "filtered"
    assert fields["academic_year"]["value"] == str(YEAR)  # the current year by default
    assert {c["value"] for c in fields["channel"]["choices"]} == {"twitter", "website"}
    assert {c["value"] for c in fields["status"]["choices"]} == {"given", "withdrawn"}
    [submit] = dialog["actions"]
    assert submit["data"] == {"verb": "consent_record"}
    offered = choices(dialog)
    year6 = offered["Jack Jones (Year 6)"]

    answer = record(bot, OFFICE, pupil=year6, status="withdrawn", note="letter from parent, 1 Dec")
    assert answer["task"]["type"] == "message"
    assert "Jack Jones (Year 6): Twitter consent for" in answer["task"]["value"]
    assert "is now withdrawn (was: yes)" in answer["task"]["value"]
    assert statuses(bot)[UPNS["jack6"]] == ("withdrawn", "no")
    assert statuses(bot)[UPNS["jack2"]] == ("yes", "yes")
    with bot.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consent.withdraw")
        ).one()
    assert entry.actor == OFFICE
    assert entry.subject == f"pupil:{year6}"
    assert entry.detail is not None
    assert entry.detail["note"] == "letter from parent, 1 Dec"

    # The same again changes nothing, says so, and names who recorded it (not an `<@id>`).
    again = record(bot, OFFICE, pupil=year6, status="withdrawn")["task"]["value"]
    assert "already withdrawn" in again
    assert "(recorded by you on " in again  # not an `<@id>`


def test_same_name_pupils_are_told_apart_in_the_choices(bot: TeamsBot) -> None:
    write(bot, OFFICE, "/consent")
    offered = choices(dialog_of(bot.task("task/fetch", OPEN, user=OFFICE)))
    assert len(offered) == len(set(offered.values()))  # one choice per pupil
    assert "Jack Jones (Year 2)" in offered
    assert "Jack Jones (Year 6)" in offered
    amy_a = offered[f"Amy Lee (Year 3, UPN {UPNS['amy_a']})"]
    amy_b = offered[f"Amy Lee (Year 3, UPN {UPNS['amy_b']})"]
    assert amy_a != amy_b
    record(bot, OFFICE, pupil=amy_b, status="given", channel="website")
    assert statuses(bot)[UPNS["amy_b"]] == ("no", "yes")
    assert statuses(bot)[UPNS["amy_a"]] == ("yes", "no")


def test_slt_may_record_consent_too(bot: TeamsBot) -> None:
    [card] = write(bot, HEAD, "Consent")
    assert card["attachments"][0]["content"]["actions"][0]["data"] == OPEN
    offered = choices(dialog_of(bot.task("task/fetch", OPEN, user=HEAD)))
    year6 = offered["Jack Jones (Year 6)"]
    answer = record(bot, HEAD, pupil=year6, status="given", channel="website")
    assert "is now yes (was: no)" in answer["task"]["value"]
    assert statuses(bot)[UPNS["jack6"]] == ("yes", "yes")


def test_a_teacher_is_refused_at_every_step(bot: TeamsBot) -> None:
    [reply] = write(bot, TEACHER, "consent")
    assert "attachments" not in reply  # no button
    assert reply["text"].startswith("Only the school office (or SLT) can record consent")
    refused = bot.task("task/fetch", OPEN, user=TEACHER)
    assert refused == {"task": {"type": "message", "value": office.NOT_OFFICE}}

    year6 = choices(dialog_of(bot.task("task/fetch", OPEN, user=OFFICE)))["Jack Jones (Year 6)"]
    before = audit_rows(bot)
    forged = record(bot, TEACHER, pupil=year6, status="given", channel="website")
    assert forged == {"task": {"type": "message", "value": office.NOT_OFFICE}}
    assert statuses(bot)[UPNS["jack6"]] == ("yes", "no")
    assert audit_rows(bot) == before

    search = {"queryText": "jack", "dataset": "consent_pupils", "kind": "search"}
    status, body = bot.post(bot.invoke("application/search", search, user=TEACHER))
    assert status == 200
    assert body["value"]["results"] == []  # no pupils' names for them
    status, body = bot.post(bot.invoke("application/search", search, user=OFFICE))
    assert [r["title"] for r in body["value"]["results"]] == [
        "Jack Jones (Year 2)",
        "Jack Jones (Year 6)",
    ]


def test_a_missing_or_forged_pupil_is_shown_in_the_dialog(bot: TeamsBot) -> None:
    before = audit_rows(bot)
    missing = dialog_of(record(bot, OFFICE, status="withdrawn", note="letter"))
    assert office.CHOOSE_PUPIL in json.dumps(missing)
    assert inputs(missing)["note"]["value"] == "letter"  # what was typed is kept

    forged = json.dumps(dialog_of(record(bot, OFFICE, pupil="999999", status="withdrawn")))
    assert "no longer on the register" in forged
    not_a_number = json.dumps(dialog_of(record(bot, OFFICE, pupil="1 OR 1=1", status="given")))
    assert office.CHOOSE_PUPIL in not_a_number

    year6 = choices(dialog_of(bot.task("task/fetch", OPEN, user=OFFICE)))["Jack Jones (Year 6)"]
    no_status = dialog_of(record(bot, OFFICE, pupil=year6, status="maybe", channel="fax"))
    assert "Choose given or withdrawn." in json.dumps(no_status)
    assert "Choose Twitter or the website." in json.dumps(no_status)
    assert inputs(no_status)["pupil"]["value"] == year6  # the choice is kept
    bad_year = dialog_of(record(bot, OFFICE, pupil=year6, status="given", academic_year="1999"))
    assert "Please check the points in red" in json.dumps(bad_year)
    assert audit_rows(bot) == before
    assert statuses(bot)[UPNS["jack6"]] == ("yes", "no")


def test_the_personal_chat_answers_with_the_home_card(bot: TeamsBot) -> None:
    [home] = write(bot, OFFICE, "<p>hello</p>")
    content = home["attachments"][0]["content"]
    assert schema_errors(content) == []
    assert "Your drafts" in json.dumps(content)
    assert [a["data"] for a in content["actions"]] == [OPEN]  # the office's button
    assert dialog_of(bot.task("task/fetch", OPEN, user=OFFICE))

    [staff] = write(bot, TEACHER, "hi")
    assert "actions" not in staff["attachments"][0]["content"]
    [slt] = write(bot, HEAD, "hi")
    assert "Waiting for approval" in json.dumps(slt["attachments"][0]["content"])
    assert bot.drafts() == []


def test_a_file_in_the_personal_chat_is_left_alone(bot: TeamsBot) -> None:
    activity = bot.base(OFFICE, chat_of(OFFICE), text="", textFormat="plain")
    activity["conversation"] = {"id": chat_of(OFFICE), "conversationType": "personal"}
    activity["attachments"] = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": "register.csv",
            "content": {"downloadUrl": "https://localhost/x", "fileType": "csv"},
        }
    ]
    assert bot.post(activity)[0] == 202
    bot.wait()
    assert bot.sent(chat_of(OFFICE)) == []


def test_a_withdrawal_in_the_dialog_sends_slt_the_live_posts_card(bot: TeamsBot) -> None:
    write(bot, OFFICE, "consent")  # the bot learns Teams' service URL here
    year2 = int(
        choices(dialog_of(bot.task("task/fetch", OPEN, user=OFFICE)))["Jack Jones (Year 2)"]
    )
    text = "Sports day sprint finals!"
    with bot.sessions.begin() as session:
        draft = Draft(author_id="author", text=text, source_text=text, state="published")
        session.add(draft)
        session.flush()
        session.add(PicturedPupil(draft_id=draft.id, pupil_id=year2))
        url = "https://x.com/HuntsCrossPri/status/777"
        session.add(NetworkPost(draft_id=draft.id, network="x", post_id="777", url=url))
    assert bot.cards() == []

    answer = record(bot, OFFICE, pupil=str(year2), status="withdrawn", note="letter")
    assert answer["task"]["type"] == "message"
    (card,) = bot.cards()
    shown = json.dumps(card.body, ensure_ascii=False)
    assert "Jack Jones (Year 2)" in shown
    assert text in shown
    assert url in shown
