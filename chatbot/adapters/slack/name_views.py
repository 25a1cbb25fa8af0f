"""Asking about names in the draft's thread: "Is 'Frank' here one of our pupils?".

The question's message, the message it becomes once answered, and the line the approval card
shows for a cleared name. The name is staff text: escaped for Slack, and never logged.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.slack import refs
from chatbot.adapters.slack.render import escape, mention
from chatbot.domain.drafts import DraftState
from chatbot.services.failures import log_failure
from chatbot.services.name_questions import (
    ACTION_IS_PUPIL,
    ACTION_NOT_PUPIL,
    ClearedName,
    NameAnswerResult,
    Question,
    claim_unasked,
    forget_asked,
    question_value,
)

log = logging.getLogger(__name__)

_NAME_LIMIT = 150  # a name is short; a longer "name" is clipped rather than refused by Slack


def _name(subject: str) -> str:
    shown = subject if len(subject) <= _NAME_LIMIT else subject[: _NAME_LIMIT - 1] + "…"
    return f"'{escape(shown)}'"


def question_text(subject: str) -> str:
    return f"Is {_name(subject)} here one of our pupils?"


def question_blocks(q: Question) -> list[Block]:
    value = question_value(q.draft_id, q.question)
    return [
        SectionBlock(
            text=MarkdownTextObject(text=f"{mention(q.author_id)} {question_text(q.subject)}")
        ),
        ContextBlock(elements=[MarkdownTextObject(text=f"“{escape(q.excerpt[:500])}”")]),
        ActionsBlock(
            block_id=f"name_{q.question}",
            elements=[
                ButtonElement(
                    text=PlainTextObject(text="Yes: I'll take the name out"),
                    action_id=ACTION_IS_PUPIL,
                    value=value,
                ),
                ButtonElement(
                    text=PlainTextObject(text="No, it is someone else"),
                    action_id=ACTION_NOT_PUPIL,
                    value=value,
                ),
            ],
        ),
    ]


def cleared_line(name: ClearedName) -> str:
    return f"{_name(name.subject)}: not a pupil, said by {mention(name.answered_by)}"


def answered_text(result: NameAnswerResult) -> str:
    if not result.is_pupil:
        text = f"{_name(result.subject)}: not a pupil, said by {mention(result.answered_by)}"
        if result.state is DraftState.PENDING_APPROVAL:
            text += ". It is now waiting for approval by SLT."
        return text
    if result.has_photos:
        return (
            f"Thanks: edit the post to take {_name(result.subject)} out; "
            "the photo cannot go with the name."
        )
    return (
        f"Thanks: {_name(result.subject)} counts as a pupil's name. Check that naming them is "
        "really needed and that the family agrees, or edit the post to take the name out."
    )


def answered_blocks(result: NameAnswerResult) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=answered_text(result)))]


def ask(client: WebClient, sessions: sessionmaker[Session], draft_id: int) -> int:
    """Post each of the draft's questions not asked before; returns how many were posted.

    Each is claimed in the store first, so a re-check (or two at once) never asks twice; one
    that cannot be posted is released, so the next check asks it again.
    """
    with transaction(sessions) as session:
        questions = claim_unasked(session, draft_id)
        thread = refs.message_of(session, draft_id)
    if thread is None:
        return 0  # every draft has its message; nothing to answer in without one
    posted = 0
    for q in questions:
        try:
            answer = client.chat_postMessage(
                channel=thread[0],
                thread_ts=thread[1],
                text=question_text(q.subject),
                blocks=[b.to_dict() for b in question_blocks(q)],
                unfurl_links=False,
            )
        except Exception as exc:
            log_failure(log, f"asking a question about a name in draft {draft_id}", exc)
            with transaction(sessions) as session:
                forget_asked(session, draft_id, q.question)
            continue
        with transaction(sessions) as session:
            where = (str(answer["channel"]), str(answer["ts"]))
            refs.record_asked(session, draft_id, q.question, where)
        posted += 1
    if posted:
        log.info("asked %d question(s) about names in draft %s", posted, draft_id)
    return posted
