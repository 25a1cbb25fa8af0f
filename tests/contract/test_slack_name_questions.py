"""Asking about a name the checks cannot decide: "Is 'Frank' here one of our pupils?"

Driven through the Bolt app and the fake Slack: the question in the thread, the answers (who
may give them, forged and stale values), the re-check, and the approval card.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import pytest
from sqlalchemy import select

from chatbot.adapters.db.models import AuditEntry, Draft, NameAnswer, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.contract.slack_support import (
    DEPUTY,
    HEAD,
    OTHER_STAFF,
    PHOTOS,
    STAFF,
    Bot,
    action_ids,
)
from tests.contract.test_slack_decisions import declaration, last_card_blocks
from tests.fakes.slack_server import DRAFTS, Call

FRANK = "Frank was brilliant today."
CLEAN = "Year 4 had a wonderful trip to the museum today."
HEADER = (
    "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,website_consent"
)
ASKED = "Is 'Frank' here one of our pupils?"
CLEARED = f"'Frank': not a pupil, said by <@{STAFF}>"


@pytest.fixture
def frank(bot: Bot) -> Bot:
    """The bot, with Frank Lee (Year 4) on this year's register."""
    year = AcademicYear.at(utcnow())
    roster = f"{HEADER}\nFrank,Lee,,4,{year},yes,yes\n".encode()
    with bot.sessions.begin() as session:
        import_roster(session, parse_roster(roster), actor="test", source="frank.csv")
    return bot


def questions(bot: Bot, thread_ts: str) -> list[Call]:
    """The question messages in a draft's thread (the ones with the two answer buttons)."""
    return [
        c
        for c in bot.thread_replies(thread_ts)
        if action_ids(c.params.get("blocks") or []) == ["name_is_pupil", "name_not_pupil"]
    ]


def button_value(call: Call) -> str:
    actions = next(b for b in call.params["blocks"] if b["type"] == "actions")
    values = {e["value"] for e in actions["elements"]}
    assert len(values) == 1  # both buttons name the same finding
    return str(values.pop())


def question_of(draft: Draft) -> str:
    keys = [f.question for f in draft.findings if f.question]
    assert len(keys) == 1, [(f.rule, f.question) for f in draft.findings]
    return keys[0]


def answers(bot: Bot) -> list[NameAnswer]:
    with bot.sessions() as session:
        return list(session.scalars(select(NameAnswer).order_by(NameAnswer.id)))


def audited(bot: Bot, *actions: str) -> list[AuditEntry]:
    with bot.sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id)
            )
        )


def updates_of(bot: Bot, ts: str) -> list[dict[str, Any]]:
    return [c.params for c in bot.fake.calls("chat.update") if c.params.get("ts") == ts]


def blocked_photo_draft(bot: Bot) -> tuple[Draft, Call]:
    """'Frank was brilliant today.' with a photo declared as showing no pupils: blocked by the
    unsure name, with its question in the thread."""
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg")
    event = bot.post(FRANK, files=[photo])
    draft = bot.draft()
    assert draft.state == "awaiting_declaration"
    bot.submit("declare_photos", str(draft.id), declaration([], none=True, alt="A cup"), user=STAFF)
    draft = bot.draft()
    assert draft.state == "needs_changes"
    asked = questions(bot, event["ts"])
    assert len(asked) == 1  # asked at the first check, not again after the declaration
    return draft, asked[0]


