"""`/consent`: the school office (or SLT) records a consent given or withdrawn.

Who may is decided by the registers service with the typed Actor; everyone else is refused
privately, and the form's pupil search offers them nobody.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from chatbot.adapters.slack.cards import consent as form
from chatbot.adapters.slack.cards import notice_modal
from chatbot.adapters.slack.listeners.common import Deps, bind, on_view
from chatbot.adapters.slack.payloads import text_value, user_of, view_values
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.services.registers import office


def _actor(deps: Deps, user: str) -> Actor:
    return Actor(
        user,
        is_slt=bool(user) and deps.slt.is_slt(user),
        is_office=bool(user) and user in deps.settings.office_users,
    )


def open_consent(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    user = str(body.get("user_id") or "")
    if not office.may_record_consent(_actor(deps, user)):
        deps.gateway.ephemeral(str(body.get("channel_id") or "") or None, user, office.NOT_OFFICE)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=form.consent_modal(office.consent_years())
    )


def suggest_consent_pupils(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    query = str(body.get("value") or "").strip()
    found = office.consent_pupils(deps.sessions, _actor(deps, user_of(body)), query)
    ack(
        options=[
            {"text": {"type": "plain_text", "text": label[:75]}, "value": str(pupil_id)}
            for pupil_id, label in found
        ]
    )


def _selected(values: dict[str, dict[str, Any]], action_id: str) -> str:
    return str(((values.get(action_id) or {}).get("selected_option") or {}).get("value") or "")


def submit_consent(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    values = view_values(view)
    answer = _selected(values, form.ANSWER)
    if answer not in ("given", "withdrawn"):
        ack(response_action="errors", errors={form.ANSWER: "Choose given or withdrawn."})
        return
    request = office.ConsentRequest(
        pupil_id=parse_id(_selected(values, form.PUPIL)),
        channel=_selected(values, form.CHANNEL),
        give=answer == "given",
        year=_selected(values, form.YEAR),
        note=text_value(values, form.NOTE),
    )
    outcome = office.record_consent(deps.sessions, _actor(deps, user_of(body)), request)
    if not outcome.ok:
        block = form.YEAR if outcome.field == "year" else form.PUPIL
        ack(response_action="errors", errors={block: outcome.message})
        return
    ack(response_action="update", view=notice_modal("Consent recorded", outcome.message))


def register(app: App, deps: Deps) -> None:
    app.command("/consent")(bind(deps, open_consent))
    app.options(form.PUPIL)(bind(deps, suggest_consent_pupils))
    on_view(app, deps, form.CALLBACK_ID, submit_consent)
