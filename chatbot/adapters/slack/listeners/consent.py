"""`/consent`: the school office (or SLT) records a consent given or withdrawn; and the register
sent to the bot in a direct message, previewed, imported on the office's confirmation.

Who may is decided by the registers service with the typed Actor; everyone else is refused
privately, and the form's pupil search offers them nobody.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from chatbot.adapters.slack.cards import consent as form
from chatbot.adapters.slack.cards import notice_modal
from chatbot.adapters.slack.listeners.common import Deps, bind, on_action, on_view
from chatbot.adapters.slack.listeners.messages import files_of
from chatbot.adapters.slack.payloads import action_value, text_value, user_of, view_values
from chatbot.adapters.slack.render import mrkdwn
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.services import past_posts
from chatbot.services.ports import ChatFile, FileUnavailable
from chatbot.services.registers import chat_import, office


def _actor(deps: Deps, user: str, *, named: bool = False) -> Actor:
    """`named` when they act: their name goes in the audit log (a search needs none)."""
    return Actor(
        user,
        is_slt=bool(user) and deps.slt.is_slt(user),
        is_office=bool(user) and user in deps.settings.office_users,
        name=deps.names.name_of(user) if named and user else None,
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
    deps.names.name_of(user)  # ready for the submission, which must answer in 3 s


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
    outcome = office.record_consent(deps.sessions, _actor(deps, user_of(body), named=True), request)
    if not outcome.ok:
        block = form.YEAR if outcome.field == "year" else form.PUPIL
        ack(response_action="errors", errors={block: outcome.message.plain})
        return
    ack(response_action="update", view=notice_modal("Consent recorded", mrkdwn(outcome.message)))
    past_posts.announce(deps.sessions, deps.gateway)  # a withdrawal's live posts, to SLT


def is_file_sent_to_the_bot(event: dict[str, Any]) -> bool:
    """A person's direct message to the bot with a file in it (the MIS export)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") == "file_share"
        and not event.get("bot_id")
        and bool(event.get("files"))
    )


def _fetch(deps: Deps, file: ChatFile) -> bytes | str:
    try:
        return deps.gateway.fetch_file(file, chat_import.MAX_BYTES)
    except FileUnavailable as exc:
        return str(exc)


def on_register_file(deps: Deps, event: dict[str, Any], client: WebClient) -> None:
    channel, user = str(event.get("channel") or ""), str(event.get("user") or "")
    actor = _actor(deps, user)
    if not office.may_record_consent(actor):
        client.chat_postMessage(channel=channel, text=office.NOT_OFFICE)
        return
    file = files_of(event)[0]
    data = _fetch(deps, file)
    if isinstance(data, str):
        client.chat_postMessage(channel=channel, text=data)
        return
    found = chat_import.preview(deps.sessions, actor, data, file.name or "the file")
    if isinstance(found, str):
        client.chat_postMessage(channel=channel, text=found)
        return
    if not found.ok or found.report is None:
        text = chat_import.problems_text(found)
        client.chat_postMessage(
            channel=channel, text=text, blocks=form.import_preview_blocks(text, None)
        )
        return
    notes = "".join(f"\n{n}" for n in found.notes)
    text = (
        f"{found.source} ({found.mapping} columns) would import "
        f"{chat_import.summary(found.report, found.leavers)}{notes}\n"
        "Nothing is written until you press Import."
    )
    value = f"{file.id}:{found.digest}"
    client.chat_postMessage(
        channel=channel, text=text, blocks=form.import_preview_blocks(text, value)
    )


def confirm_register_import(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    file_id, _, digest = str(action_value(body) or "").partition(":")
    channel = str((body.get("container") or {}).get("channel_id") or "")
    actor = _actor(deps, user_of(body), named=True)
    if not office.may_record_consent(actor):
        deps.gateway.ephemeral(channel or None, actor.id, office.NOT_OFFICE)
        return
    data = _fetch(deps, ChatFile(id=file_id, name="the register", mimetype="text/csv"))
    if isinstance(data, str):
        client.chat_postMessage(channel=channel, text=data)
        return
    text = chat_import.confirm(
        deps.sessions, actor, data, "the register", file_key=file_id, digest=digest
    )
    client.chat_postMessage(channel=channel, text=text)
    past_posts.announce(deps.sessions, deps.gateway)  # live posts of pupils it withdrew


def register(app: App, deps: Deps) -> None:
    # Before the drafts channel's message listener: Bolt runs the first listener that matches.
    app.event("message", matchers=[is_file_sent_to_the_bot])(bind(deps, on_register_file))
    on_action(app, deps, form.CONFIRM_IMPORT, confirm_register_import)
    app.command("/consent")(bind(deps, open_consent))
    app.options(form.PUPIL)(bind(deps, suggest_consent_pupils))
    on_view(app, deps, form.CALLBACK_ID, submit_consent)
