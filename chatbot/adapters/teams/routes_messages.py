"""Posts in the drafts channel: a new top-level post is a draft, an edit re-checks it, a
deletion withdraws it. The turn only reads the activity; the work runs in the background, in
order per message, so that Teams has its answer at once.

A channel post's conversation id is the channel's, with ``;messageid=<root>`` on Teams' side;
a `MessageRef` is (the channel id without it, the post's activity id). A reply in a thread has
a ``replyToId`` (or a root that is not itself) and is never a draft.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from chatbot.adapters.teams.html_text import bot_mention_names, teams_html_to_text
from chatbot.adapters.teams.routes_common import Deps, raw, sender_id, sender_name
from chatbot.services import intake
from chatbot.services.ports import ChatFile, MessageRef

log = logging.getLogger(__name__)

FILE_CARD = "application/vnd.microsoft.teams.file.download.info"
_EDIT, _DELETE = "editMessage", "softDeleteMessage"


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def channel_of(activity: Mapping[str, Any]) -> str:
    channel = _dict(_dict(activity.get("channelData")).get("channel")).get("id")
    return channel if isinstance(channel, str) else ""


def message_ref(activity: Mapping[str, Any]) -> MessageRef | None:
    conversation = str(_dict(activity.get("conversation")).get("id") or "")
    activity_id = activity.get("id")
    if not conversation or not isinstance(activity_id, str) or not activity_id:
        return None
    return MessageRef(conversation.split(";messageid=", 1)[0], activity_id)


def is_top_level(activity: Mapping[str, Any]) -> bool:
    """A new post, not a reply in a post's thread."""
    if activity.get("replyToId"):
        return False
    conversation = str(_dict(activity.get("conversation")).get("id") or "")
    _channel, marker, root = conversation.partition(";messageid=")
    return not marker or root == activity.get("id")


def _by_a_person(deps: Deps, activity: Mapping[str, Any]) -> bool:
    sender = _dict(activity.get("from"))
    app = f"28:{deps.settings.teams_app_id}"
    return bool(sender_id(activity)) and sender.get("id") != app


def files_of(activity: Mapping[str, Any]) -> tuple[ChatFile, ...]:
    """Photos pasted in (``image/*`` on the service URL's host) and files shared as file cards
    (a pre-authorised ``downloadUrl``); the message's own HTML and other cards are not files."""
    out: list[ChatFile] = []
    for attachment in activity.get("attachments") or ():
        if not isinstance(attachment, Mapping):
            continue
        kind = str(attachment.get("contentType") or "")
        name = str(attachment.get("name") or "")
        if kind.startswith("image/") and attachment.get("contentUrl"):
            url = str(attachment["contentUrl"])
            # A pasted photo comes as "image/*": its kind is then read from its bytes.
            mimetype = kind if kind != "image/*" else (mimetypes.guess_type(name)[0] or "")
            out.append(ChatFile(id=url, name=name or "photo", mimetype=mimetype, url=url))
        elif kind == FILE_CARD:
            content = _dict(attachment.get("content"))
            download = content.get("downloadUrl")
            if not isinstance(download, str) or not download:
                continue
            url = download
            guessed = mimetypes.guess_type(name or f"file.{content.get('fileType', '')}")[0]
            mimetype = guessed or "application/octet-stream"
            out.append(
                ChatFile(
                    id=str(content.get("uniqueId") or url),
                    name=name,
                    mimetype=mimetype,
                    url=url,
                )
            )
    return tuple(out)


def incoming(activity: Mapping[str, Any], ref: MessageRef) -> intake.IncomingMessage:
    source = str(activity.get("text") or "")
    recipient = str(_dict(activity.get("recipient")).get("id") or "")
    entities = [e for e in activity.get("entities") or () if isinstance(e, Mapping)]
    text = teams_html_to_text(source, bot_names=bot_mention_names(entities, recipient))
    return intake.IncomingMessage(
        ref=ref,
        user=sender_id(activity),
        user_name=sender_name(activity),
        source_text=source,
        text=text,
        files=files_of(activity),
    )


def _receive(deps: Deps, activity: dict[str, Any], message: intake.IncomingMessage) -> None:
    deps.gateway.learn(activity)
    intake.receive(deps.sessions, deps.gateway, deps.policy, message)


def _edit(deps: Deps, activity: dict[str, Any], message: intake.IncomingMessage) -> None:
    deps.gateway.learn(activity)
    intake.edit(deps.sessions, deps.gateway, deps.policy, message)


def _withdraw(deps: Deps, activity: dict[str, Any], ref: MessageRef) -> None:
    deps.gateway.learn(activity)
    who = deps.actor(activity)
    intake.withdraw(deps.sessions, deps.gateway, ref, who if who.id else "unknown")


def _in_drafts(deps: Deps, activity: Mapping[str, Any]) -> MessageRef | None:
    drafts = deps.settings.drafts_channel
    if not drafts or channel_of(activity) != drafts or not is_top_level(activity):
        return None
    return message_ref(activity)


async def on_message(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    ref = _in_drafts(deps, activity)
    if ref is None or not _by_a_person(deps, activity):
        deps.background.run("learn", lambda: deps.gateway.learn(activity), "learning a sender")
        return
    message = incoming(activity, ref)
    deps.background.run(ref, lambda: _receive(deps, activity, message), "receiving a draft")


async def on_update(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    ref = _in_drafts(deps, activity)
    event = _dict(activity.get("channelData")).get("eventType")
    if ref is None or event != _EDIT or not _by_a_person(deps, activity):
        return
    message = incoming(activity, ref)
    deps.background.run(ref, lambda: _edit(deps, activity, message), "re-checking an edit")


async def on_delete(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    ref = _in_drafts(deps, activity)
    event = _dict(activity.get("channelData")).get("eventType")
    if ref is None or event != _DELETE:
        return
    deps.background.run(ref, lambda: _withdraw(deps, activity, ref), "withdrawing a draft")


__all__ = [
    "channel_of",
    "files_of",
    "incoming",
    "is_top_level",
    "message_ref",
    "on_delete",
    "on_message",
    "on_update",
]
