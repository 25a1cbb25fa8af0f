"""App Home, and the SLT user group's changes."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from chatbot.adapters.slack import cards
from chatbot.adapters.slack.listeners.common import Deps, bind
from chatbot.domain.actors import Actor
from chatbot.services import home


def on_home(deps: Deps, event: dict[str, Any], client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    user = str(event.get("user") or "")
    actor = Actor(user, is_slt=bool(user) and deps.slt.is_slt(user))
    data = home.load_home(
        deps.sessions, actor, policy=deps.policy, network=deps.gateway.limits.name
    )
    client.views_publish(user_id=user, view=cards.home_view(data))


def on_group_change(deps: Deps, event: dict[str, Any]) -> None:
    deps.slt.invalidate(event.get("subteam_id"))


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(bind(deps, on_home))
    app.event("subteam_members_changed")(bind(deps, on_group_change))
