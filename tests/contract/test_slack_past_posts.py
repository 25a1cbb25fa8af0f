"""Past posts after a withdrawal, against the fake Slack and the fake X: the office withdraws a
pupil's Twitter consent, SLT get a card of the live posts picturing them, delete one from X
(the worker deletes it through the publisher) and keep the other; who did what is on the card
and in the audit log, and nobody else may press the buttons."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import (
    AuditEntry,
    Draft,
    PastPostReview,
    Photo,
    PicturedPupil,
    utcnow,
)
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.publishing.retention import purge_finished_photos
from chatbot.services.publishing.state import record_post
from chatbot.worker import Worker
from tests.contract.slack_support import DEPUTY, HEAD, STAFF, Bot, action_ids, make_bot
from tests.fakes import x_server
from tests.fakes.slack_server import APPROVALS, FakeSlack
from tests.fakes.x_server import FakeX
from tests.publish_support import JPEG, publisher_for

NAMES = {HEAD: "Ann Head", DEPUTY: "Dee Puty"}  # as Slack's users.info gives them

OFFICE = "U0OFFICE1"
YEAR = AcademicYear.at(utcnow())
fake_x = x_server.fake_x


@pytest.fixture
def bot(fake_slack: FakeSlack, sessions: sessionmaker[Session]) -> Bot:
    return make_bot(fake_slack, sessions, office_users=(OFFICE,))


def published(bot: Bot, fake: FakeX, text: str, *pupils: int, photo: bool = True) -> int:
    """A draft published on the fake X (a real post there) picturing `pupils`."""
    post = publisher_for(fake).create_post(text)
    with bot.sessions.begin() as session:
        draft = Draft(
            author_id=STAFF,
            source_text=text,
            text=text,
            state="published",
            verdict="pass",
            declared=True,
            decided_by=HEAD,
            decided_at=utcnow(),
        )
        session.add(draft)
        session.flush()
        if photo:
            session.add(Photo(draft_id=draft.id, position=0, filename="a.jpg", data=JPEG))
        for pupil in pupils:
            session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil))
        record_post(session, draft.id, "x", post.id, post.url)
        audit(session, actor="system", action="published", draft_id=draft.id)
        return draft.id


def withdraw(bot: Bot, pupil: int, user: str = OFFICE) -> None:
    def choose(value: str) -> dict[str, Any]:
        return {"type": "radio_buttons", "selected_option": {"value": value}}

    response = bot.submit(
        "record_consent",
        "",
        {
            "consent_pupil": {"type": "external_select", "selected_option": {"value": str(pupil)}},
            "consent_channel": choose("twitter"),
            "consent_answer": choose("withdrawn"),
            "consent_year": {"type": "static_select", "selected_option": {"value": str(YEAR)}},
            "consent_note": {"type": "plain_text_input", "value": "letter from parent"},
        },
        user=user,
    )
    assert response.status == 200


def review_cards(bot: Bot) -> list[dict[str, Any]]:
    """Every past-posts card posted (chat.postMessage) in the approvals channel."""
    return [
        c.params
        for c in bot.fake.calls("chat.postMessage")
        if c.params.get("channel") == APPROVALS and "Twitter consent withdrawn" in str(c.params)
    ]


def card_now(bot: Bot, ts: str) -> list[dict[str, Any]]:
    """The card's blocks as last drawn (its latest chat.update, else as posted)."""
    updates = [c.params for c in bot.fake.calls("chat.update") if c.params.get("ts") == ts]
    if updates:
        blocks = updates[-1]["blocks"]
    else:
        blocks = next(p["blocks"] for p in review_cards(bot) if p.get("ts", ts) == ts)
    return blocks if isinstance(blocks, list) else json.loads(blocks)


def posted_ts(bot: Bot) -> str:
    with bot.sessions() as session:
        from chatbot.adapters.slack.refs import SlackReviewCard

        row = session.scalars(select(SlackReviewCard)).one()
        return row.ts


