"""The messages about names: what they say, escaped, with the two buttons naming the finding."""

from __future__ import annotations

from chatbot.adapters.slack.name_views import (
    answered_text,
    cleared_line,
    question_blocks,
    question_text,
)
from chatbot.domain.drafts import DraftState
from chatbot.services.name_questions import ClearedName, NameAnswerResult, Question

KEY = "0123456789abcdef0123"


def test_the_question_names_the_finding_and_escapes_the_name() -> None:
    question = Question(7, KEY, "Fr<a>nk & co", "Fr<a>nk was brilliant.", "U1")
    blocks = [b.to_dict() for b in question_blocks(question)]
    assert question_text("Frank") == "Is 'Frank' here one of our pupils?"
    assert blocks[0]["text"]["text"] == "<@U1> Is 'Fr&lt;a&gt;nk &amp; co' here one of our pupils?"
    assert "<a>" not in repr(blocks)
    buttons = blocks[-1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("name_is_pupil", f"7:{KEY}"),
        ("name_not_pupil", f"7:{KEY}"),
    ]
    assert [b["text"]["text"] for b in buttons] == [
        "Yes: I'll take the name out",
        "No, it is someone else",
    ]


def test_what_an_answered_question_says() -> None:
    cleared = NameAnswerResult(True, subject="Frank", answered_by="U1")
    assert answered_text(cleared) == "'Frank': not a pupil, said by <@U1>"
    ready = NameAnswerResult(
        True, subject="Frank", answered_by="U1", state=DraftState.PENDING_APPROVAL
    )
    assert answered_text(ready).endswith("It is now waiting for approval by SLT.")
    with_photo = NameAnswerResult(True, subject="Frank", is_pupil=True, has_photos=True)
    assert answered_text(with_photo) == (
        "Thanks: edit the post to take 'Frank' out; the photo cannot go with the name."
    )
    without = NameAnswerResult(True, subject="Frank", is_pupil=True)
    assert "counts as a pupil's name" in answered_text(without)
    assert cleared_line(ClearedName("Frank", "U2")) == "'Frank': not a pupil, said by <@U2>"
