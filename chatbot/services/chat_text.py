"""The little markup the services put in chat messages: mentions, and staff text made inert.

Chat platforms here (Slack) read ``<…>`` and ``&`` as markup, so words typed by staff (reasons,
alt texts, post text) are escaped before they go into a message.
"""

from __future__ import annotations


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"
