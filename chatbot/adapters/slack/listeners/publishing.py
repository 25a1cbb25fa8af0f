"""SLT's buttons for what happens at X: retry, mark as published, take down, cancel a schedule.

Who may press them, and when, is the publishing service's to decide; these only read the click.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from chatbot.adapters.slack import cards
from chatbot.adapters.slack.listeners.common import Deps, actor_of, on_action, on_view, render
from chatbot.adapters.slack.listeners.decisions import open_form, reason_of
from chatbot.adapters.slack.payloads import action_value, text_value, view_values
from chatbot.domain.ids import parse_id
from chatbot.services.publishing import commands as publishing_service

# Checked here too so a wrong link is an inline error, not a closed form and a refusal.


def _takedown_form(draft_id: int) -> View:
    return cards.reason_modal(
        "takedown_reason",
        draft_id,
        title="Delete from X",
        label="Why is the post being taken down? (kept in the audit log)",
        submit="Delete from X",
    )


def open_takedown(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = publishing_service.may_take_down(deps.sessions, draft_id, actor_of(deps, body))
    open_form(deps, body, client, (draft_id, answer), _takedown_form)


def open_mark_published(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = publishing_service.may_mark_published(deps.sessions, draft_id, actor_of(deps, body))
    open_form(deps, body, client, (draft_id, answer), cards.mark_published_modal)


def submit_takedown(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    reason = reason_of(ack, view)
    if reason is None:
        return
    answer = publishing_service.request_takedown(
        deps.sessions,
        deps.gateway,
        parse_id(view.get("private_metadata")),
        actor_of(deps, body, named=True),
        reason,
    )
    render(deps, body, answer)


def submit_mark_published(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    url = text_value(view_values(view), "url").strip()
    if deps.gateway.limits.post_id_in(url) is None:
        ack(
            response_action="errors",
            errors={"url": "Paste the link to the post, like https://x.com/school/status/1"},
        )
        return
    ack()
    answer = publishing_service.mark_published(
        deps.sessions,
        deps.gateway,
        parse_id(view.get("private_metadata")),
        actor_of(deps, body, named=True),
        url,
        limits=deps.gateway.limits,
    )
    render(deps, body, answer)


def on_retry(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = publishing_service.retry(
        deps.sessions, deps.gateway, draft_id, actor_of(deps, body, named=True)
    )
    render(deps, body, answer)


def on_cancel_schedule(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = publishing_service.cancel_schedule(
        deps.sessions, deps.gateway, draft_id, actor_of(deps, body, named=True)
    )
    render(deps, body, answer)


def register(app: App, deps: Deps) -> None:
    on_action(app, deps, "draft_takedown", open_takedown)
    on_action(app, deps, "draft_mark_published", open_mark_published)
    on_view(app, deps, "takedown_reason", submit_takedown)
    on_view(app, deps, "mark_published", submit_mark_published)
    on_action(app, deps, "draft_retry", on_retry)
    on_action(app, deps, "draft_cancel_schedule", on_cancel_schedule)
