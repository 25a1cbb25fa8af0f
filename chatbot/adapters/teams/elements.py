"""Small builders for Adaptive Cards 1.5 as Teams renders them: text, mentions, actions, envelopes.

Staff text (the post, reasons, alt texts, names typed by staff) is shown in `TextRun`s, which no
host reads as Markdown, so `*`, `_` and `[x](y)` show as typed. Where text must sit in a
`TextBlock` (Teams' Markdown subset: mentions and our own emphasis), `md_escape` backslash-escapes
the Markdown characters. In both, an `<at>` typed by staff is broken with a zero-width space:
Teams turns `<at>…</at>` into a mention wherever the card names a matching entity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses a message whose activity is over about 28 KB (cards included).
MESSAGE_LIMIT = 28 * 1024

Json = dict[str, Any]

_AT = re.compile(r"<(/?)(at)", re.IGNORECASE)
# What Teams' Markdown subset reads: emphasis, links, and a list marker starting a line.
_MD_SPECIALS = re.compile(r"([\\`*_\[\]()~])")
_LIST_MARKER = re.compile(r"^(\s*)([-+]|\d+\.)(?=\s)", re.MULTILINE)


def inert(text: str) -> str:
    """Staff text with any `<at>`/`</at>` broken, so Teams never makes a mention of it."""
    return _AT.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}", text)


def md_escape(text: str) -> str:
    """Staff text for a Markdown `TextBlock`: what Teams would read as Markdown, escaped."""
    escaped = _MD_SPECIALS.sub(r"\\\1", inert(text))
    return _LIST_MARKER.sub(_escape_marker, escaped)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(2)
    shown = marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker
    return match.group(1) + shown


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_block(text: str, **props: Any) -> Json:
    """A wrapping `TextBlock` of our own Markdown (callers escape any staff text in it)."""
    return {"type": "TextBlock", "text": text, "wrap": True, **props}


def run(text: str, **props: Any) -> Json:
    """A `TextRun`: never read as Markdown; staff text goes here."""
    return {"type": "TextRun", "text": inert(text), **props}


_RUN_STYLE = frozenset({"color", "isSubtle", "size", "weight", "italic", "fontType"})


def rich(*runs: Json | str, **props: Any) -> Json:
    """A `RichTextBlock` of runs; a plain string is one run of our own text.

    Text styling (`isSubtle`, `color`, …) is a run's, not the block's: given here, it goes to
    every run that does not set its own.
    """
    style = {k: v for k, v in props.items() if k in _RUN_STYLE}
    block = {k: v for k, v in props.items() if k not in _RUN_STYLE}
    inlines = [{**style, **(run(r) if isinstance(r, str) else r)} for r in runs]
    return {"type": "RichTextBlock", "inlines": inlines, **block}


def container(items: Sequence[Json], **props: Any) -> Json:
    return {"type": "Container", "items": list(items), **props}


def execute(title: str, verb: str, data: Mapping[str, Any], **props: Any) -> Json:
    """An `Action.Execute`: arrives as the invoke `adaptiveCard/action` with `verb` and `data`."""
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": dict(data), **props}


def show_card(title: str, body: Sequence[Json], actions: Sequence[Json], **props: Any) -> Json:
    """An `Action.ShowCard`: a form that opens under the card (the reason, a date)."""
    card: Json = {"type": "AdaptiveCard", "body": list(body), "actions": list(actions)}
    return {"type": "Action.ShowCard", "title": title, "card": card, **props}


def task_fetch(title: str, verb: str, data: Mapping[str, Any], **props: Any) -> Json:
    """An `Action.Submit` that opens a dialog: Teams sends `task/fetch` with this data."""
    payload = {"msteams": {"type": "task/fetch"}, "verb": verb, **data}
    return {"type": "Action.Submit", "title": title, "data": payload, **props}


@dataclass(slots=True)
class Mentions:
    """The people a card mentions: `<at>Name</at>` in its text and an entity for each.

    `names` maps an Entra object id to a display name (the gateway knows them from activities);
    without one the mention still links the person, under a neutral label.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    entities: list[Json] = field(default_factory=list)

    def __call__(self, user_id: str, fallback: str = "a member of staff") -> str:
        name = " ".join((self.names.get(user_id) or fallback).split())
        # The label is inside <at>: no Markdown and nothing that could close the tag.
        label = clip(re.sub(r"[<>\\`*_\[\]]", "", name), 100) or fallback
        for entity in self.entities:
            if entity["mentioned"]["id"] == user_id:
                return str(entity["text"])
        text = f"<at>{label}</at>"
        if any(e["text"] == text for e in self.entities):
            text = f"<at>{label} ({len(self.entities) + 1})</at>"  # two people, one label
        self.entities.append(
            {"type": "mention", "text": text, "mentioned": {"id": user_id, "name": label}}
        )
        return text


@dataclass(frozen=True, slots=True)
class TeamsCard:
    """A message: `text` for notifications and screen readers (no pupil's name), and the card."""

    text: str
    content: Json

    def attachment(self) -> Json:
        return {"contentType": CARD_CONTENT_TYPE, "content": self.content}

    def activity(self) -> Json:
        """The body of a `POST`/`PUT` to `/v3/conversations/{id}/activities`."""
        return {
            "type": "message",
            "summary": self.text,
            "attachments": [self.attachment()],
        }

    def size(self) -> int:
        """Bytes of the activity as sent, to hold against `MESSAGE_LIMIT`."""
        return len(json.dumps(self.activity(), ensure_ascii=False).encode())


def adaptive_card(
    body: Sequence[Json],
    actions: Sequence[Json] = (),
    *,
    mentions: Mentions | None = None,
    fallback_text: str = "",
) -> Json:
    card: Json = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "body": list(body),
    }
    if actions:
        card["actions"] = list(actions)
    if fallback_text:
        card["fallbackText"] = fallback_text
    msteams: Json = {"width": "Full"}
    if mentions is not None and mentions.entities:
        msteams["entities"] = list(mentions.entities)
    card["msteams"] = msteams
    return card


__all__ = [
    "CARD_CONTENT_TYPE",
    "MESSAGE_LIMIT",
    "SCHEMA",
    "VERSION",
    "Json",
    "Mentions",
    "TeamsCard",
    "adaptive_card",
    "clip",
    "container",
    "execute",
    "inert",
    "md_escape",
    "rich",
    "run",
    "show_card",
    "task_fetch",
    "text_block",
]
