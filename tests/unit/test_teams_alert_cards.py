"""Teams' safeguarding alert cards, the staff's "please block them" message, and the questions
about names: valid Adaptive Cards 1.5 with Slack's actions per kind and state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chatbot.adapters.teams import alert_cards, name_cards
from chatbot.adapters.teams.elements import MESSAGE_LIMIT, TeamsCard
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.domain.drafts import DraftState
from chatbot.services.alert_view import AlertView, alert_link
from chatbot.services.name_questions import NameAnswerResult, Question, parse_question_value
from tests.fixtures.adaptive_cards import inputs, of_type, schema_errors, shown_text, verbs

NOW = datetime(2026, 11, 25, 10, 42, tzinfo=UTC)
SLT = "00000000-0000-0000-0000-00000000517a"
AUTHOR = "00000000-0000-0000-0000-0000000a0001"


def alert(**changes: Any) -> AlertView:
    """The core's view of an alert (a reply naming a pupil, open), with `changes`."""
    fields: dict[str, Any] = {
        "id": 4,
        "kind": "reply",
        "rule": "pupil-name",
        "evidence": "display name 'zoe_smith_*'",
        "handle": "some_one",
        "post_id": "99",
        "state": "open",
        "decided_by": None,
        "decided_at": None,
        "note": None,
        "pupil_label": "Zoë Smith (Year 5)",
        "staff_handle": None,
        "staff_blocked": False,
    } | changes
    link = alert_link(X_LIMITS, fields["kind"], fields["handle"], fields["post_id"])
    return AlertView(**fields, network=X_LIMITS.name, link=link)


def valid(card: TeamsCard) -> dict[str, Any]:
    assert schema_errors(card.content) == []
    assert card.content["version"] == "1.5"
    assert card.size() <= MESSAGE_LIMIT
    inputs(card.content)
    return card.content


@pytest.mark.parametrize(
    ("kind", "state", "expected"),
    [
        ("reply", "open", ["alert_dismiss", "alert_mute", "alert_hide_reply", "alert_actioned"]),
        ("reply", "muted", ["alert_hide_reply", "alert_actioned"]),
        ("reply", "hidden", ["alert_mute", "alert_actioned"]),
        ("follower", "open", ["alert_dismiss", "alert_mute", "alert_actioned"]),
        ("mention", "open", ["alert_dismiss", "alert_mute", "alert_actioned"]),
        ("staff_follower", "open", ["alert_dismiss", "alert_mute", "alert_actioned"]),
        ("reply", "dismissed", []),
        ("follower", "actioned", []),
    ],
)
def test_alert_buttons_follow_kind_and_state_as_on_slack(
    kind: str, state: str, expected: list[str]
) -> None:
    card = valid(alert_cards.alert_card(alert(kind=kind, state=state, staff_handle="mrs_b")))
    assert verbs(card) == expected
    for action in of_type(card, "Action.Execute"):
        assert action["data"] == {"alert": "4"}
    assert ("no block or report call" in shown_text(card)) is bool(expected)


def test_dismiss_asks_for_a_note() -> None:
    card = valid(alert_cards.alert_card(alert()))
    (form,) = of_type(card, "Action.ShowCard")
    assert verbs(form["card"]) == ["alert_dismiss"]
    note = inputs(form["card"])["note"]
    assert note["type"] == "Input.Text"
    assert note["isRequired"] is True


def test_the_card_shows_who_rule_evidence_and_the_pupil_only_in_the_body() -> None:
    view = alert()
    card = alert_cards.alert_card(view)
    content = valid(card)
    text = shown_text(content)
    assert "A reply from @some_one" in text
    assert "Rule: name or handle like a pupil's on the register" in text
    assert "Evidence: display name 'zoe_smith_*'" in text  # a run: shown as written
    assert "Looks like: Zoë Smith (Year 5) (a hint: please check)" in text
    assert "[Open the post on X](https://x.com/some_one/status/99)" in text
    assert "Zoë" not in card.text
    assert "Zoë" not in content["fallbackText"]
    gone = valid(alert_cards.alert_card(alert(pupil_label=None, kind="follower")))
    assert "a pupil no longer on the register" in shown_text(gone)
    assert "Open the profile on X](https://x.com/some_one)" in shown_text(gone)


