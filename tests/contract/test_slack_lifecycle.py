"""Edits, deletions, App Home, reminders and composing through the Bolt app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from chatbot.adapters.db.models import AuditEntry, Draft, utcnow
from chatbot.adapters.slack import refs as slack_refs
from chatbot.policy.engine import load_policy
from chatbot.services import intake
from chatbot.services.publishing.state import record_post
from chatbot.services.reminders import remind_pending
from tests.contract.slack_support import (
    APPROVALS,
    DRAFTS,
    HEAD,
    PHOTOS,
    STAFF,
    Bot,
    action_ids,
)

CLEAN = "Year 4 had a wonderful trip to the museum today."


def approved(bot: Bot) -> tuple[Draft, dict[str, Any]]:
    event = bot.post(CLEAN)
    draft = bot.draft()
    bot.click("draft_approve", str(draft.id), user=HEAD)
    draft = bot.draft()
    assert draft.state == "approved"
    return draft, event


def test_edit_rechecks_and_clears_the_approval(bot: Bot) -> None:
    draft, event = approved(bot)
    bot.edit(event, "Year 4 had a gr8 trip to the museum today.")
    after = bot.draft()
    assert after.state == "needs_changes"
    assert after.revision == 2
    assert after.text.startswith("Year 4 had a gr8")
    assert after.decided_by is None
    assert [o.state for o in bot.outbox()] == ["cancelled"]
    replies = bot.thread_replies(event["ts"])
    assert "needs approving again" in repr(replies[-1].params["blocks"])
    card = bot.fake.calls("chat.update")[-1].params
    assert card["ts"] == draft.card_ts
    assert "draft_approve" not in action_ids(card["blocks"])
    assert len(bot.cards()) == 1  # the same card, updated in place

    # Fixing it puts it back in front of SLT with an approve button.
    bot.edit(event, "Year 4 had a great trip to the museum today.")
    assert bot.draft().state == "pending_approval"
    assert "draft_approve" in action_ids(bot.fake.calls("chat.update")[-1].params["blocks"])


def test_an_unchanged_edit_changes_nothing(bot: Bot) -> None:
    _draft, event = approved(bot)
    bot.edit(event, CLEAN)  # Slack sends message_changed for unfurls too
    assert bot.draft().state == "approved"
    assert [o.state for o in bot.outbox()] == ["queued"]


def test_edit_keeps_photos_unless_the_files_changed(bot: Bot) -> None:
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg")
    event = bot.post("Coffee morning today.", files=[photo])
    downloads = len(bot.fake.downloads())
    bot.edit(event, "Coffee morning this morning.", files=[photo])
    assert len(bot.fake.downloads()) == downloads
    assert bot.draft().photos[0].data


def test_edit_after_publishing_explains_the_takedown(bot: Bot) -> None:
    draft, event = approved(bot)
    with bot.sessions.begin() as session:
        session.execute(update(Draft).where(Draft.id == draft.id).values(state="published"))
        url = "https://x.com/HuntsCrossPri/status/1"
        record_post(session, draft.id, "x", "1", url)
    bot.edit(event, "A changed text.")
    assert bot.draft().state == "published"
    told = bot.thread_replies(event["ts"])[-1].params["text"]
    assert told.startswith(f"<@{STAFF}>")
    assert "Delete from X" in told


def test_delete_withdraws_and_drops_the_photos(bot: Bot) -> None:
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg")
    event = bot.post("Coffee morning today.", files=[photo])
    assert bot.draft().photos[0].data
    bot.delete(event)
    draft = bot.draft()
    assert draft.state == "withdrawn"
    assert draft.photos[0].data is None
    bot.delete(event)  # a redelivery changes nothing
    assert bot.draft().state == "withdrawn"


def test_deleting_a_draft_with_its_thread_leaves_a_tombstone_and_withdraws(bot: Bot) -> None:
    # Every draft has the bot's reply in its thread, so Slack replaces a deleted draft by a
    # tombstone (message_changed), which must withdraw it, not become its new text.
    _draft, event = approved(bot)
    bot.delete_parent(event)
    draft = bot.draft()
    assert (draft.state, draft.text) == ("withdrawn", CLEAN)
    assert [o.state for o in bot.outbox()] == ["cancelled"]
    with bot.sessions() as session:
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "withdrawn")
        ).all()
    assert actors == [STAFF]
    bot.delete(event)  # Slack may also send message_deleted: nothing more happens
    assert bot.draft().state == "withdrawn"


def test_delete_of_an_approved_draft_cancels_the_post(bot: Bot) -> None:
    _draft, event = approved(bot)
    bot.delete(event)
    assert bot.draft().state == "withdrawn"
    assert [o.state for o in bot.outbox()] == ["cancelled"]
    assert "Withdrawn" in repr(bot.fake.calls("chat.update")[-1].params["blocks"])


def home_opened(bot: Bot, user: str) -> dict[str, Any]:
    bot.event(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0HOME001",
            "tab": "home",
            "event_ts": bot.next_ts(),
        }
    )
    call = [c for c in bot.fake.calls("views.publish") if c.params["user_id"] == user][-1]
    view: dict[str, Any] = call.params["view"]
    assert view["type"] == "home"
    return view


def test_app_home_for_slt_and_for_staff(bot: Bot) -> None:
    bot.post("First draft, waiting.")
    bot.post("Second draft, waiting.")
    approved(bot)
    slt = repr(home_opened(bot, HEAD)["blocks"])
    assert "Waiting for approval" in slt
    assert "Recent decisions" in slt
    assert slt.index("First draft") < slt.index("Second draft")  # oldest first
    assert "overdue" in slt
    assert "2021" in slt
    staff = repr(home_opened(bot, STAFF)["blocks"])
    assert "Your drafts" in staff
    assert "Waiting for approval" not in staff
    assert "waiting for SLT" in staff
    assert "approved, queued for X" in staff
    assert "overdue" in staff


def test_reminder_is_sent_once_per_draft(bot: Bot) -> None:
    bot.post(CLEAN)
    draft = bot.draft()
    policy = load_policy(bot.settings.policy_file)
    gateway = bot.gateway
    now = utcnow()
    assert remind_pending(bot.sessions, gateway, policy, now) == 0  # not waited long enough
    later = now + timedelta(hours=policy.reminder_after_hours + 1)
    assert remind_pending(bot.sessions, gateway, policy, later) == 1
    assert remind_pending(bot.sessions, gateway, policy, later + timedelta(hours=5)) == 0
    nudges = [
        c
        for c in bot.fake.calls("chat.postMessage")
        if c.params["channel"] == APPROVALS and "blocks" not in c.params
    ]
    assert len(nudges) == 1
    assert f"Draft #{draft.id}" in nudges[0].params["text"]


def test_tweet_command_and_shortcut_open_the_compose_form(bot: Bot) -> None:
    bot.dispatch(
        {
            "token": "t",
            "team_id": "T0000001",
            "team_domain": "hunts-cross",
            "channel_id": DRAFTS,
            "channel_name": "drafts",
            "user_id": STAFF,
            "user_name": "staff",
            "command": "/tweet",
            "text": "Fish &amp; chips :tada:",
            "api_app_id": "A0000001",
            "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": "1.2.3",
        }
    )
    view = bot.fake.calls("views.open")[-1].params["view"]
    assert view["callback_id"] == "compose_draft"
    assert view["blocks"][0]["element"]["initial_value"] == "Fish & chips 🎉"
    bot.dispatch(
        {
            "type": "message_action",
            "callback_id": "submit_as_draft",
            "trigger_id": "1.2.4",
            "team": {"id": "T0000001", "domain": "hunts-cross"},
            "user": {"id": STAFF, "name": "staff"},
            "channel": {"id": "C0ELSEWH1", "name": "general"},
            "message": {
                "type": "message",
                "user": STAFF,
                "text": "Sports day &amp; fun",
                "ts": "1700000000.000100",
            },
            "message_ts": "1700000000.000100",
            "response_url": "https://hooks.slack.invalid/1",
            "token": "t",
        }
    )
    view = bot.fake.calls("views.open")[-1].params["view"]
    assert view["blocks"][0]["element"]["initial_value"] == "Sports day & fun"

    bot.submit(
        "compose_draft",
        "",
        {"text": {"type": "plain_text_input", "value": "Sports day is on Friday <3"}},
        user=STAFF,
    )
    draft = bot.draft()
    assert draft.author_id == STAFF
    assert draft.text == "Sports day is on Friday <3"
    assert draft.channel_id == DRAFTS
    assert draft.state == "pending_approval"
    assert len(bot.cards()) == 1


def test_compose_form_with_a_photo_asks_who_is_pictured(bot: Bot) -> None:
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg")
    bot.submit(
        "compose_draft",
        "",
        {
            "text": {"type": "plain_text_input", "value": "Our coffee morning."},
            "photos": {"type": "file_input", "files": [photo]},
        },
        user=STAFF,
    )
    draft = bot.draft()
    assert draft.state == "awaiting_declaration"
    with bot.sessions() as session:
        assert slack_refs.file_ids(session, draft.id) == ["F0PHOTO01"]
    assert draft.photos[0].data
    replies = bot.thread_replies(draft.message_ts)
    assert "draft_declare" in action_ids(replies[-1].params["blocks"])


def _compose(bot: Bot, text: str, *, user: str = STAFF, **kwargs: Any) -> Any:
    return bot.submit(
        "compose_draft",
        "",
        {"text": {"type": "plain_text_input", "value": text}},
        user=user,
        **kwargs,
    )


def _drafts_message(bot: Bot) -> dict[str, Any]:
    """The composed draft's message in the drafts channel as it stands (last post or update)."""
    calls = [
        c
        for c in bot.fake.calls("chat.postMessage") + bot.fake.calls("chat.update")
        if c.params.get("channel") == DRAFTS and "thread_ts" not in c.params
    ]
    return dict(calls[-1].params)