def test_an_unsure_name_with_a_photo_is_asked_and_cleared_by_the_author(
    frank: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatbot")  # the libraries' own are quietened
    bot = frank
    draft, asked = blocked_photo_draft(bot)
    [finding] = [f for f in draft.findings if f.question]
    assert finding.rule == "pupil-name-with-photo"
    assert finding.subject == "Frank"
    assert re.fullmatch(r"[0-9a-f]{20}", finding.question)
    assert asked.params["text"] == ASKED
    assert f"<@{STAFF}> {ASKED}" in repr(asked.params["blocks"])
    assert "Yes: I'll take the name out" in repr(asked.params["blocks"])
    assert "No, it is someone else" in repr(asked.params["blocks"])
    assert button_value(asked) == f"{draft.id}:{finding.question}"
    card = last_card_blocks(bot)
    assert "draft_approve" not in action_ids(card)
    assert "draft_override" not in action_ids(card)  # a name with photos: never overridable

    bot.click("name_not_pupil", button_value(asked), user=STAFF, channel=DRAFTS)

    assert bot.ephemerals(STAFF) == []
    [answer] = answers(bot)
    assert (answer.draft_id, answer.question, answer.subject) == (
        draft.id,
        finding.question,
        "Frank",
    )
    assert (answer.is_pupil, answer.answered_by) == (False, STAFF)
    [row] = audited(bot, "name_not_pupil", "name_is_pupil")
    assert (row.actor, row.action, row.draft_id) == (STAFF, "name_not_pupil", draft.id)
    assert row.detail == {"question": finding.question}
    after = bot.draft()
    assert after.state == "pending_approval"
    assert [f.rule for f in after.findings if f.rule.startswith("pupil-name")] == []
    # The question becomes the answer; the card shows SLT who cleared the name.
    [shown] = updates_of(bot, str(asked.response["ts"]))
    assert shown["text"].startswith(CLEARED)
    assert action_ids(shown["blocks"]) == []
    card = last_card_blocks(bot)
    assert CLEARED in repr(card)
    assert "draft_approve" in action_ids(card)
    # Nothing about the name reached the logs or the audit details.
    assert "asked 1 question(s) about names" in caplog.text  # the bot's own logs were heard
    assert "Frank" not in caplog.text
    with bot.sessions() as session:
        details = [repr(e.detail) for e in session.scalars(select(AuditEntry))]
    assert not any("Frank" in d for d in details)

    # The same click delivered again records nothing more and changes nothing.
    cards_before = len(bot.fake.calls("chat.update"))
    bot.click("name_not_pupil", button_value(asked), user=STAFF, channel=DRAFTS)
    assert len(answers(bot)) == 1
    assert len(audited(bot, "name_not_pupil", "name_is_pupil")) == 1
    assert bot.draft().state == "pending_approval"
    assert bot.ephemerals(STAFF) == []
    assert len(bot.fake.calls("chat.update")) == cards_before + 1  # the question, redrawn
    assert len(questions(bot, draft.message_ts)) == 1


def test_simultaneous_deliveries_of_one_answer_record_it_once(frank: Bot) -> None:
    bot = frank
    _draft, asked = blocked_photo_draft(bot)
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def click() -> None:
        try:
            start.wait()
            bot.click("name_not_pupil", button_value(asked), user=STAFF, channel=DRAFTS)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(answers(bot)) == 1
    assert len(audited(bot, "name_not_pupil")) == 1
    assert bot.draft().state == "pending_approval"
    assert bot.ephemerals(STAFF) == []


def test_yes_keeps_the_draft_blocked_and_the_name_is_no_longer_a_question(frank: Bot) -> None:
    bot = frank
    draft, asked = blocked_photo_draft(bot)
    bot.click("name_is_pupil", button_value(asked), user=STAFF, channel=DRAFTS)
    [answer] = answers(bot)
    assert answer.is_pupil
    [row] = audited(bot, "name_is_pupil", "name_not_pupil")
    assert row.action == "name_is_pupil"
    after = bot.draft()
    assert after.state == "needs_changes"
    [finding] = [f for f in after.findings if f.rule == "pupil-name-with-photo"]
    assert (finding.question, finding.subject) == ("", "")  # certain now
    [shown] = updates_of(bot, str(asked.response["ts"]))
    assert shown["text"] == (
        "Thanks: edit the post to take 'Frank' out; the photo cannot go with the name."
    )
    card = last_card_blocks(bot)
    assert "draft_approve" not in action_ids(card)
    assert "not a pupil" not in repr(card)
    assert len(questions(bot, draft.message_ts)) == 1  # not asked again


def test_a_teacher_who_is_not_the_author_is_refused(frank: Bot) -> None:
    bot = frank
    _draft, asked = blocked_photo_draft(bot)
    for action in ("name_not_pupil", "name_is_pupil"):
        response = bot.click(action, button_value(asked), user=OTHER_STAFF, channel=DRAFTS)
        assert response.status == 200
    assert (
        bot.ephemerals(OTHER_STAFF)
        == ["Only the author of the draft (or SLT) can answer this question."] * 2
    )
    assert answers(bot) == []
    assert audited(bot, "name_not_pupil", "name_is_pupil") == []
    assert bot.draft().state == "needs_changes"
    assert updates_of(bot, str(asked.response["ts"])) == []


def test_slt_may_answer(frank: Bot) -> None:
    bot = frank
    draft, asked = blocked_photo_draft(bot)
    bot.click("name_not_pupil", button_value(asked), user=HEAD, channel=DRAFTS)
    [answer] = answers(bot)
    assert answer.answered_by == HEAD
    assert bot.draft().state == "pending_approval"
    assert f"'Frank': not a pupil, said by <@{HEAD}>" in repr(last_card_blocks(bot))
    # Another member of SLT can then approve it.
    bot.click("draft_approve", str(draft.id), user=DEPUTY)
    assert bot.draft().state == "approved"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "does not point to a question"),
        ("5:deadbeef", "does not point to a question"),
        ("{id}", "does not point to a question"),
        ("{id}:{key}:x", "does not point to a question"),
        ("{id}: {key}", "does not point to a question"),
        ("{id}:{upper}", "does not point to a question"),
        ("999999:{key}", "does not point to a question"),
        ("{id}:0123456789abcdef0123", "out of date: the post was edited"),
        ("{other}:{key}", "out of date: the post was edited"),  # another draft's id
    ],
)
def test_forged_values_are_refused(frank: Bot, value: str, expected: str) -> None:
    bot = frank
    draft, _asked = blocked_photo_draft(bot)
    bot.post(CLEAN)  # the same author's other draft
    other = bot.draft()
    key = question_of(draft)
    forged = value.format(id=draft.id, key=key, upper=key.upper(), other=other.id)
    for action in ("name_not_pupil", "name_is_pupil"):
        bot.click(action, forged, user=STAFF, channel=DRAFTS)
    refusals = bot.ephemerals(STAFF)
    assert len(refusals) == 2
    assert all(expected in r for r in refusals), refusals
    assert answers(bot) == []
    assert audited(bot, "name_not_pupil", "name_is_pupil") == []
    assert bot.draft(draft.id).state == "needs_changes"
    assert bot.draft(other.id).state == "pending_approval"


