"""Teams' stand-in for Slack's App Home: whatever a person writes in the bot's personal chat
(other than "consent", which routes_consent answers) is answered with their home card, with the
consent button for the school office and SLT. A message with files is left alone: the
register sent in a direct message is not read on Teams yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from chatbot.adapters.teams.home_card import home_card
from chatbot.adapters.teams.routes_common import Deps, raw
from chatbot.domain.actors import Actor
from chatbot.services import home
from chatbot.services.registers import office

_TEXT_ONLY = frozenset({"text/html", "text/plain"})


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def is_personal_text(activity: Mapping[str, Any]) -> bool:
    """A person's message in their 1:1 chat with the bot, without files."""
    if activity.get("type") != "message" or not _dict(activity.get("from")).get("aadObjectId"):
        return False
    if _dict(activity.get("conversation")).get("conversationType") != "personal":
        return False
    attachments = [a for a in activity.get("attachments") or () if isinstance(a, Mapping)]
    return all(a.get("contentType") in _TEXT_ONLY for a in attachments)


def selector(context: TurnContext) -> bool:
    return is_personal_text(raw(context))


def _reply(deps: Deps, activity: dict[str, Any], actor: Actor) -> None:
    deps.gateway.learn(activity)
    data = home.load_home(
        deps.sessions, actor, policy=deps.policy, network=deps.gateway.limits.name
    )
    lines = (*data.pending, *data.scheduled, *data.decisions, *data.own)
    names = deps.gateway.names(p for line in lines for p in (line.author_id, line.decided_by))
    card = home_card(data, names=names, may_record_consent=office.may_record_consent(actor))
    url = str(activity.get("serviceUrl") or "") or deps.gateway.service_url() or ""
    conversation = str(_dict(activity.get("conversation")).get("id") or "")
    deps.gateway.connector.send(url, conversation, card.activity())


async def on_message(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    actor = deps.actor(activity)
    key = ("personal", actor.id)
    deps.background.run(key, lambda: _reply(deps, activity, actor), "answering with the home card")


__all__ = ["is_personal_text", "on_message", "selector"]
