"""Every child can be declared, in Teams' "Who is pictured?" dialog with the real Agents SDK
against the fakes: a pupil only on last year's register is a choice with the note, and so is
"someone who is not on the register"; choosing either is saved, shown in the dialog, and
blocks the photo with photo-consent on the approval card."""

from __future__ import annotations

import json
from typing import Any

from chatbot.adapters.db.models import utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.contract.teams_routes_support import AUTHOR, HEAD, TeamsBot, fakes, teams_bot
from tests.contract.test_teams_routes import _card_json, _photo_post

__all__ = ["fakes", "teams_bot"]  # the fixtures

LEAVER = "Harvey Patel (not on this year's register: no consent)"
ANYONE = "Someone who is not on the register (no consent)"


def add_leaver(bot: TeamsBot) -> int:
    last = AcademicYear(AcademicYear.at(utcnow()).start - 1)
    csv = (
        "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
        f"website_consent\nHarvey,Patel,,6,{last},yes,yes\n"
    )
    with bot.sessions.begin() as session:
        import_roster(session, parse_roster(csv.encode()), actor="test", source="old.csv")
    return bot.pupil("Harvey")


def choice_set(dialog: str) -> dict[str, Any]:
    card = json.loads(dialog)
    [found] = [e for e in card["body"] if e.get("id") == "pictured_pupils"]
    return dict(found)


def submit(bot: TeamsBot, draft_id: int, pictured: str) -> Any:
    data = {
        "verb": "declare_photos",
        "draft": str(draft_id),
        "pictured_pupils": pictured,
        "no_pupils": "false",
        "alt_text_0": "A coffee cup",
        "photo_source": "staff",
    }
    return bot.task("task/submit", data, user=AUTHOR)


def card_text(bot: TeamsBot, draft_id: int) -> str:
    shown = [*bot.cards(), *bot.updates(bot.card_of(draft_id))]
    return json.dumps(shown[-1].body, ensure_ascii=False)


def test_a_leaver_is_offered_with_the_note_and_blocks(teams_bot: TeamsBot) -> None:
    harvey = add_leaver(teams_bot)
    _photo_post(teams_bot)
    draft = teams_bot.draft()
    fetch = {"msteams": {"type": "task/fetch"}, "verb": "draft_declare", "draft": str(draft.id)}
    dialog = _card_json(teams_bot.task("task/fetch", fetch, user=AUTHOR))
    choices = [(c["value"], c["title"]) for c in choice_set(dialog)["choices"]]
    assert (str(harvey), LEAVER) in choices
    assert choices[-1] == ("unregistered", ANYONE)
    # a register too big for static choices is searched: the leaver is found there too
    value = {"queryText": "harv", "dataset": "pupils", "kind": "search"}
    status, body = teams_bot.post(teams_bot.invoke("application/search", value, user=AUTHOR))
    assert status == 200
    assert [r["title"] for r in body["value"]["results"]] == [LEAVER]

    again = _card_json(submit(teams_bot, draft.id, str(harvey)))
    assert "Not on this year's register, so no consent: Harvey Patel." in again
    assert choice_set(again)["value"] == str(harvey)  # what was chosen stays chosen
    teams_bot.wait()
    saved = teams_bot.draft()
    assert (saved.state, [p.pupil_id for p in saved.pictured]) == ("needs_changes", [harvey])
    card = card_text(teams_bot, draft.id)
    assert "A pictured child is not on this year's register (no consent)" in card
    assert "Harvey Patel (not on this year's register)" in card
    assert '"verb": "draft_approve"' not in card
    assert '"verb": "draft_override"' not in card
    forged = teams_bot.click("draft_override", {"draft": str(draft.id), "reason": "ok"}, user=HEAD)
    assert "cannot be overridden" in json.dumps(forged)
    teams_bot.wait()
    assert teams_bot.draft().state == "needs_changes"


def test_someone_not_on_the_register_blocks(teams_bot: TeamsBot) -> None:
    _photo_post(teams_bot)
    draft = teams_bot.draft()
    zoe = teams_bot.pupil("Zoë")
    again = _card_json(submit(teams_bot, draft.id, f"{zoe},unregistered"))
    assert "Someone who is not on the register has no consent." in again
    assert choice_set(again)["value"] == f"{zoe},unregistered"
    teams_bot.wait()
    saved = teams_bot.draft()
    assert (saved.state, saved.unregistered_pictured) == ("needs_changes", True)
    card = card_text(teams_bot, draft.id)
    assert "A pictured child is not on the register" in card
    assert "Someone who is not on the register" in card
    assert '"verb": "draft_approve"' not in card

    # Old clients send ids only: still saved, and the choice is gone once not sent.
    assert submit(teams_bot, draft.id, str(zoe)) is None
    teams_bot.wait()
    assert teams_bot.draft().state == "pending_approval"