def test_an_edit_of_the_sentence_asks_again_and_the_old_question_is_out_of_date(
    frank: Bot,
) -> None:
    bot = frank
    event = bot.post(FRANK)
    draft = bot.draft()
    assert draft.state == "pending_approval"  # no photos: a name is a warning
    [first] = questions(bot, event["ts"])
    bot.click("name_not_pupil", button_value(first), user=STAFF, channel=DRAFTS)
    assert [f.rule for f in bot.draft().findings if f.rule.startswith("pupil-name")] == []

    # Another sentence edited: the answer still holds, nothing is asked again.
    bot.edit(event, f"{FRANK} Well done, everyone.")
    assert bot.draft().revision == 2
    assert [f.rule for f in bot.draft().findings if f.rule.startswith("pupil-name")] == []
    assert len(questions(bot, event["ts"])) == 1
    assert CLEARED in repr(last_card_blocks(bot))

    # Frank's sentence edited: a new question, asked once, and the card no longer says cleared.
    bot.edit(event, "Frank was brilliant at football today.")
    after = bot.draft()
    new_key = question_of(after)
    asked = questions(bot, event["ts"])
    assert len(asked) == 2
    assert button_value(asked[-1]) == f"{draft.id}:{new_key}"
    assert button_value(asked[0]) != button_value(asked[-1])
    assert CLEARED not in repr(last_card_blocks(bot))
    bot.edit(event, "Frank was brilliant at football today!")  # re-checked, same sentence
    assert len(questions(bot, event["ts"])) == 2

    # A question from before the edit, never answered, is out of date.
    bot.edit(event, "Frank was great at football today!")
    stale = questions(bot, event["ts"])[-2]
    bot.click("name_is_pupil", button_value(stale), user=STAFF, channel=DRAFTS)
    assert "out of date: the post was edited" in bot.ephemerals(STAFF)[-1]
    assert len(answers(bot)) == 1


def test_answers_are_closed_once_the_draft_is_approved(frank: Bot) -> None:
    bot = frank
    event = bot.post(FRANK)
    draft = bot.draft()
    [asked] = questions(bot, event["ts"])
    bot.click("draft_approve", str(draft.id), user=HEAD)
    assert bot.draft().state == "approved"
    bot.click("name_is_pupil", button_value(asked), user=STAFF, channel=DRAFTS)
    assert "questions are closed" in bot.ephemerals(STAFF)[-1]
    assert answers(bot) == []
    assert bot.draft().state == "approved"
