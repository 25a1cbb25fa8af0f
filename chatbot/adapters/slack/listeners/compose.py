"""Writing a draft in a form (`/tweet`, the "Submit as draft" shortcut), and its author's own
buttons: Edit and Withdraw.

The draft's message is the bot's, so its author changes it here, never by editing it; the
intake service refuses the form for any other draft (a forged click).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from chatbot.adapters.slack import cards
from chatbot.adapters.slack.listeners.common import (
    Deps,
    actor_of,
    bind,
    on_action,
    on_view,
    tell,
)
from chatbot.adapters.slack.listeners.messages import files_of
from chatbot.adapters.slack.markup import to_post_text
from chatbot.adapters.slack.payloads import action_value, text_value, user_of, view_values
from chatbot.adapters.slack.render import escape
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.services import intake
from chatbot.services.ports import ChatFile, MessageRef

NOT_THE_AUTHOR = "Only the author can edit this draft."
WITHDRAW_TOO_LATE = (
    "This draft can no longer be withdrawn: it has been decided on or posted. "
    "Ask a member of SLT if it needs taking down."
)


def on_command(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    # A slash command's text is plain (Slack escapes only & < >): convert like a message.
    text = to_post_text(str(body.get("text") or "")).text
    client.views_open(trigger_id=body["trigger_id"], view=cards.compose_modal(text))


def on_shortcut(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    text = to_post_text(str((body.get("message") or {}).get("text") or "")).text
    client.views_open(trigger_id=body["trigger_id"], view=cards.compose_modal(text))


def submit_compose(
    deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    values = view_values(view)
    text = text_value(values, "text").strip()
    files = files_of({"files": (values.get("photos") or {}).get("files") or []})
    editing = view.get("private_metadata")
    user = user_of(body)
    own: intake.OwnDraft | None = None
    if editing:
        found = intake.composed_draft(
            deps.sessions, deps.gateway, parse_id(editing), actor_of(deps, body), "edit"
        )
        if isinstance(found, str):
            # The form's own words for a refusal other than "not composed in the form".
            refusal = found if found == intake.not_composed(deps.gateway.words) else NOT_THE_AUTHOR
            ack(response_action="errors", errors={"text": refusal})
            return
        own = found
    if not text and not files and not (own and own.files):
        ack(response_action="errors", errors={"text": "Write what the post should say."})
        return
    ack()
    if own is not None:
        edited = _composed(
            own.message.place,
            own.message.id,
            user,
            text,
            files or own.files,
            name=deps.names.name_of(user),
        )
        _edit_composed(deps, client, own, edited)
        return
    channel = deps.settings.drafts_channel
    if not channel:
        return
    # The draft lives in the drafts channel like any other, with its own thread. The
    # message is the bot's, so its author gets buttons to edit or withdraw it.
    post_text = to_post_text(escape(text)).text
    card = cards.composed_draft(user, post_text)
    posted = client.chat_postMessage(
        channel=channel, text=card.text, blocks=card.blocks_json(), unfurl_links=False
    )
    draft_id = intake.receive(
        deps.sessions,
        deps.gateway,
        deps.policy,
        _composed(channel, str(posted["ts"]), user, text, files, name=deps.names.name_of(user)),
    )
    if draft_id is not None:
        card = cards.composed_draft(user, post_text, draft_id)
        client.chat_update(
            channel=channel, ts=str(posted["ts"]), text=card.text, blocks=card.blocks_json()
        )


def open_edit(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    own = intake.composed_draft(
        deps.sessions, deps.gateway, parse_id(action_value(body)), actor_of(deps, body), "edit"
    )
    if isinstance(own, str):
        tell(deps, body, own)
        return
    view = cards.compose_modal(own.text, draft_id=own.id, photos=len(own.files))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_withdraw(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    user = user_of(body)
    own = intake.composed_draft(
        deps.sessions,
        deps.gateway,
        parse_id(action_value(body)),
        actor_of(deps, body),
        "withdraw",
    )
    if isinstance(own, str):
        tell(deps, body, own)
        return
    author = Actor(user, name=deps.names.name_of(user))
    if not intake.withdraw(deps.sessions, deps.gateway, own.message, author):
        tell(deps, body, WITHDRAW_TOO_LATE)
        return
    card = cards.composed_draft(user, own.text, withdrawn=True)
    client.chat_update(
        channel=own.message.place, ts=own.message.id, text=card.text, blocks=card.blocks_json()
    )


def _composed(
    channel: str, ts: str, user: str, text: str, files: tuple[ChatFile, ...], *, name: str | None
) -> intake.IncomingMessage:
    """A draft written in the compose form: plain text, so converted as Slack would send it."""
    return intake.IncomingMessage(
        ref=MessageRef(channel, ts),
        user=user,
        source_text=text,
        text=to_post_text(escape(text)).text,
        files=files,
        composed=True,
        user_name=name,
    )


def _edit_composed(
    deps: Deps, client: WebClient, own: intake.OwnDraft, message: intake.IncomingMessage
) -> None:
    """The compose form's edit: the same path as editing a message, then the message redrawn.

    The check that `own` may be edited here (its author, composed in the form) cannot go stale
    before the edit: neither the author nor how a draft was made ever changes.
    """
    if not intake.edit(deps.sessions, deps.gateway, deps.policy, message):
        return  # unchanged, or too late (the author has been told why in the thread)
    card = cards.composed_draft(message.user, message.text, own.id)
    client.chat_update(
        channel=own.message.place, ts=own.message.id, text=card.text, blocks=card.blocks_json()
    )


def register(app: App, deps: Deps) -> None:
    app.command("/tweet")(bind(deps, on_command))
    app.shortcut("submit_as_draft")(bind(deps, on_shortcut))
    on_view(app, deps, "compose_draft", submit_compose)
    on_action(app, deps, "draft_edit", open_edit)
    on_action(app, deps, "draft_withdraw", on_withdraw)
