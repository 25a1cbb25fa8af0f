"""SLT's decisions on a draft: approve now or later, reject, override the checks.

A button that needs more (a reason, a time) opens its form only if the service says the
decision may be made; the submission is checked again by the service that acts on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from chatbot.adapters.db.models import utcnow
from chatbot.adapters.slack import cards
from chatbot.adapters.slack.listeners.common import Deps, actor_of, on_action, on_view, render
from chatbot.adapters.slack.payloads import action_value, text_value, view_values
from chatbot.domain.academic_year import LONDON
from chatbot.domain.ids import parse_id
from chatbot.services import approval
from chatbot.services.approval import Answer
from chatbot.services.publishing.state import london_to_utc


def open_form(
    deps: Deps,
    body: dict[str, Any],
    client: WebClient,
    allowed: tuple[int | None, Answer],
    make_view: Callable[[int], View],
) -> None:
    """The form for the draft, if the service allowed the decision; else its refusal."""
    draft_id, answer = allowed
    if not answer.ok or draft_id is None:
        render(deps, body, answer)
        return
    client.views_open(trigger_id=body["trigger_id"], view=make_view(draft_id))


def reason_of(ack: Ack, view: dict[str, Any]) -> str | None:
    """The reason typed in a reason form, acknowledged; None (and an inline error) if empty."""
    reason = text_value(view_values(view), "reason").strip()
    if not reason:
        ack(response_action="errors", errors={"reason": "Please give a reason."})
        return None
    ack()
    return reason


def _reject_form(draft_id: int) -> View:
    return cards.reason_modal(
        "reject_reason",
        draft_id,
        title="Reject draft",
        label="Why? (the author sees this)",
        submit="Reject",
    )


def _override_form(draft_id: int) -> View:
    return cards.reason_modal(
        "override_reason",
        draft_id,
        title="Override the checks",
        label="Why may this be posted despite the checks? (kept in the audit log)",
        submit="Approve",
    )


def _schedule_form(draft_id: int) -> View:
    return cards.schedule_modal(draft_id, utcnow().astimezone(LONDON).date())


def on_approve(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = approval.approve(
        deps.sessions, deps.gateway, deps.policy, draft_id, actor_of(deps, body, named=True)
    )
    render(deps, body, answer)


def open_reject(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = approval.may_reject(deps.sessions, draft_id, actor_of(deps, body))
    open_form(deps, body, client, (draft_id, answer), _reject_form)


def open_override(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = approval.check_may_override(deps.sessions, draft_id, actor_of(deps, body))
    open_form(deps, body, client, (draft_id, answer), _override_form)


def open_schedule(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    answer = approval.may_schedule(deps.sessions, draft_id, actor_of(deps, body))
    open_form(deps, body, client, (draft_id, answer), _schedule_form)


def submit_reject(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    reason = reason_of(ack, view)
    if reason is None:
        return
    draft_id = parse_id(view.get("private_metadata"))
    answer = approval.reject(
        deps.sessions, deps.gateway, draft_id, actor_of(deps, body, named=True), reason=reason
    )
    render(deps, body, answer)


def submit_override(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    reason = reason_of(ack, view)
    if reason is None:
        return
    draft_id = parse_id(view.get("private_metadata"))
    answer = approval.override(
        deps.sessions,
        deps.gateway,
        deps.policy,
        draft_id,
        actor_of(deps, body, named=True),
        reason=reason,
    )
    render(deps, body, answer)


def submit_schedule(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    values = view_values(view)
    try:
        day = date.fromisoformat(str(values["post_date"]["selected_date"]))
        at = time.fromisoformat(str(values["post_time"]["selected_time"]))
    except (KeyError, ValueError, TypeError):
        ack(response_action="errors", errors={"post_date": "Choose a day and a time."})
        return
    when = london_to_utc(day, at)
    if when <= utcnow():
        ack(response_action="errors", errors={"post_time": "Choose a time in the future."})
        return
    ack()
    answer = approval.approve(
        deps.sessions,
        deps.gateway,
        deps.policy,
        parse_id(view.get("private_metadata")),
        actor_of(deps, body, named=True),
        not_before=when,
    )
    render(deps, body, answer)


def register(app: App, deps: Deps) -> None:
    on_action(app, deps, "draft_approve", on_approve)
    on_action(app, deps, "draft_reject", open_reject)
    on_action(app, deps, "draft_override", open_override)
    on_action(app, deps, "draft_schedule", open_schedule)
    on_view(app, deps, "reject_reason", submit_reject)
    on_view(app, deps, "override_reason", submit_override)
    on_view(app, deps, "schedule_post", submit_schedule)
