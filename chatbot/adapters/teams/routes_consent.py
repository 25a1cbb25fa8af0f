"""The office's consent form from the bot's personal chat: "consent" (or "/consent") written
to the bot, the card's button (`task/fetch` `consent_open`), the dialog's `task/submit`
(`consent_record`) and, for a register too big for the dialog, `application/search` on the
dataset `consent_pupils`.

Who may is the core's decision (`office.may_record_consent`, the office or SLT); each step asks
it again, so a submit forged without the dialog is refused as the opening is, and nobody else is
shown a pupil's name. Refusals are private: a reply in the person's own chat, or the dialog's
answer, which only the clicker sees.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.teams.consent_cards import (
    TITLE,
    PupilChoice,
    consent_dialog,
    consent_prompt,
    form_errors,
    parse_consent,
    told_apart,
)
from chatbot.adapters.teams.dialogs import continue_task, message_task, search_response
from chatbot.adapters.teams.html_text import bot_mention_names, teams_html_to_text
from chatbot.adapters.teams.render import message_activity
from chatbot.adapters.teams.routes_common import Deps, Json, raw
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.messages import Mention, Message, message
from chatbot.services import past_posts
from chatbot.services.registers import list_register, office

ASKS = frozenset({"consent", "/consent"})
# The core's confirmation names whoever recorded an unchanged consent as `<@id>`.


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def asks_for_consent(activity: Mapping[str, Any]) -> bool:
    """A person's message in their 1:1 chat with the bot that says "consent" and nothing else."""
    if activity.get("type") != "message":
        return False
    if _dict(activity.get("conversation")).get("conversationType") != "personal":
        return False
    recipient = str(_dict(activity.get("recipient")).get("id") or "")
    entities = [e for e in activity.get("entities") or () if isinstance(e, Mapping)]
    text = teams_html_to_text(
        str(activity.get("text") or ""), bot_names=bot_mention_names(entities, recipient)
    )
    return text.strip().rstrip(".!").strip().casefold() in ASKS


def selector(context: TurnContext) -> bool:
    return asks_for_consent(raw(context))


def _reply(deps: Deps, activity: dict[str, Any], actor: Actor) -> None:
    deps.gateway.learn(activity)
    if office.may_record_consent(actor):
        answer = consent_prompt().activity()
    else:
        answer = message_activity(office.NOT_OFFICE, {})
    url = str(activity.get("serviceUrl") or "") or deps.gateway.service_url() or ""
    conversation = str(_dict(activity.get("conversation")).get("id") or "")
    deps.gateway.connector.send(url, conversation, answer)


async def on_message(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    actor = deps.actor(activity)
    key = ("personal", actor.id)
    deps.background.run(key, lambda: _reply(deps, activity, actor), "answering a consent request")


def _register(deps: Deps) -> list[tuple[int, str]]:
    """This school year's pupils as the dialog offers them, same labels told apart."""
    with transaction(deps.sessions) as session:
        lines = list_register(session, AcademicYear.at(utcnow()))
        pupils = [
            PupilChoice(line.pupil.id, line.pupil.label, line.upn)
            for line in lines
            if line.pupil.id is not None
        ]
    return told_apart(pupils)


def _dialog(deps: Deps, sent: Mapping[str, Any] | None, errors: Mapping[str, str]) -> Json:
    card = consent_dialog(office.consent_years(), _register(deps), sent=sent, errors=errors)
    return continue_task(card, title=TITLE)


def _open(deps: Deps, actor: Actor) -> Json:
    if not office.may_record_consent(actor):
        return message_task(office.NOT_OFFICE)
    return _dialog(deps, None, {})


def _named(deps: Deps, said: Message, actor: Actor) -> str:
    """The core's text with its `<@id>` as the person's name: a dialog's message has no
    mentions. The person reading it is "you"."""
    people = [p.person_id for p in said.parts if isinstance(p, Mention)]
    names = deps.gateway.names(people) | {actor.id: "you"}
    return "".join(
        (names.get(p.person_id) or "a member of staff")
        if isinstance(p, Mention)
        else message(p).plain
        for p in said.parts
    )


def _record(deps: Deps, data: Mapping[str, Any], actor: Actor) -> Json:
    if not office.may_record_consent(actor):  # before the dialog is drawn again with names
        return message_task(office.NOT_OFFICE)
    errors = form_errors(data)
    if errors:
        return _dialog(deps, data, errors)
    outcome = office.record_consent(deps.sessions, actor, parse_consent(data))
    if not outcome.ok:
        field = "academic_year" if outcome.field == "year" else "pupil"
        return _dialog(deps, data, {field: outcome.message.plain})
    past_posts.announce(deps.sessions, deps.gateway)  # a withdrawal's live posts, to SLT
    return message_task(_named(deps, outcome.message, actor))


async def on_fetch(deps: Deps, actor: Actor) -> Json:
    return await asyncio.to_thread(_open, deps, actor)


async def on_submit(deps: Deps, data: dict[str, Any], actor: Actor) -> Json:
    return await asyncio.to_thread(_record, deps, data, actor)


async def on_search(deps: Deps, value: dict[str, Any], actor: Actor) -> Json:
    query = str(value.get("queryText") or "").strip()
    found = await asyncio.to_thread(office.consent_pupils, deps.sessions, actor, query)
    return search_response(found)


__all__ = ["asks_for_consent", "on_fetch", "on_message", "on_search", "on_submit", "selector"]
