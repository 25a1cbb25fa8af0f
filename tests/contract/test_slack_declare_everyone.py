"""Every child can be declared, through the Bolt app against the fake Slack: the "who is
pictured?" type-ahead finds a pupil only on last year's register and offers "someone who is not
on the register"; choosing either is saved, refused inline with the reason, and blocks the
photo with photo-consent on the approval card, which SLT cannot override."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from chatbot.adapters.db.models import utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.contract.slack_support import HEAD, STAFF, Bot, action_ids
from tests.contract.test_slack_decisions import declaration, last_card_blocks, photo_draft

LEAVER = "Harvey Patel (not on this year's register: no consent)"
ANYONE = "Someone who is not on the register (no consent)"


def add_leaver(bot: Bot) -> None:
    """Harvey Patel, in Year 6 with consent last school year, and on no register since."""
    last = AcademicYear(AcademicYear.at(utcnow()).start - 1)
    csv = (
        "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
        f"website_consent\nHarvey,Patel,,6,{last},yes,yes\n"
    )
    with bot.sessions.begin() as session:
        import_roster(session, parse_roster(csv.encode()), actor="test", source="old.csv")


def options(bot: Bot, query: str) -> list[tuple[str, str]]:
    response = bot.suggest(query)
    assert response.status == 200
    return [(o["value"], o["text"]["text"]) for o in json.loads(response.body)["options"]]


def choosing(*values: str) -> dict[str, dict[str, Any]]:
    form = declaration([])
    form["pictured_pupils"]["selected_options"] = [
        {"text": {"type": "plain_text", "text": "x"}, "value": v} for v in values
    ]
    return form


def errors_of(response: Any) -> dict[str, str]:
    answer = json.loads(response.body)
    assert answer["response_action"] == "errors"
    return dict(answer["errors"])


@pytest.fixture
def leaver(bot: Bot) -> str:
    add_leaver(bot)
    [(value, label), anyone] = options(bot, "harv")
    assert (label, anyone) == (LEAVER, ("unregistered", ANYONE))
    return value


def test_a_leaver_is_found_labelled_and_blocks_on_the_card(
    bot: Bot, leaver: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    draft_id, _event = photo_draft(bot)
    bot.click("draft_declare", draft_id, user=STAFF, channel="C0DRAFTS1")
    view = bot.fake.calls("views.open")[-1].params["view"]
    hint = {b["block_id"]: b for b in view["blocks"]}["pictured_pupils"]["hint"]["text"]
    assert "Someone who is not on the register" in hint

    answer = bot.submit("declare_photos", draft_id, choosing(leaver), user=STAFF)
    hint_shown = errors_of(answer)["pictured_pupils"]
    assert "Not on this year's register, so no consent: Harvey Patel." in hint_shown
    draft = bot.draft()  # saved all the same, and blocked
    assert (draft.state, draft.declared) == ("needs_changes", True)
    assert [f.rule for f in draft.findings if f.severity == "block"] == ["photo-consent"]
    card = repr(last_card_blocks(bot))
    assert "A pictured child is not on this year's register (no consent)" in card
    assert "Harvey Patel (not on this year's register) ⛔ NO consent" in card
    buttons = action_ids(last_card_blocks(bot))
    assert "draft_approve" not in buttons
    assert "draft_override" not in buttons

    bot.submit(  # a forged override is refused, as for any photo-consent block
        "override_reason",
        draft_id,
        {"reason": {"type": "plain_text_input", "value": "He is in the background"}},
        user=HEAD,
    )
    assert bot.draft().state == "needs_changes"
    assert bot.outbox() == []
    assert "cannot be overridden" in bot.ephemerals(HEAD)[-1]

    bot.click("draft_declare", draft_id, user=STAFF, channel="C0DRAFTS1")
    again = {b["block_id"]: b for b in bot.fake.calls("views.open")[-1].params["view"]["blocks"]}
    initial = again["pictured_pupils"]["element"]["initial_options"]
    assert [(o["value"], o["text"]["text"]) for o in initial] == [(leaver, LEAVER)]
    assert caplog.records
    assert "Harvey" not in caplog.text
    assert "Patel" not in caplog.text


def test_someone_not_on_the_register_blocks_on_the_card(bot: Bot) -> None:
    draft_id, _event = photo_draft(bot)
    assert options(bot, "ali")[-1] == ("unregistered", ANYONE)  # offered whatever is typed
    zoe = str(bot.pupil("Zoë"))
    answer = bot.submit("declare_photos", draft_id, choosing(zoe, "unregistered"), user=STAFF)
    assert (
        "Someone who is not on the register has no consent." in errors_of(answer)["pictured_pupils"]
    )
    draft = bot.draft()
    assert draft.state == "needs_changes"
    assert [f.rule for f in draft.findings if f.severity == "block"] == ["photo-consent"]
    card = repr(last_card_blocks(bot))
    assert "A pictured child is not on the register" in card
    assert "Zoë Smith (Year 4) ✅ consent; Someone who is not on the register ⛔ NO consent" in card
    assert "draft_approve" not in action_ids(last_card_blocks(bot))

    # Old forms send bare ids: those still work, and clear the choice once it is not sent.
    assert bot.submit("declare_photos", draft_id, declaration([int(zoe)]), user=STAFF).body == ""
    assert bot.draft().state == "pending_approval"
    assert "not on the register" not in repr(last_card_blocks(bot))