def test_a_decided_alert_says_by_whom_and_why() -> None:
    view = alert(state="dismissed", decided_by=SLT, decided_at=NOW, note="A parent *really*")
    content = valid(alert_cards.alert_card(view, names={SLT: "Sam Head"}))
    assert (
        r"**Dismissed** by <at>Sam Head</at>, Wed 25 Nov 2026, 10:42: A parent \*really\*"
        in shown_text(content)
    )
    (entity,) = content["msteams"]["entities"]
    assert entity["mentioned"] == {"id": SLT, "name": "Sam Head"}


def test_staff_follower_card_says_whether_they_blocked() -> None:
    asked = valid(alert_cards.alert_card(alert(kind="staff_follower", staff_handle="mrs_b")))
    assert "@some_one follows a member of staff, @mrs_b" in shown_text(asked)
    assert "@mrs_b has been asked, privately, to block them." in shown_text(asked)
    done = alert(kind="staff_follower", staff_handle="mrs_b", staff_blocked=True)
    assert "@mrs_b says they have blocked them." in shown_text(valid(alert_cards.alert_card(done)))


def test_the_block_request_has_i_have_blocked_them_until_pressed() -> None:
    text = "@some_one follows you on X. Please block them: *now*"
    card = valid(alert_cards.block_request(4, text))
    (button,) = of_type(card, "Action.Execute")
    assert (button["verb"], button["data"], button["title"]) == (
        "alert_staff_blocked",
        {"alert": "4"},
        "I have blocked them",
    )
    assert text in [r["text"] for r in of_type(card, "TextRun")]
    done = valid(alert_cards.block_request(4, text, done=True))
    assert verbs(done) == []
    assert "SLT can see that you blocked them" in shown_text(done)


# -- names -------------------------------------------------------------------------------------

KEY = "0123456789abcdef0123"


def test_a_name_question_has_the_two_verbs_naming_draft_and_question() -> None:
    q = Question(12, KEY, "Frank_*", "We met *Frank* today", AUTHOR)
    card = name_cards.question_card(q, names={AUTHOR: "Ann Teacher"})
    content = valid(card)
    assert verbs(content) == ["name_is_pupil", "name_not_pupil"]
    for action in of_type(content, "Action.Execute"):
        assert action["data"] == {"draft": "12", "question": KEY, "value": f"12:{KEY}"}
        assert parse_question_value(action["data"]["value"]) == (12, KEY)
    text = shown_text(content)
    assert r"<at>Ann Teacher</at> Is 'Frank\_\*' here one of our pupils?" in text
    assert "“We met *Frank* today”" in text
    assert card.text == "Is 'Frank_*' here one of our pupils?"


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (
            NameAnswerResult(True, subject="Frank", is_pupil=False, answered_by=SLT,
                             state=DraftState.PENDING_APPROVAL),
            "'Frank': not a pupil, said by <at>Sam Head</at>. It is now waiting for approval",
        ),
        (
            NameAnswerResult(True, subject="Frank", is_pupil=True, answered_by=AUTHOR,
                             has_photos=True),
            "edit the post to take 'Frank' out; the photo cannot go with the name",
        ),
        (
            NameAnswerResult(True, subject="Frank", is_pupil=True, answered_by=AUTHOR),
            "'Frank' counts as a pupil's name",
        ),
    ],
)  # fmt: skip
def test_an_answered_question(result: NameAnswerResult, words: str) -> None:
    card = name_cards.answered_card(result, names={SLT: "Sam Head"})
    content = valid(card)
    assert words in shown_text(content)
    assert verbs(content) == []
    assert "Frank" not in card.text
