"""SLT's decisions through the Bolt app: who may decide, races, reasons, declarations."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from chatbot.adapters.db.models import AuditEntry
from tests.contract.slack_support import (
    DEPUTY,
    HEAD,
    OTHER_STAFF,
    PHOTOS,
    STAFF,
    Bot,
    action_ids,
)

CLEAN = "Year 4 had a wonderful trip to the museum today."


def pending(bot: Bot, text: str = CLEAN, **kwargs: Any) -> str:
    bot.post(text, **kwargs)
    draft = bot.draft()
    assert draft.state == "pending_approval", [f.rule for f in draft.findings]
    return str(draft.id)


def last_card_blocks(bot: Bot) -> list[dict[str, Any]]:
    updates = bot.fake.calls("chat.update")
    if updates:
        return list(updates[-1].params["blocks"])
    return list(bot.cards()[-1].params["blocks"])


def test_twenty_simultaneous_approvals_give_one(bot: Bot) -> None:
    draft_id = pending(bot)
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def click(n: int) -> None:
        try:
            start.wait()
            response = bot.click("draft_approve", draft_id, user=HEAD if n % 2 else DEPUTY)
            assert response.status == 200
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=click, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    draft = bot.draft()
    assert draft.state == "approved"
    assert draft.decided_by in (HEAD, DEPUTY)
    assert [(o.draft_id, o.kind, o.state) for o in bot.outbox()] == [
        (draft.id, "publish", "queued")
    ]
    refusals = bot.ephemerals(HEAD) + bot.ephemerals(DEPUTY)
    assert len(refusals) == 19
    assert all(r.startswith(f"Already approved by <@{draft.decided_by}> at ") for r in refusals)
    with bot.sessions() as session:
        approvals = session.query(AuditEntry).filter_by(action="approved").count()
    assert approvals == 1
    # The card lost its buttons; the author heard in the thread.
    assert action_ids(last_card_blocks(bot)) == []
    told = bot.thread_replies(draft.message_ts)[-1].params["text"]
    assert told.startswith(f"<@{STAFF}> Approved by <@{draft.decided_by}>")


@pytest.mark.parametrize(
    ("who", "value", "expected"),
    [
        (OTHER_STAFF, None, "Only members of the senior leadership team"),
        (HEAD, None, "You wrote this draft"),  # the author, even though SLT
        (DEPUTY, "1; DROP TABLE drafts", "does not point to a draft"),
        (DEPUTY, "999", "does not point to a draft"),
        (DEPUTY, "", "does not point to a draft"),
    ],
)
def test_refused_clicks(bot: Bot, who: str, value: str | None, expected: str) -> None:
    draft_id = pending(bot, user=HEAD)
    for action in ("draft_approve", "draft_reject", "draft_override", "draft_schedule"):
        response = bot.click(action, value if value is not None else draft_id, user=who)
        assert response.status == 200
    refusals = bot.ephemerals(who)
    assert len(refusals) == 4
    assert all(expected in r for r in refusals), refusals
    assert bot.draft().state == "pending_approval"
    assert bot.outbox() == []
    assert bot.fake.calls("views.open") == []
    # A forged submission of a reason form is refused too.
    bot.submit(
        "reject_reason",
        value if value is not None else draft_id,
        {"reason": {"type": "plain_text_input", "value": "no"}},
        user=who,
    )
    assert bot.draft().state == "pending_approval"


def test_action_on_a_withdrawn_draft_is_refused(bot: Bot) -> None:
    bot.post(CLEAN)
    draft = bot.draft()
    original = bot.message(CLEAN, ts=draft.message_ts)
    bot.delete(original)
    assert bot.draft().state == "withdrawn"
    bot.click("draft_approve", str(draft.id), user=HEAD)
    assert bot.ephemerals(HEAD) == [
        "This draft is withdrawn by its author, so that cannot be done now."
    ]
    assert bot.outbox() == []
    assert "Withdrawn" in repr(last_card_blocks(bot))


def test_reject_needs_a_reason_and_tells_the_author(bot: Bot) -> None:
    draft_id = pending(bot)
    bot.click("draft_reject", draft_id, user=HEAD)
    opened = bot.fake.calls("views.open")[-1].params["view"]
    assert opened["callback_id"] == "reject_reason"
    assert opened["private_metadata"] == draft_id
    empty = bot.submit(
        "reject_reason",
        draft_id,
        {"reason": {"type": "plain_text_input", "value": "  "}},
        user=HEAD,
    )
    assert empty.status == 200
    assert '"response_action": "errors"' in empty.body
    assert bot.draft().state == "pending_approval"

    bot.submit(
        "reject_reason",
        draft_id,
        {"reason": {"type": "plain_text_input", "value": "Use the <b>photo</b> & date"}},
        user=HEAD,
    )
    draft = bot.draft()
    assert draft.state == "rejected"
    assert draft.decision_reason == "Use the <b>photo</b> & date"
    told = bot.thread_replies(draft.message_ts)[-1].params["text"]
    assert (
        told == f"<@{STAFF}> Not approved by <@{HEAD}>. "
        "Reason: Use the &lt;b&gt;photo&lt;/b&gt; &amp; date"
    )
    assert action_ids(last_card_blocks(bot)) == []


def test_blocked_draft_has_no_approve_button_and_override_only_when_allowed(bot: Bot) -> None:
    # Text language blocks, but the policy lets SLT override it with a reason.
    bot.post("Gr8 day at the museum.")
    draft = bot.draft()
    assert draft.state == "needs_changes"
    buttons = action_ids(bot.cards()[-1].params["blocks"])
    assert "draft_approve" not in buttons
    assert "draft_override" in buttons
    bot.click("draft_approve", str(draft.id), user=HEAD)
    assert "blocked by the policy checks" in bot.ephemerals(HEAD)[-1]
    bot.click("draft_override", str(draft.id), user=HEAD)
    assert bot.fake.calls("views.open")[-1].params["view"]["callback_id"] == "override_reason"
    bot.submit(
        "override_reason",
        str(draft.id),
        {"reason": {"type": "plain_text_input", "value": "Quoting a pupil's poster"}},
        user=HEAD,
    )
    assert bot.draft().state == "approved"
    assert len(bot.outbox()) == 1


def test_safeguarding_blocks_can_never_be_overridden(bot: Bot) -> None:
    # Offensive language: the policy file says overridable, the bot never allows it.
    bot.post("What a shit day at the museum.")
    draft = bot.draft()
    assert draft.state == "needs_changes"
    buttons = action_ids(bot.cards()[-1].params["blocks"])
    assert buttons == ["draft_reject"]
    bot.click("draft_override", str(draft.id), user=HEAD)  # a forged click
    assert bot.fake.calls("views.open") == []
    bot.submit(
        "override_reason",
        str(draft.id),
        {"reason": {"type": "plain_text_input", "value": "please"}},
        user=HEAD,
    )
    assert bot.draft().state == "needs_changes"
    assert bot.outbox() == []
    assert "cannot be overridden" in bot.ephemerals(HEAD)[-1]


def photo_draft(bot: Bot, text: str = "Our sports day in pictures.") -> tuple[str, dict[str, Any]]:
    photo = bot.file("F0PHOTO01", PHOTOS / "one-face.jpg", name="runner.jpg")
    event = bot.post(text, files=[photo])
    draft = bot.draft()
    assert draft.state == "awaiting_declaration"
    return str(draft.id), event


def declaration(
    pupils: list[int], *, none: bool = False, alt: str = "A runner at the finish line"
) -> dict[str, dict[str, Any]]:
    return {
        "pictured_pupils": {
            "type": "multi_external_select",
            "selected_options": [
                {"text": {"type": "plain_text", "text": "x"}, "value": str(p)} for p in pupils
            ],
        },
        "no_pupils": {
            "type": "checkboxes",
            "selected_options": [
                {"text": {"type": "plain_text", "text": "No pupils are pictured"}, "value": "none"}
            ]
            if none
            else [],
        },
        "alt_text_0": {"type": "plain_text_input", "value": alt},
        "photo_source": {
            "type": "radio_buttons",
            "selected_option": {
                "text": {"type": "plain_text", "text": "Taken by staff"},
                "value": "staff",
            },
        },
    }


def test_declaration_modal_search_errors_and_success(bot: Bot) -> None:
    draft_id, _event = photo_draft(bot)
    bot.click("draft_declare", draft_id, user=STAFF, channel="C0DRAFTS1")
    view = bot.fake.calls("views.open")[-1].params["view"]
    assert view["callback_id"] == "declare_photos"
    assert view["private_metadata"] == draft_id
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks["pictured_pupils"]["element"]["type"] == "multi_external_select"
    assert blocks["no_pupils"]["element"]["action_id"] == "no_pupils"
    assert blocks["alt_text_0"]["element"]["action_id"] == "alt_text_0"

    options = bot.suggest("zo")
    assert options.status == 200
    assert '"Zo\\u00eb Smith (Year 4)"' in options.body or '"Zoë Smith (Year 4)"' in options.body

    neither = bot.submit("declare_photos", draft_id, declaration([]), user=STAFF)
    assert '"response_action": "errors"' in neither.body
    assert "pictured_pupils" in neither.body
    no_consent = bot.submit(
        "declare_photos", draft_id, declaration([bot.pupil("Summer")]), user=STAFF
    )
    assert "No Twitter consent" in no_consent.body
    assert "Summer Jones" in no_consent.body
    # Refused inline, and a finding as well: the draft is blocked and the thread says why.
    refused = bot.draft()
    assert refused.state == "needs_changes"
    assert "photo-consent" in [f.rule for f in refused.findings]
    assert "photo-consent" not in repr(bot.thread_replies(refused.message_ts)[:-1])
    assert "consent" in repr(bot.thread_replies(refused.message_ts)[-1].params["blocks"])
    assert "draft_approve" not in action_ids(bot.cards()[-1].params["blocks"])
    forged = declaration([bot.pupil("Zoë")])
    forged["pictured_pupils"]["selected_options"].append(
        {"text": {"type": "plain_text", "text": "x"}, "value": "Summer Jones"}
    )
    refused_value = bot.submit("declare_photos", draft_id, forged, user=STAFF)
    assert "not on the register" in refused_value.body
    assert bot.draft().state == "needs_changes"
    stranger = bot.submit("declare_photos", draft_id, declaration([], none=True), user=OTHER_STAFF)
    assert "Only the author" in stranger.body
    assert bot.draft().state == "needs_changes"

    # A form of another make: its own block ids; inputs are found by their action ids.
    ok = bot.submit(
        "declare_photos",
        draft_id,
        declaration([bot.pupil("Zoë")]),
        user=STAFF,
        foreign_blocks=True,
    )
    assert ok.status == 200
    assert not ok.body
    draft = bot.draft()
    assert draft.state == "pending_approval"
    assert draft.declared
    assert draft.photos[0].alt_text == "A runner at the finish line"
    card = repr(last_card_blocks(bot))  # the blocked draft's card, redrawn
    assert "Zoë Smith (Year 4) ✅ consent" in card
    assert "draft_approve" in action_ids(last_card_blocks(bot))
    # Opened again (to correct it), the form shows what was declared.
    bot.click("draft_declare", draft_id, user=STAFF, channel="C0DRAFTS1")
    again = {b["block_id"]: b for b in bot.fake.calls("views.open")[-1].params["view"]["blocks"]}
    initial = again["pictured_pupils"]["element"]["initial_options"]
    assert [o["text"]["text"] for o in initial] == ["Zoë Smith (Year 4)"]
    assert again["alt_text_0"]["element"]["initial_value"] == "A runner at the finish line"
    assert "'slack_file': {'id': 'F0PHOTO01'}" in card


def test_name_with_photo_blocks_and_cannot_be_overridden(bot: Bot) -> None:
    draft_id, _ = photo_draft(bot, "Well done Zoë Smith on sports day.")
    bot.submit("declare_photos", draft_id, declaration([bot.pupil("Zoë")]), user=STAFF)
    draft = bot.draft()
    assert draft.state == "needs_changes"
    assert "pupil-name-with-photo" in [f.rule for f in draft.findings]
    assert action_ids(bot.cards()[-1].params["blocks"]) == ["draft_reject"]


def test_consent_withdrawn_after_declaration_stops_the_approval(bot: Bot) -> None:
    from chatbot.adapters.db.models import utcnow
    from chatbot.domain.academic_year import AcademicYear
    from chatbot.services.registers import withdraw_consent

    draft_id, _ = photo_draft(bot)
    bot.submit("declare_photos", draft_id, declaration([bot.pupil("Zoë")]), user=STAFF)
    assert bot.draft().state == "pending_approval"
    with bot.sessions.begin() as session:
        withdraw_consent(session, "Zoë Smith", "twitter", AcademicYear.at(utcnow()), "cli:office")
    bot.click("draft_approve", draft_id, user=HEAD)
    assert bot.draft().state == "needs_changes"
    assert bot.outbox() == []
    assert "checks now block" in bot.ephemerals(HEAD)[-1]
    assert "NO consent" in repr(last_card_blocks(bot))


def test_schedule_in_london_time(bot: Bot) -> None:
    from datetime import timedelta

    from chatbot.adapters.db.models import utcnow
    from chatbot.domain.academic_year import LONDON

    draft_id = pending(bot)
    bot.click("draft_schedule", draft_id, user=HEAD)
    assert bot.fake.calls("views.open")[-1].params["view"]["callback_id"] == "schedule_post"
    day = (utcnow().astimezone(LONDON) + timedelta(days=2)).date()
    past = bot.submit(
        "schedule_post",
        draft_id,
        {
            "post_date": {"type": "datepicker", "selected_date": "2020-01-01"},
            "post_time": {"type": "timepicker", "selected_time": "09:00"},
        },
        user=HEAD,
    )
    assert "future" in past.body
    bot.submit(
        "schedule_post",
        draft_id,
        {
            "post_date": {"type": "datepicker", "selected_date": day.isoformat()},
            "post_time": {"type": "timepicker", "selected_time": "08:30"},
        },
        user=HEAD,
    )
    draft = bot.draft()
    assert draft.state == "scheduled"
    assert draft.not_before is not None
    assert (
        draft.not_before.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 08:30"
    )
    assert bot.outbox()[0].due_at == draft.not_before
    assert "08:30" in repr(last_card_blocks(bot))
    assert action_ids(last_card_blocks(bot)) == ["draft_cancel_schedule"]


def test_logs_carry_no_pupil_names_and_no_tokens(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    draft_id, _ = photo_draft(bot, "Well done Zoë Smith on sports day.")
    bot.submit("declare_photos", draft_id, declaration([bot.pupil("Summer")]), user=STAFF)
    bot.submit("declare_photos", draft_id, declaration([bot.pupil("Zoë")]), user=STAFF)
    bot.click("draft_approve", draft_id, user=HEAD)
    bot.submit(
        "reject_reason",
        draft_id,
        {"reason": {"type": "plain_text_input", "value": "Zoë Smith is named"}},
        user=HEAD,
    )
    assert bot.draft().state == "rejected"
    assert caplog.records  # the flow did log
    for secret in ("Zoë", "Smith", "Summer", "Jones", bot.fake.bot_token):
        assert secret not in caplog.text
