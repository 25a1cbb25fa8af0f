"""Messages in the drafts channel: a new one is a draft, an edit re-checks it, a deletion
withdraws it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from chatbot.adapters.slack.listeners.common import Deps, bind
from chatbot.adapters.slack.markup import to_post_text
from chatbot.adapters.slack.people import UserNames
from chatbot.domain.actors import Acting, Actor
from chatbot.services import intake
from chatbot.services.ports import ChatFile, MessageRef

log = logging.getLogger(__name__)

SLACKBOT = "USLACKBOT"  # Slack's own user: tombstones, reminders


def files_of(message: dict[str, Any]) -> tuple[ChatFile, ...]:
    out = []
    for f in message.get("files") or ():
        if not isinstance(f, dict) or not f.get("id"):
            continue
        size = f.get("size")
        out.append(
            ChatFile(
                id=str(f["id"]),
                name=str(f.get("name") or f.get("title") or ""),
                mimetype=str(f.get("mimetype") or ""),
                size=int(size) if isinstance(size, int) else None,
                url=f.get("url_private_download") or f.get("url_private"),
            )
        )
    return tuple(out)


def _incoming(channel: str, message: dict[str, Any], names: UserNames) -> intake.IncomingMessage:
    source = str(message.get("text") or "")
    converted = to_post_text(source)
    return intake.IncomingMessage(
        ref=MessageRef(channel, str(message["ts"])),
        user=str(message.get("user") or ""),
        source_text=source,
        text=converted.text,
        notices=converted.notices,
        files=files_of(message),
        user_name=names.name_of(str(message.get("user") or "")),
    )


def _is_staff_draft(message: dict[str, Any], bot_user: str | None) -> bool:
    """A person's top-level message: not a bot, not us, not a reply in a thread."""
    if message.get("bot_id") or message.get("subtype") in (
        "bot_message",
        "thread_broadcast",
        "tombstone",
    ):
        return False
    user = message.get("user")
    if not user or user in (bot_user, SLACKBOT):
        return False
    thread_ts = message.get("thread_ts")
    return not thread_ts or thread_ts == message.get("ts")


def on_message(
    deps: Deps, event: dict[str, Any], context: dict[str, Any], client: WebClient
) -> None:
    channel = str(event.get("channel") or "")
    if not channel or channel != deps.settings.drafts_channel:
        return
    subtype = event.get("subtype")
    bot_user = context.get("bot_user_id")
    if subtype in (None, "file_share"):
        if not _is_staff_draft(event, bot_user):
            return
        try:  # the 👀 first: the author sees at once that the bot has it
            client.reactions_add(channel=channel, timestamp=event["ts"], name="eyes")
        except Exception as exc:
            log.info("could not add the reaction: %s", type(exc).__name__)
        intake.receive(
            deps.sessions, deps.gateway, deps.policy, _incoming(channel, event, deps.names)
        )
    elif subtype == "message_changed":
        message = event.get("message") or {}
        if message.get("subtype") == "tombstone" and message.get("ts"):
            # A message with thread replies (every draft has ours) is not deleted but
            # replaced by a tombstone, "This message was deleted.": a deletion all the same.
            _withdraw(deps, channel, str(message["ts"]), event)
        elif message.get("ts") and _is_staff_draft(message, bot_user):
            intake.edit(
                deps.sessions, deps.gateway, deps.policy, _incoming(channel, message, deps.names)
            )
    elif subtype == "message_deleted" and event.get("deleted_ts"):
        _withdraw(deps, channel, str(event["deleted_ts"]), event)


def _withdraw(deps: Deps, channel: str, ts: str, event: dict[str, Any]) -> None:
    # Who deleted it is not in the event; the audit row names the message's author.
    author = str((event.get("previous_message") or {}).get("user") or "")
    actor: Acting = (
        Actor(author, name=deps.names.name_of(author))
        if author and author != SLACKBOT
        else "unknown"
    )
    intake.withdraw(deps.sessions, deps.gateway, MessageRef(channel, ts), actor)


def register(app: App, deps: Deps) -> None:
    app.event("message")(bind(deps, on_message))