def values_of(blocks: list[dict[str, Any]], action_id: str) -> list[str]:
    return [
        e["value"]
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def reason_form(bot: Bot) -> dict[str, Any]:
    view = bot.fake.calls("views.open")[-1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def give_reason(bot: Bot, form: dict[str, Any], reason: str, user: str) -> None:
    bot.submit(
        form["callback_id"],
        form["private_metadata"],
        {"reason": {"type": "plain_text_input", "value": reason}},
        user=user,
    )


def test_a_withdrawal_puts_live_posts_to_slt_who_delete_one_and_keep_one(
    bot: Bot, fake_x: FakeX, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for user, name in NAMES.items():
        bot.fake.add_user(user, name=name)
    zoe, mohammed = bot.pupil("Zoë"), bot.pupil("Mohammed")
    first = published(bot, fake_x, "Year 4 painting sunflowers in the art room today.", zoe)
    second = published(bot, fake_x, "Our netball team won the cup!", zoe, mohammed)
    other = published(bot, fake_x, "Year 6 at the science fair.", mohammed)
    # photos purged as the policy says; who is pictured stays while the posts are live
    assert purge_finished_photos(bot.sessions, timedelta(0), now=utcnow() + timedelta(days=1))
    with bot.sessions() as session:
        assert all(p.data is None for p in session.scalars(select(Photo)))
        kept = {(p.draft_id, p.pupil_id) for p in session.scalars(select(PicturedPupil))}
    assert {(first, zoe), (second, zoe), (second, mohammed), (other, mohammed)} <= kept

    withdraw(bot, zoe)
    (card,) = review_cards(bot)
    blocks = card["blocks"] if isinstance(card["blocks"], list) else json.loads(card["blocks"])
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "Zoë Smith (Year 4)" in shown
    assert "Year 4 painting sunflowers" in shown
    assert "netball team won the cup" in shown
    assert "science fair" not in shown
    for draft_id in (first, second):
        assert bot.draft(draft_id).post_url in shown
    assert values_of(blocks, "past_post_delete") == [str(first), str(second)]
    assert values_of(blocks, "past_post_keep") == [str(first), str(second)]
    ts = posted_ts(bot)

    # a teacher's click, and a forged value (a post not on this card), are refused
    bot.click("past_post_delete", str(first), user=STAFF, message_ts=ts)
    bot.click("past_post_delete", str(other), user=HEAD, message_ts=ts)
    bot.click("past_post_keep", str(first), user=HEAD)  # not on the card at all
    assert not bot.fake.calls("views.open")
    assert "Only members of the senior leadership team" in bot.ephemerals(STAFF)[-1]
    refusals = bot.ephemerals(HEAD)
    assert "not on this card" in refusals[0]
    assert "not on a card I know" in refusals[1]

    # SLT delete the first: confirm on the button, then a reason; the worker deletes it on X
    delete_button = next(
        e
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == "past_post_delete"
    )
    assert delete_button["confirm"]["confirm"]["text"] == "Continue"
    bot.click("past_post_delete", str(first), user=HEAD, message_ts=ts)
    form = reason_form(bot)
    assert form["callback_id"] == "past_post_delete_reason"
    give_reason(bot, form, "Parent asked for it to come down", HEAD)
    assert "Being deleted from X" in json.dumps(card_now(bot, ts), ensure_ascii=False)
    assert [(o.kind, o.state) for o in bot.outbox()] == [("delete", "queued")]
    Worker(bot.sessions, publisher_for(fake_x), bot.gateway).run_once()
    assert len(fake_x.calls("DELETE /2/tweets/{id}")) == 1
    assert [p.text for p in fake_x.live_posts()] == [
        "Our netball team won the cup!",
        "Year 6 at the science fair.",
    ]
    assert bot.draft(first).state == "deleted"
    after_delete = json.dumps(card_now(bot, ts), ensure_ascii=False)
    assert f"Deleted from X, chosen by <@{HEAD}>" in after_delete
    assert "Parent asked for it to come down" in after_delete

    # another SLT member keeps the second, with a reason
    bot.click("past_post_keep", str(second), user=DEPUTY, message_ts=ts)
    form = reason_form(bot)
    assert form["callback_id"] == "past_post_keep_reason"
    give_reason(bot, form, "Zoë is not recognisable: back of the team photo", DEPUTY)
    final = card_now(bot, ts)
    assert f"Reviewed and kept by <@{DEPUTY}>" in json.dumps(final, ensure_ascii=False)
    assert action_ids(final) == []  # every post decided: no buttons left
    assert bot.draft(second).state == "published"
    assert len(fake_x.calls("DELETE /2/tweets/{id}")) == 1

    with bot.sessions() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("past_post%")).order_by(AuditEntry.id)
        ).all()
        deleted = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "deleted_from_x")
        ).one()
    assert [(r.action, r.actor, r.draft_id) for r in rows] == [
        ("past_posts.review_opened", OFFICE, None),
        ("past_post.delete", HEAD, first),
        ("past_post.keep", DEPUTY, second),
    ]
    assert all(r.subject == f"pupil:{zoe}" for r in rows)
    assert (deleted.actor, deleted.reason) == (HEAD, "Parent asked for it to come down")
    # Who acted, by name as Slack gave it, for the governors' export (the worker's row too).
    assert [r.actor_name for r in rows[1:]] == [NAMES[HEAD], NAMES[DEPUTY]]
    assert deleted.actor_name == NAMES[HEAD]

    # a second click on a decided post is refused
    bot.click("past_post_delete", str(second), user=HEAD, message_ts=ts)
    assert "already reviewed this post and kept it" in bot.ephemerals(HEAD)[-1]
    assert "Zoë" not in caplog.text
    assert "Smith" not in caplog.text


def test_the_author_may_not_keep_their_own_post_and_a_reason_is_needed(
    bot: Bot, fake_x: FakeX
) -> None:
    zoe = bot.pupil("Zoë")
    draft_id = published(bot, fake_x, "Sports day relay.", zoe)
    with bot.sessions.begin() as session:
        session.get_one(Draft, draft_id).author_id = HEAD
    withdraw(bot, zoe)
    ts = posted_ts(bot)
    bot.click("past_post_keep", str(draft_id), user=HEAD, message_ts=ts)
    assert "another member of SLT must decide to keep it" in bot.ephemerals(HEAD)[-1]
    bot.click("past_post_keep", str(draft_id), user=DEPUTY, message_ts=ts)
    empty = bot.submit(
        "past_post_keep_reason",
        reason_form(bot)["private_metadata"],
        {"reason": {"type": "plain_text_input", "value": "  "}},
        user=DEPUTY,
    )
    assert '"response_action": "errors"' in empty.body


def test_no_live_posts_no_card(bot: Bot, fake_x: FakeX) -> None:
    zoe, mohammed = bot.pupil("Zoë"), bot.pupil("Mohammed")
    published(bot, fake_x, "Year 6 at the science fair.", mohammed)
    gone = published(bot, fake_x, "An old post.", zoe)
    with bot.sessions.begin() as session:
        session.get_one(Draft, gone).state = "deleted"
    withdraw(bot, zoe)
    assert review_cards(bot) == []
    with bot.sessions() as session:
        assert session.scalars(select(PastPostReview)).all() == []
