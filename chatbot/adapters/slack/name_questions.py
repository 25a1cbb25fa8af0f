"""Listeners for the answers to "Is 'Frank' here one of our pupils?" (buttons `name_is_pupil`
and `name_not_pupil`, value "<draft id>:<question>").

Thin, like the others: ack, parse, call the one service, show its result. Who may answer and
whether the question is still current are decided in chatbot/services/name_questions.py.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.repositories import StaleState
from chatbot.adapters.slack import refs
from chatbot.adapters.slack.listeners import Deps, guarded
from chatbot.adapters.slack.name_views import answered_blocks, answered_text
from chatbot.adapters.slack.payloads import action_value, channel_of, user_of
from chatbot.services.name_questions import (
    ACTION_IS_PUPIL,
    ACTION_NOT_PUPIL,
    UNKNOWN,
    answer_name_question,
    parse_question_value,
)

log = logging.getLogger(__name__)

BUSY = "Someone has just changed this draft: please answer again in a moment."


def _clicked_message(body: dict[str, Any]) -> tuple[str, str] | None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (str(channel), str(ts)) if channel and ts else None


def register_name_questions(app: App, deps: Deps) -> None:
    def answer(is_pupil: bool, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = user_of(body)
        parsed = parse_question_value(action_value(body))
        if parsed is None:
            log.warning("refused an answer about a name with a malformed value from %s", user)
            deps.gateway.ephemeral(channel_of(body), user, UNKNOWN)
            return
        draft_id, question = parsed
        is_slt = deps.slt.is_slt(user)
        try:
            with transaction(deps.sessions) as session:
                result = answer_name_question(
                    session,
                    draft_id,
                    question,
                    is_pupil,
                    user,
                    is_slt=is_slt,
                    policy=deps.policy,
                    now=utcnow(),
                )
                where = refs.asked_at(session, draft_id, question) if result.ok else None
        except StaleState:  # an edit or a decision moved the draft in the meantime
            deps.gateway.ephemeral(channel_of(body), user, BUSY)
            return
        if not result.ok:
            deps.gateway.ephemeral(channel_of(body), user, result.message)
            return
        where = where or _clicked_message(body)
        if where:
            deps.gateway.client.chat_update(
                channel=where[0],
                ts=where[1],
                text=answered_text(result),
                blocks=[b.to_dict() for b in answered_blocks(result)],
            )
        if not result.repeated:
            deps.gateway.refresh_card(draft_id)

    @app.action(ACTION_IS_PUPIL)
    @guarded
    def on_is_pupil(ack: Ack, body: dict[str, Any]) -> None:
        answer(True, ack, body)

    @app.action(ACTION_NOT_PUPIL)
    @guarded
    def on_not_pupil(ack: Ack, body: dict[str, Any]) -> None:
        answer(False, ack, body)
