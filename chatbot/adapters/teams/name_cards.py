"""Asking about names in the draft's reply chain: "Is 'Frank' here one of our pupils?".

As Slack's name_views.py: the question with its two answers, and the card it becomes once
answered. The answers are `Action.Execute` verbs `name_is_pupil` and `name_not_pupil` with data
`{"draft": "<id>", "question": "<key>"}`, the two halves of Slack's button value
`"<draft_id>:<question>"`, which `value` also carries whole, for
`services.name_questions.parse_question_value`. The name is staff text (it may be a pupil's): it
is shown as typed, never logged, and appears only where Slack shows it (the question, its
notification text, the answer).
"""

from __future__ import annotations

from collections.abc import Mapping

from chatbot.adapters.teams.elements import (
    Json,
    Mentions,
    TeamsCard,
    adaptive_card,
    clip,
    execute,
    md_escape,
    rich,
    run,
    text_block,
)
from chatbot.domain.drafts import DraftState
from chatbot.services.name_questions import (
    ACTION_IS_PUPIL,
    ACTION_NOT_PUPIL,
    NameAnswerResult,
    Question,
    question_value,
)

_NAME_LIMIT = 150


def _name(subject: str) -> str:
    return f"'{clip(subject, _NAME_LIMIT)}'"


def question_text(subject: str) -> str:
    """Plain text (the notification): no Markdown is read in it."""
    return f"Is {_name(subject)} here one of our pupils?"


def question_data(q: Question) -> dict[str, str]:
    return {
        "draft": str(q.draft_id),
        "question": q.question,
        "value": question_value(q.draft_id, q.question),
    }


def question_card(q: Question, *, names: Mapping[str, str] | None = None) -> TeamsCard:
    mention = Mentions(names or {})
    author = mention(q.author_id, "the author")
    body: list[Json] = [
        text_block(f"{author} Is {md_escape(_name(q.subject))} here one of our pupils?"),
        rich(run(f"“{clip(q.excerpt, 500)}”", italic=True), isSubtle=True),
    ]
    data = question_data(q)
    actions = [
        execute("Yes: I'll take the name out", ACTION_IS_PUPIL, data),
        execute("No, it is someone else", ACTION_NOT_PUPIL, data),
    ]
    text = question_text(q.subject)
    return TeamsCard(text=text, content=adaptive_card(body, actions, mentions=mention))


def answered_card(result: NameAnswerResult, *, names: Mapping[str, str] | None = None) -> TeamsCard:
    """What the question becomes once answered (for everyone: the question's activity updated)."""
    mention = Mentions(names or {})
    name = md_escape(_name(result.subject))
    if not result.is_pupil:
        text = f"{name}: not a pupil, said by {mention(result.answered_by)}"
        if result.state is DraftState.PENDING_APPROVAL:
            text += ". It is now waiting for approval by SLT."
    elif result.has_photos:
        text = f"Thanks: edit the post to take {name} out; the photo cannot go with the name."
    else:
        text = (
            f"Thanks: {name} counts as a pupil's name. Check that naming them is really needed "
            "and that the family agrees, or edit the post to take the name out."
        )
    summary = "Answered: a question about a name in the draft."
    card = adaptive_card([text_block(text)], mentions=mention, fallback_text=summary)
    return TeamsCard(text=summary, content=card)


__all__ = ["answered_card", "question_card", "question_data", "question_text"]
