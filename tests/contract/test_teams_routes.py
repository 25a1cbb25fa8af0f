"""The Teams endpoint end to end with the real Agents SDK against the fakes (tests/fakes/teams/):
drafts from channel posts, edits and deletions, SLT's clicks answered in the invoke, the
"Who is pictured?" dialog, and nothing at all for a request without a valid token."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import utcnow
from chatbot.adapters.teams.dialogs import action_message
from chatbot.adapters.teams.routes_cards import DONE
from chatbot.domain.academic_year import LONDON
from chatbot.services import approval, intake
from tests.conftest import PHOTOS
from tests.contract.teams_routes_support import (
    APPROVALS,
    AUTHOR,
    DEPUTY,
    DRAFTS,
    HEAD,
    TEACHER,
    TeamsBot,
    fakes,
    make_bot,
    teams_bot,
)
from tests.fakes.teams import APP_ID, SigningKey, TeamsFakes

__all__ = ["fakes", "teams_bot"]  # the fixtures

CLEAN = "<p>Year 4 had a <b>wonderful</b> trip to the museum today &amp; loved it.</p>"


def _text(call: Any) -> str:
    return json.dumps(call.body, ensure_ascii=False)


def test_a_post_becomes_a_draft_with_its_checks_reply_and_card(teams_bot: TeamsBot) -> None:
    post = teams_bot.message(CLEAN)
    status, body = teams_bot.post(post)
    assert (status, body) == (202, None)  # answered before the work is done
    teams_bot.wait()

    [draft] = teams_bot.drafts()
    assert draft.author_id == AUTHOR
    assert draft.text == "Year 4 had a wonderful trip to the museum today & loved it."
    assert draft.source_text == CLEAN
    assert draft.state == "pending_approval"
    [reply] = teams_bot.thread(post)
    assert "waiting for approval" in _text(reply)
    [card] = teams_bot.cards()
    assert '"verb": "draft_approve"' in _text(card)
    assert teams_bot.card_of(draft.id)[0] == APPROVALS
    # The author's display name is kept for mentions; the service URL for later posts.
    assert teams_bot.gateway.names([AUTHOR]) == {AUTHOR: "Ms Teacher"}
    assert teams_bot.gateway.service_url() == teams_bot.fakes.connector.service_url


def test_the_same_activity_twice_makes_one_draft(teams_bot: TeamsBot) -> None:
    post = teams_bot.message(CLEAN)
    assert teams_bot.post(post)[0] == 202
    assert teams_bot.post(post)[0] == 202  # Teams redelivers after a timeout
    teams_bot.wait()
    assert teams_bot.post(post)[0] == 202
    teams_bot.wait()

    assert len(teams_bot.drafts()) == 1
    assert len(teams_bot.cards()) == 1
    assert len(teams_bot.thread(post)) == 1


def test_replies_other_channels_and_bots_are_not_drafts(teams_bot: TeamsBot) -> None:
    root = teams_bot.send(CLEAN)
    reply = teams_bot.base(
        AUTHOR,
        f"{DRAFTS};messageid={root['id']}",
        replyToId=root["id"],
        text="<p>A reply in the thread</p>",
    )
    assert teams_bot.post(reply)[0] == 202
    teams_bot.send("<p>Hello elsewhere</p>", channel="19:general00@thread.tacv2")
    bot_post = teams_bot.message("<p>From the bot</p>")
    bot_post["from"] = {"id": f"28:{APP_ID}", "name": "School posts"}
    assert teams_bot.post(bot_post)[0] == 202
    teams_bot.wait()
    assert [d.source_text for d in teams_bot.drafts()] == [CLEAN]


def test_an_edit_after_approval_resets_it(teams_bot: TeamsBot) -> None:
    post = teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    assert teams_bot.click("draft_approve", {"draft": str(draft.id)}, user=HEAD) == (
        action_message(DONE["draft_approve"])
    )
    teams_bot.wait()
    assert teams_bot.draft().state == "approved"
    assert [i.state for i in teams_bot.outbox()] == ["queued"]

    edit = teams_bot.edited(post, "<p>Year 4 had a wonderful trip to the museum on Monday.</p>")
    assert teams_bot.post(edit)[0] == 202
    teams_bot.wait()
    edited = teams_bot.draft()
    assert edited.text == "Year 4 had a wonderful trip to the museum on Monday."
    assert edited.state == "pending_approval"
    assert edited.decided_by is None
    assert [i.state for i in teams_bot.outbox()] == ["cancelled"]
    assert "needs approving again" in _text(teams_bot.thread(post)[-1])
    assert len(teams_bot.drafts()) == 1


def test_a_deletion_withdraws_the_draft_and_redraws_its_card(teams_bot: TeamsBot) -> None:
    post = teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    where = teams_bot.card_of(draft.id)
    assert teams_bot.post(teams_bot.deleted(post))[0] == 202
    teams_bot.wait()
    assert teams_bot.draft().state == "withdrawn"
    assert "Withdrawn" in _text(teams_bot.updates(where)[-1])


def test_approval_by_slt_updates_the_card_for_everyone(teams_bot: TeamsBot) -> None:
    post = teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    where = teams_bot.card_of(draft.id)
    body = teams_bot.click("draft_approve", {"draft": str(draft.id)}, user=HEAD, card=where)
    assert body == action_message(DONE["draft_approve"])
    teams_bot.wait()
    approved = teams_bot.draft()
    assert (approved.state, approved.decided_by) == ("approved", HEAD)
    [update] = teams_bot.updates(where)
    assert "Approved by" in _text(update)
    assert "Approved by" in _text(teams_bot.thread(post)[-1])  # the author is told


@pytest.mark.parametrize(
    ("author", "clicker", "refusal"),
    [
        (AUTHOR, TEACHER, approval.NOT_SLT),  # a teacher is not SLT
        (AUTHOR, AUTHOR, approval.NOT_SLT),  # nor is the author
        (DEPUTY, DEPUTY, approval.OWN_DRAFT),  # SLT never approve their own draft
    ],
)
def test_refused_clicks_are_told_only_to_the_clicker(
    teams_bot: TeamsBot, author: str, clicker: str, refusal: str
) -> None:
    teams_bot.send(CLEAN, user=author)
    draft = teams_bot.draft()
    where = teams_bot.card_of(draft.id)
    before = len(teams_bot.fakes.connector.calls())
    body = teams_bot.click("draft_approve", {"draft": str(draft.id)}, user=clicker, card=where)
    teams_bot.wait()
    assert body == action_message(refusal)  # in the invoke's answer: the clicker alone
    assert teams_bot.draft().state == "pending_approval"
    assert teams_bot.outbox() == []
    assert len(teams_bot.fakes.connector.calls()) == before  # nothing posted or redrawn


def test_a_rejection_needs_a_reason_and_tells_the_author(teams_bot: TeamsBot) -> None:
    post = teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    empty = teams_bot.click("draft_reject", {"draft": str(draft.id), "reason": " "}, user=HEAD)
    assert empty["value"].startswith("Give the author a reason")
    assert teams_bot.draft().state == "pending_approval"

    data = {"draft": str(draft.id), "reason": "Please add the date of the trip."}
    assert teams_bot.click("draft_reject", data, user=HEAD) == action_message(DONE["draft_reject"])
    teams_bot.wait()
    rejected = teams_bot.draft()
    assert (rejected.state, rejected.decision_reason) == (
        "rejected",
        "Please add the date of the trip.",
    )
    assert "Please add the date of the trip." in _text(teams_bot.thread(post)[-1])


def test_a_forged_draft_id_or_an_unknown_verb_is_refused(teams_bot: TeamsBot) -> None:
    teams_bot.send(CLEAN)
    body = teams_bot.click("draft_approve", {"draft": "-5"}, user=HEAD)
    assert body == action_message(approval.NOT_A_DRAFT)
    assert teams_bot.click("drop_tables", {"draft": "1"}, user=HEAD)["value"] == (
        "That button is not one the bot knows."
    )
    assert teams_bot.draft().state == "pending_approval"


def _photo_post(bot: TeamsBot) -> dict[str, Any]:
    url = bot.fakes.connector.add_attachment((PHOTOS / "no-face.jpg").read_bytes())
    attachment = {"contentType": "image/*", "contentUrl": url, "name": "cup.jpg"}
    return bot.send("<p>Our coffee morning raised £200.</p>", attachments=[attachment])


def _card_json(task: dict[str, Any]) -> str:
    assert task["task"]["type"] == "continue"
    return json.dumps(task["task"]["value"]["card"]["content"], ensure_ascii=False)


def test_the_declaration_dialog_shows_errors_then_saves(teams_bot: TeamsBot) -> None:
    post = _photo_post(teams_bot)
    draft = teams_bot.draft()
    assert draft.state == "awaiting_declaration"
    assert draft.photos[0].data  # downloaded with the bot's token and prepared
    assert teams_bot.fakes.connector.calls("download")
    assert '"verb": "draft_declare"' in _text(teams_bot.thread(post)[0])
    assert teams_bot.cards() == []  # SLT see it once the author has said who is pictured
    fetch = {"msteams": {"type": "task/fetch"}, "verb": "draft_declare", "draft": str(draft.id)}

    refused = teams_bot.task("task/fetch", fetch, user=TEACHER)
    assert refused == {"task": {"type": "message", "value": intake.NOT_DECLARER}}

    dialog = _card_json(teams_bot.task("task/fetch", fetch, user=AUTHOR))
    for input_id in ('"pictured_pupils"', '"no_pupils"', '"alt_text_0"'):
        assert input_id in dialog
    assert "Zoë Smith" in dialog  # a small register travels as static choices

    submit = {"verb": "declare_photos", "draft": str(draft.id), "alt_text_0": "A coffee cup"}
    again = _card_json(teams_bot.task("task/submit", submit | {"no_pupils": "false"}, user=AUTHOR))
    assert "Choose the pupils in the photos" in again
    assert "A coffee cup" in again  # what was typed is kept
    assert teams_bot.draft().state == "awaiting_declaration"

    saved = submit | {"no_pupils": "true", "photo_source": "staff"}
    assert teams_bot.task("task/submit", saved, user=AUTHOR) is None  # the dialog closes
    teams_bot.wait()
    declared = teams_bot.draft()
    assert (declared.state, declared.no_pupils) == ("pending_approval", True)
    assert declared.photos[0].alt_text == "A coffee cup"
    assert len(teams_bot.cards()) == 1


def test_pupils_are_chosen_by_id_and_searched(teams_bot: TeamsBot) -> None:
    _photo_post(teams_bot)
    draft = teams_bot.draft()
    zoe = teams_bot.pupil("Zoë")
    saved = {
        "verb": "declare_photos",
        "draft": str(draft.id),
        "pictured_pupils": str(zoe),
        "no_pupils": "false",
        "alt_text_0": "Zoë with a cup",
        "photo_source": "staff",
    }
    assert teams_bot.task("task/submit", saved, user=AUTHOR) is None
    teams_bot.wait()
    assert [p.pupil_id for p in teams_bot.draft().pictured] == [zoe]

    value = {"queryText": "moh", "dataset": "pupils", "kind": "search"}
    status, body = teams_bot.post(teams_bot.invoke("application/search", value, user=AUTHOR))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.search.searchResponse"
    assert [r["title"] for r in body["value"]["results"]] == ["Mohammed Khan (Year 6)"]


@pytest.mark.parametrize("kind", ["none", "wrong_key", "expired", "audience"])
def test_a_request_without_a_valid_token_is_401_and_does_nothing(
    fakes: TeamsFakes, sessions: sessionmaker[Session], kind: str
) -> None:
    bot = make_bot(fakes, sessions)
    try:
        token = {
            "none": None,
            "wrong_key": SigningKey(kid=fakes.key.kid).sign(
                app_id=APP_ID, service_url=fakes.connector.service_url
            ),
            "expired": fakes.sign(lifetime=-3600),
            "audience": fakes.sign(app_id="11111111-2222-3333-4444-555555555555"),
        }[kind]
        assert bot.post(bot.message(CLEAN), token=token) == (401, {"error": "unauthorized"})
        click = {"action": {"type": "Action.Execute", "verb": "draft_approve", "data": {}}}
        invoke = bot.invoke("adaptiveCard/action", click, user=HEAD)
        assert bot.post(invoke, token=token)[0] == 401
        bot.wait()
        assert bot.drafts() == []
        assert fakes.connector.calls() == []
        assert fakes.tokens.token_requests() == []
    finally:
        bot.server.stop()


def test_approve_for_later_and_cancel_the_schedule(teams_bot: TeamsBot) -> None:
    teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    later = (utcnow().astimezone(LONDON) + timedelta(days=2)).date().isoformat()
    when = {"draft": str(draft.id), "post_date": later, "post_time": "08:30"}
    assert teams_bot.click("draft_schedule", when, user=HEAD) == action_message(
        DONE["draft_schedule"]
    )
    teams_bot.wait()
    scheduled = teams_bot.draft()
    assert scheduled.state == "scheduled"
    assert scheduled.not_before is not None
    soon = {"draft": str(draft.id), "post_date": "soon"}
    bad = teams_bot.click("draft_schedule", soon, user=HEAD)
    assert bad["value"] == "Choose a day and a time."

    cancel = teams_bot.click("draft_cancel_schedule", {"draft": str(draft.id)}, user=DEPUTY)
    assert cancel == action_message(DONE["draft_cancel_schedule"])
    teams_bot.wait()
    assert teams_bot.draft().state == "pending_approval"
