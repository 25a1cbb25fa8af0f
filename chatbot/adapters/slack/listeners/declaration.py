"""The photo declaration: who is pictured, the alt texts, where the photos came from."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from chatbot.adapters.slack import cards
from chatbot.adapters.slack.listeners.common import Deps, actor_of, bind, on_action, on_view, tell
from chatbot.adapters.slack.payloads import action_value, text_value, user_of, view_values
from chatbot.adapters.slack.render import escape
from chatbot.domain.ids import parse_id
from chatbot.services import intake


def _alt_texts(values: dict[str, dict[str, Any]], max_photos: int) -> tuple[str, ...]:
    """The `alt_text_<n>` inputs in photo order, by number: a gap counts as an empty one."""
    numbers = [
        int(key.removeprefix("alt_text_"))
        for key in values
        if key.startswith("alt_text_") and key.removeprefix("alt_text_").isdigit()
    ]
    count = min(max(numbers, default=-1) + 1, max_photos)
    return tuple(text_value(values, f"alt_text_{n}") for n in range(count))


def open_declaration(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    draft_id = parse_id(action_value(body))
    form = intake.declaration_form(deps.sessions, draft_id, actor_of(deps, body))
    if isinstance(form, str) or draft_id is None:
        tell(deps, body, form if isinstance(form, str) else intake.NOT_DECLARABLE)
        return
    declared = form.declaration
    view = cards.declare_modal(
        draft_id,
        form.photo_count,
        alt_texts=declared.alt_texts,
        initial_pupils=form.pupils,
        no_pupils=declared.no_pupils,
        source=declared.source,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
    deps.names.name_of(user_of(body))  # ready for the submission, which must answer in 3 s


def suggest_pupils(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    query = str(body.get("value") or "").strip()
    ack(
        options=[
            {"text": {"type": "plain_text", "text": label[:75]}, "value": value}
            for value, label in intake.suggest_pupils(deps.sessions, query)
        ]
    )


def _chosen_pupils(values: dict[str, dict[str, Any]]) -> tuple[tuple[int, ...], bool] | None:
    """(pupil ids, "someone not on the register" chosen) from the form; None if a value is
    not among the options search offers."""
    chosen = [
        str(o.get("value", ""))
        for o in (values.get("pictured_pupils") or {}).get("selected_options") or ()
    ]
    return intake.parse_choices(chosen)


def submit_declaration(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    draft_id = parse_id(view.get("private_metadata"))
    if draft_id is None:
        ack(response_action="errors", errors={"pictured_pupils": "This form is out of date."})
        return
    values = view_values(view)
    chosen = _chosen_pupils(values)
    if chosen is None:
        ack(response_action="errors", errors={"pictured_pupils": intake.NOT_ON_REGISTER})
        return
    no_pupils = bool((values.get("no_pupils") or {}).get("selected_options"))
    source = ((values.get("photo_source") or {}).get("selected_option") or {}).get("value")
    result = intake.declare(
        deps.sessions,
        deps.policy,
        draft_id,
        actor_of(deps, body, named=True),
        intake.Declaration(
            chosen[0],
            no_pupils,
            _alt_texts(values, deps.gateway.limits.max_photos),
            source,
            unregistered=chosen[1],
        ),
    )
    if result.ok:
        ack()
    else:
        # Slack shows the refusal as mrkdwn; pupils' names are typed by staff, so made inert.
        ack(response_action="errors", errors={k: escape(v) for k, v in result.errors.items()})
    if result.stored:
        intake.announce(deps.gateway, draft_id)


def register(app: App, deps: Deps) -> None:
    on_action(app, deps, "draft_declare", open_declaration)
    app.options("pictured_pupils")(bind(deps, suggest_pupils))
    on_view(app, deps, "declare_photos", submit_declaration)
