"""SLT's buttons on the past-posts card: "Delete from X" and "Reviewed, keep", each with a
reason form. Which review a click is about comes from the card's own message (channel, ts);
the value names the post. Who may act, and on what, is services/past_posts.py's to decide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from chatbot.adapters.db.db import transaction
from chatbot.adapters.slack import refs as slack_refs
from chatbot.adapters.slack.cards.past_posts import (
    DELETE_ACTION,
    DELETE_CALLBACK,
    KEEP_ACTION,
    KEEP_CALLBACK,
    past_post_reason_modal,
)
from chatbot.adapters.slack.listeners.common import Deps, actor_of, on_action, on_view, render
from chatbot.adapters.slack.listeners.decisions import reason_of
from chatbot.adapters.slack.payloads import action_value, channel_of
from chatbot.domain.ids import parse_id
from chatbot.services import past_posts
from chatbot.services.approval import Answer


def _review_of_card(deps: Deps, body: dict[str, Any]) -> int | None:
    channel = channel_of(body)
    ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    if not channel or not ts:
        return None
    with transaction(deps.sessions) as session:
        return slack_refs.review_at(session, (channel, str(ts)))


def _open(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient, *, delete: bool) -> None:
    ack()
    review_id = _review_of_card(deps, body)
    draft_id = parse_id(action_value(body))
    answer = past_posts.check_may_act(
        deps.sessions, review_id, draft_id, actor_of(deps, body), keeping=not delete
    )
    if not answer.ok or review_id is None or draft_id is None:
        render(deps, body, answer)
        return
    form = past_post_reason_modal(review_id, draft_id, delete=delete)
    client.views_open(trigger_id=body["trigger_id"], view=form)


def open_past_post_delete(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    _open(deps, ack, body, client, delete=True)


def open_past_post_keep(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    _open(deps, ack, body, client, delete=False)


def _metadata(view: dict[str, Any]) -> tuple[int | None, int | None]:
    review, _, draft = str(view.get("private_metadata") or "").partition(":")
    return parse_id(review), parse_id(draft)


# `past_posts.request_delete` or `past_posts.keep`
Decide = Callable[..., Answer]


def _submit(
    deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any], decide: Decide
) -> None:
    """A reason form sent: the service decides (and checks who may), the card shows it."""
    reason = reason_of(ack, view)
    if reason is None:
        return
    review_id, draft_id = _metadata(view)
    actor = actor_of(deps, body, named=True)
    render(
        deps, body, decide(deps.sessions, deps.gateway, review_id, draft_id, actor, reason=reason)
    )


def submit_past_post_delete(
    deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]
) -> None:
    _submit(deps, ack, body, view, past_posts.request_delete)


def submit_past_post_keep(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    _submit(deps, ack, body, view, past_posts.keep)


def register(app: App, deps: Deps) -> None:
    on_action(app, deps, DELETE_ACTION, open_past_post_delete)
    on_action(app, deps, KEEP_ACTION, open_past_post_keep)
    on_view(app, deps, DELETE_CALLBACK, submit_past_post_delete)
    on_view(app, deps, KEEP_CALLBACK, submit_past_post_keep)
