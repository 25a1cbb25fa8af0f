"""SLT's buttons for what happens at X, and who counts as SLT."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft
from chatbot.services.publishing.state import record_post
from tests.contract.slack_support import DEPUTY, HEAD, OTHER_STAFF, Bot, action_ids, make_bot
from tests.fakes.slack_server import FakeSlack


def in_state(bot: Bot, state: str, **values: Any) -> str:
    bot.post("Year 4 had a wonderful trip to the museum today.")
    draft = bot.draft()
    bot.click("draft_approve", str(draft.id), user=HEAD)
    with bot.sessions.begin() as session:
        session.execute(update(Draft).where(Draft.id == draft.id).values(state=state, **values))
    return str(draft.id)


def card_buttons(bot: Bot) -> list[str]:
    return action_ids(bot.fake.calls("chat.update")[-1].params["blocks"])


def test_retry_a_failed_post(bot: Bot) -> None:
    draft_id = in_state(bot, "failed")
    bot.click("draft_retry", draft_id, user=OTHER_STAFF)
    assert bot.draft().state == "failed"
    bot.click("draft_retry", draft_id, user=HEAD)
    assert bot.draft().state == "approved"
    assert [o.state for o in bot.outbox()][-1] == "queued"
    assert card_buttons(bot) == []


def test_mark_as_published_checks_the_link(bot: Bot) -> None:
    draft_id = in_state(bot, "needs_review")
    bot.click("draft_mark_published", draft_id, user=HEAD)
    assert bot.fake.calls("views.open")[-1].params["view"]["callback_id"] == "mark_published"
    wrong = bot.submit(
        "mark_published",
        draft_id,
        {"url": {"type": "plain_text_input", "value": "x.com"}},
        user=HEAD,
    )
    assert '"response_action": "errors"' in wrong.body
    url = "https://x.com/HuntsCrossPri/status/1234567890"
    bot.submit(
        "mark_published", draft_id, {"url": {"type": "plain_text_input", "value": url}}, user=HEAD
    )
    draft = bot.draft()
    assert draft.state == "published"
    assert draft.post_url == url
    assert card_buttons(bot) == ["draft_takedown"]


def test_takedown_needs_a_reason_and_queues_the_deletion(bot: Bot) -> None:
    draft_id = in_state(bot, "published")
    with bot.sessions.begin() as session:
        url = "https://x.com/HuntsCrossPri/status/99"
        record_post(session, int(draft_id), "x", "99", url)
    bot.click("draft_takedown", draft_id, user=HEAD)
    assert bot.fake.calls("views.open")[-1].params["view"]["callback_id"] == "takedown_reason"
    bot.submit(
        "takedown_reason",
        draft_id,
        {"reason": {"type": "plain_text_input", "value": "A parent asked"}},
        user=HEAD,
    )
    assert [(o.kind, o.state) for o in bot.outbox()][-1] == ("delete", "queued")


def test_cancel_a_schedule_returns_the_draft_to_slt(bot: Bot) -> None:
    draft_id = in_state(bot, "scheduled")
    bot.click("draft_cancel_schedule", draft_id, user=HEAD)
    assert bot.draft().state == "pending_approval"
    assert "draft_approve" in card_buttons(bot)


def test_slt_user_group_is_cached_and_refreshed_when_slack_says_it_changed(
    fake_slack: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    group = "S0SLTGRP1"
    fake_slack.set_usergroup(group, [HEAD])
    bot = make_bot(fake_slack, sessions, slt_users=(), slt_usergroup=group)
    bot.post("Year 4 had a wonderful trip to the museum today.")
    draft_id = str(bot.draft().id)
    bot.click("draft_approve", draft_id, user=DEPUTY)
    assert "Only members of the senior leadership team" in bot.ephemerals(DEPUTY)[-1]
    fake_slack.set_usergroup(group, [HEAD, DEPUTY])
    bot.click("draft_approve", draft_id, user=DEPUTY)  # the cache still says no
    assert len(bot.ephemerals(DEPUTY)) == 2
    assert bot.draft().state == "pending_approval"
    bot.event(
        {
            "type": "subteam_members_changed",
            "subteam_id": group,
            "team_id": FakeSlack.team_id,
            "date_previous_update": 1711111111,
            "date_update": 1711111112,
            "added_users": [DEPUTY],
            "added_users_count": "1",
            "removed_users": [],
            "removed_users_count": "0",
            "event_ts": "1711111112.000100",
        }
    )
    bot.click("draft_approve", draft_id, user=DEPUTY)
    assert bot.draft().state == "approved"
    assert len(fake_slack.calls("usergroups.users.list")) == 2
