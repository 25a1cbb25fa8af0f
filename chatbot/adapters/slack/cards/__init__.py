"""Block Kit for drafts, one module per surface: the approval card, the drafts channel (the
checks' thread reply, a composed draft's message), the modals, App Home.

Built with `slack_sdk.models.blocks`, which checks Slack's length limits when a block is turned
into JSON. Staff text is escaped (``& < >``) wherever Slack would read it as markup; the post
itself is shown in a rich-text quote, which Slack never reformats, so SLT see it exactly.
"""

from __future__ import annotations

from chatbot.adapters.slack.cards.approval_card import draft_card
from chatbot.adapters.slack.cards.common import MAX_BLOCKS, Card, age, findings_blocks, london
from chatbot.adapters.slack.cards.home import home_view
from chatbot.adapters.slack.cards.modals import (
    compose_modal,
    declare_modal,
    mark_published_modal,
    notice_modal,
    reason_modal,
    schedule_modal,
)
from chatbot.adapters.slack.cards.thread import checks_reply, composed_draft

__all__ = [
    "MAX_BLOCKS",
    "Card",
    "age",
    "checks_reply",
    "compose_modal",
    "composed_draft",
    "declare_modal",
    "draft_card",
    "findings_blocks",
    "home_view",
    "london",
    "mark_published_modal",
    "notice_modal",
    "reason_modal",
    "schedule_modal",
]
