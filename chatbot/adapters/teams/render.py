"""Where a message's parts (chatbot/domain/messages.py) become Teams' XML-ish message text: the
Teams adapter's one render module, as `adapters/slack/render.py` is Slack's."""

from __future__ import annotations

import html

from chatbot.adapters.teams.elements import Json, Mentions
from chatbot.domain.messages import Emphasis, Link, Mention, Telling, as_message


def mentioned(telling: Telling) -> list[str]:
    """The people a message mentions, for their display names."""
    return [p.person_id for p in as_message(telling).parts if isinstance(p, Mention)]


def message_activity(telling: Telling, names: dict[str, str]) -> Json:
    """A plain message from the services' parts: a mention becomes a Teams mention, emphasis
    bold, a link a link; text is shown exactly as written (HTML-escaped, line breaks kept)."""
    mention = Mentions(names)
    out: list[str] = []
    for part in as_message(telling).parts:
        if isinstance(part, Mention):
            out.append(mention(part.person_id))
        elif isinstance(part, Emphasis):
            out.append(f"<b>{_escaped(part.text)}</b>")
        elif isinstance(part, Link):
            url = html.escape(part.url, quote=True)
            out.append(f'<a href="{url}">{_escaped(part.label or part.url)}</a>')
        else:
            out.append(_escaped(part.text))
    activity: Json = {"type": "message", "textFormat": "xml", "text": "".join(out)}
    if mention.entities:
        activity["entities"] = list(mention.entities)
    return activity


def _escaped(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


__all__ = ["mentioned", "message_activity"]