def test_a_composed_draft_can_be_edited_and_withdrawn_by_its_author_only(bot: Bot) -> None:
    _compose(bot, CLEAN)
    draft = bot.draft()
    message = _drafts_message(bot)
    assert message["ts"] == draft.message_ts
    assert action_ids(message["blocks"]) == ["draft_edit", "draft_withdraw"]
    assert {b["elements"][0]["value"] for b in message["blocks"] if b["type"] == "actions"} == {
        str(draft.id)
    }

    # Someone else: refused, nothing opens.
    bot.click("draft_edit", str(draft.id), user=HEAD, channel=DRAFTS)
    bot.click("draft_withdraw", str(draft.id), user=HEAD, channel=DRAFTS)
    assert bot.ephemerals(HEAD) == [
        "Only its author can edit this draft.",
        "Only its author can withdraw this draft.",
    ]
    assert bot.fake.calls("views.open") == []
    forged = bot.submit(
        "compose_draft",
        str(draft.id),
        {"text": {"type": "plain_text_input", "value": "Hijacked"}},
        user=HEAD,
    )
    assert "Only the author" in forged.body
    assert bot.draft().text == CLEAN

    # The author edits: the form opens with the text, the draft is checked again.
    bot.click("draft_edit", str(draft.id), user=STAFF, channel=DRAFTS)
    view = bot.fake.calls("views.open")[-1].params["view"]
    assert (view["callback_id"], view["private_metadata"]) == ("compose_draft", str(draft.id))
    assert view["blocks"][0]["element"]["initial_value"] == CLEAN
    bot.submit(
        "compose_draft",
        str(draft.id),
        {"text": {"type": "plain_text_input", "value": "Year 4 had a gr8 trip."}},
        user=STAFF,
        foreign_blocks=True,
    )
    edited = bot.draft()
    assert (edited.id, edited.text, edited.state) == (
        draft.id,
        "Year 4 had a gr8 trip.",
        "needs_changes",
    )
    assert "gr8" in repr(_drafts_message(bot)["blocks"])

    # And withdraws it: the card loses its buttons, the message says so.
    bot.click("draft_withdraw", str(draft.id), user=STAFF, channel=DRAFTS)
    assert bot.draft().state == "withdrawn"
    message = _drafts_message(bot)
    assert action_ids(message["blocks"]) == []
    assert "withdrawn" in message["text"]
    assert action_ids(bot.fake.calls("chat.update")[-2].params["blocks"]) == []  # the card

    # Once withdrawn, it stays withdrawn.
    bot.click("draft_withdraw", str(draft.id), user=STAFF, channel=DRAFTS)
    assert "can no longer be withdrawn" in bot.ephemerals(STAFF)[-1]


def test_the_compose_form_cannot_change_a_draft_posted_as_a_message(bot: Bot) -> None:
    """A forged Edit click (or form) on the author's ordinary draft: its message is theirs to
    edit, so the bot's copy of its text must not change from a form."""
    bot.post(CLEAN)
    draft = bot.draft()
    updates = len(bot.fake.calls("chat.update"))

    bot.click("draft_edit", str(draft.id), user=STAFF, channel=DRAFTS)
    bot.click("draft_withdraw", str(draft.id), user=STAFF, channel=DRAFTS)
    refusal = intake.not_composed(bot.gateway.words)
    assert bot.ephemerals(STAFF) == [refusal, refusal]
    assert bot.fake.calls("views.open") == []
    forged = bot.submit(
        "compose_draft",
        str(draft.id),
        {"text": {"type": "plain_text_input", "value": "Hijacked"}},
        user=STAFF,
    )
    assert refusal in forged.body
    after = bot.draft()
    assert (after.text, after.state) == (CLEAN, draft.state)
    assert len(bot.fake.calls("chat.update")) == updates
