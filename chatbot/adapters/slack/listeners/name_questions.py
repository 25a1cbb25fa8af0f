"""The answers to "Is 'Frank' here one of our pupils?" (buttons `name_is_pupil` and
`name_not_pupil`, value "<draft id>:<question>").

Who may answer and whether the question is still current are decided in
chatbot/services/name_questions.py.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from chatbot.adapters.db.models import utcnow
from chatbot.adapters.slack import refs
from chatbot.adapters.slack.listeners.common import Deps, actor_of, on_action, tell
from chatbot.adapters.slack.name_views import answered_blocks, answered_text
from chatbot.adapters.slack.payloads import action_value
from chatbot.services.name_questions import (
    ACTION_IS_PUPIL,
    ACTION_NOT_PUPIL,
    answer_clicked,
    parse_question_value,
)


def _clicked_message(body: dict[str, Any]) -> tuple[str, str] | None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (str(channel), str(ts)) if channel and ts else None


def _asked_at(deps: Deps, value: object) -> tuple[str, str] | None:
    """Where the question was posted, from the Slack adapter's own table."""
    parsed = parse_question_value(value)
    if parsed is None:
        return None
    with deps.sessions() as session:
        return refs.asked_at(session, *parsed)


def _answer(deps: Deps, body: dict[str, Any], is_pupil: bool) -> None:
    clicked = answer_clicked(
        deps.sessions,
        action_value(body),
        is_pupil,
        actor_of(deps, body, named=True),
        policy=deps.policy,
        now=utcnow(),
    )
    result = clicked.result
    if not result.ok:
        tell(deps, body, result.message)
        return
    where = _asked_at(deps, action_value(body)) or _clicked_message(body)
    if where:
        deps.gateway.client.chat_update(
            channel=where[0],
            ts=where[1],
            text=answered_text(result),
            blocks=[b.to_dict() for b in answered_blocks(result)],
        )
    if not result.repeated and clicked.draft_id is not None:
        deps.gateway.refresh_card(clicked.draft_id)


def on_is_pupil(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    _answer(deps, body, is_pupil=True)


def on_not_pupil(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    _answer(deps, body, is_pupil=False)


def register(app: App, deps: Deps) -> None:
    on_action(app, deps, ACTION_IS_PUPIL, on_is_pupil)
    on_action(app, deps, ACTION_NOT_PUPIL, on_not_pupil)
