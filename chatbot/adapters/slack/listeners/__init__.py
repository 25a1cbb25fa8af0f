"""Bolt listeners: read Slack's payload, ack, call one service, show what it answers.

Every interaction is acknowledged at once (modals right after, while the trigger id lives) and
every listener is guarded, so one bad payload never stops the bot serving others. One module
per family; alerts register theirs from chatbot/adapters/slack/alerts.py.
"""

from __future__ import annotations

from slack_bolt import App

from chatbot.adapters.slack.listeners import (
    compose,
    consent,
    decisions,
    declaration,
    home,
    messages,
    name_questions,
    past_posts,
    publishing,
)
from chatbot.adapters.slack.listeners.common import SORRY, Deps, guarded

__all__ = ["SORRY", "Deps", "guarded", "register_all"]


def register_all(app: App, deps: Deps) -> None:
    consent.register(app, deps)  # first: its direct-message listener narrows `message`
    messages.register(app, deps)
    declaration.register(app, deps)
    decisions.register(app, deps)
    publishing.register(app, deps)
    home.register(app, deps)
    compose.register(app, deps)
    name_questions.register(app, deps)
    past_posts.register(app, deps)
