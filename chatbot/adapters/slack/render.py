"""The core's messages in Slack's mrkdwn: the one place that writes Slack's text markup.

Slack reads ``<…>`` and ``&`` as markup, so every word that is not markup is escaped; a mention
is ``<@U…>``, emphasis is ``*bold*`` and a labelled link ``<url|label>``.
"""

from __future__ import annotations

from chatbot.domain.messages import Emphasis, Link, Mention, Part, Telling, Text, as_message


def escape(text: str) -> str:
    """Text made inert in mrkdwn (Slack's three escapes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mrkdwn(telling: Telling) -> str:
    """A message (or plain text) as Slack mrkdwn."""
    return "".join(_part(part) for part in as_message(telling).parts)


def _part(part: Part) -> str:
    if isinstance(part, Text):
        return escape(part.text)
    if isinstance(part, Mention):
        return mention(part.person_id)
    if isinstance(part, Emphasis):
        return f"*{escape(part.text)}*"
    if isinstance(part, Link):
        # Slack links a bare address by itself; the angle form is only needed for a label.
        return f"<{part.url}|{escape(part.label)}>" if part.label else escape(part.url)
    raise TypeError(f"not a message part: {part!r}")
