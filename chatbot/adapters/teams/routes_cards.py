"""The approval card's buttons (`adaptiveCard/action` verbs) and the name questions' answers.

Each verb reads the click, calls one service with the clicker as an `Actor`, and answers the
invoke: a refusal goes only to the clicker, in the answer. The service's messages to the chat
(the card redrawn for everyone, the author told) are recorded while it runs and sent after the
answer, in the background, so the invoke never waits on the Bot Connector.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.dialogs import action_card
from chatbot.adapters.teams.name_cards import answered_card
from chatbot.adapters.teams.routes_common import (
    STILL_WORKING,
    Deps,
    Json,
    refusal,
    within_budget,
)
from chatbot.domain.actors import Actor
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.ids import parse_id
from chatbot.domain.messages import Telling, as_message
from chatbot.domain.networks import NetworkLimits
from chatbot.services import approval
from chatbot.services.approval import Answer
from chatbot.services.failures import log_failure
from chatbot.services.name_questions import (
    ACTION_IS_PUPIL,
    ACTION_NOT_PUPIL,
    ClickedAnswer,
    answer_clicked,
)
from chatbot.services.ports import ChatGateway
from chatbot.services.publishing import commands as publishing
from chatbot.services.publishing.state import london_to_utc

log = logging.getLogger(__name__)

DONE = {
    "draft_approve": "Approved: it is being posted on X.",
    "draft_schedule": "Approved for later.",
    "draft_reject": "Rejected: the author has been told why.",
    "draft_override": "Approved despite the checks: it is being posted on X.",
    "draft_retry": "Queued to post again.",
    "draft_cancel_schedule": "Schedule cancelled: the draft waits for approval again.",
    "draft_mark_published": "Marked as published.",
    "draft_takedown": "The post will be deleted from X shortly.",
}


class RecordingChat:
    """A `ChatGateway` that keeps the calls, to make them after the invoke is answered."""

    def __init__(self, limits: NetworkLimits, words: ChatWords) -> None:
        self.limits = limits  # the gateway's, which the core reads as it decides
        self.words = words
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def refresh_card(self, draft_id: int) -> None:
        self.calls.append(("refresh_card", (draft_id,)))

    def tell_author(self, draft_id: int, text: Telling) -> None:
        self.calls.append(("tell_author", (draft_id, text)))

    def notify_approvers(self, text: Telling) -> None:
        self.calls.append(("notify_approvers", (text,)))

    def post_alert(self, alert_id: int) -> None:
        self.calls.append(("post_alert", (alert_id,)))

    def direct_message(self, user_id: str, text: Telling) -> None:
        self.calls.append(("direct_message", (user_id, text)))

    def show_past_posts(self, review_id: int) -> None:
        self.calls.append(("show_past_posts", (review_id,)))

    def replay(self, gateway: ChatGateway) -> None:
        """Each call in order; one that fails does not stop the others (a lost reply must not
        keep the card from being redrawn)."""
        for name, args in _dedupe(self.calls):
            try:
                getattr(gateway, name)(*args)
            except Exception as exc:
                log_failure(log, f"the chat's {name} after a click", exc)


def _dedupe(calls: Sequence[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, tuple[Any, ...]]]:
    out: list[tuple[str, tuple[Any, ...]]] = []
    for call in calls:
        if call[0] == "refresh_card" and call in out:
            continue  # one redraw shows the latest state
        out.append(call)
    return out


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


Decision = Callable[[Deps, ChatGateway, int | None, Actor, dict[str, Any]], Answer]


def _approve(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, _d: Any) -> Answer:
    return approval.approve(deps.sessions, chat, deps.policy, draft, actor)


def _schedule(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, data: Any) -> Answer:
    try:
        day = date.fromisoformat(_text(data, "post_date"))
        at = time.fromisoformat(_text(data, "post_time"))
    except ValueError:
        return Answer(False, "Choose a day and a time.")
    when = london_to_utc(day, at)
    return approval.approve(deps.sessions, chat, deps.policy, draft, actor, not_before=when)


def _reject(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, data: Any) -> Answer:
    reason = _text(data, "reason")
    return approval.reject(deps.sessions, chat, draft, actor, reason=reason)


def _override(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, data: Any) -> Answer:
    reason = _text(data, "reason")
    return approval.override(deps.sessions, chat, deps.policy, draft, actor, reason=reason)


def _retry(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, _d: Any) -> Answer:
    return publishing.retry(deps.sessions, chat, draft, actor)


def _cancel(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, _d: Any) -> Answer:
    return publishing.cancel_schedule(deps.sessions, chat, draft, actor)


def _mark(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, data: Any) -> Answer:
    return publishing.mark_published(
        deps.sessions, chat, draft, actor, _text(data, "url"), limits=deps.gateway.limits
    )


def _takedown(deps: Deps, chat: ChatGateway, draft: int | None, actor: Actor, data: Any) -> Answer:
    reason = _text(data, "reason")
    return publishing.request_takedown(deps.sessions, chat, draft, actor, reason)


DRAFT_VERBS: dict[str, Decision] = {
    "draft_approve": _approve,
    "draft_schedule": _schedule,
    "draft_reject": _reject,
    "draft_override": _override,
    "draft_retry": _retry,
    "draft_cancel_schedule": _cancel,
    "draft_mark_published": _mark,
    "draft_takedown": _takedown,
}


async def on_draft_verb(deps: Deps, verb: str, data: dict[str, Any], actor: Actor) -> Json:
    """An SLT decision: the refusal for the clicker, or a short confirmation."""
    decision = DRAFT_VERBS[verb]
    draft_id = parse_id(data.get("draft"))
    chat = RecordingChat(deps.gateway.limits, deps.gateway.words)

    def work() -> Answer:
        return decision(deps, chat, draft_id, actor, data)

    def then(_answer: Answer) -> None:
        chat.replay(deps.gateway)

    result = await within_budget(deps, ("draft", draft_id), work, then, f"the click {verb}")
    if result is None:
        return refusal(STILL_WORKING)
    return refusal(as_message(result.message).plain if not result.ok else DONE[verb])


# -- name questions ----------------------------------------------------------------------------


async def on_name_answer(
    deps: Deps, verb: str, data: dict[str, Any], actor: Actor, clicked_at: tuple[str, str] | None
) -> Json:
    is_pupil = verb == ACTION_IS_PUPIL
    value = data.get("value") or f"{data.get('draft')}:{data.get('question')}"
    question = str(data.get("question") or "")

    def work() -> ClickedAnswer:
        return answer_clicked(
            deps.sessions, value, is_pupil, actor, policy=deps.policy, now=utcnow()
        )

    def then(clicked: ClickedAnswer) -> None:
        if not clicked.result.ok:
            return
        where = clicked_at
        if clicked.draft_id is not None:
            with transaction(deps.sessions) as session:
                where = teams_refs.asked_at(session, clicked.draft_id, question) or where
        if where:
            names = deps.gateway.names([clicked.result.answered_by])
            deps.gateway.update_activity(
                where[0], where[1], answered_card(clicked.result, names=names)
            )
        if not clicked.result.repeated and clicked.draft_id is not None:
            deps.gateway.refresh_card(clicked.draft_id)

    key = ("draft", parse_id(data.get("draft")))
    clicked = await within_budget(deps, key, work, then, f"the answer {verb}")
    if clicked is None:
        return refusal(STILL_WORKING)
    if not clicked.result.ok:
        return refusal(clicked.result.message)
    names = await _names(deps, clicked.result.answered_by)
    return action_card(answered_card(clicked.result, names=names).content)


async def _names(deps: Deps, user: str) -> dict[str, str]:
    return await asyncio.to_thread(deps.gateway.names, [user])


NAME_VERBS = (ACTION_IS_PUPIL, ACTION_NOT_PUPIL)

__all__ = ["DRAFT_VERBS", "NAME_VERBS", "RecordingChat", "on_draft_verb", "on_name_answer"]
