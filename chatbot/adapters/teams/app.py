"""The Teams endpoint: ``POST /api/messages`` served by the Agents SDK with our auth.

Every request's JWT is checked by `inbound_auth_middleware` (401 and nothing runs otherwise),
bodies are size-limited, the SDK's error handler is replaced (no error text in a channel) and
its log lines lose message text. Routes (first match wins):
- ``message`` / ``messageUpdate`` / ``messageDelete`` in the drafts channel: routes_messages;
- ``adaptiveCard/action``: the card verbs (routes_cards, routes_alerts);
- ``task/fetch`` ``draft_declare``, ``task/submit`` ``declare_photos``, ``application/search``:
  routes_dialog;
- "consent" in the bot's personal chat, ``task/fetch`` ``consent_open``, ``task/submit``
  ``consent_record``, ``application/search`` ``consent_pupils``: routes_consent;
- anything else written in the personal chat: the home card (routes_home);
- anything else: only the sender and the service URL are remembered.
Every invoke is answered, a failure with an apology that carries no error text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.storage import Storage, StoreItem
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.teams import (
    consent_cards,
    past_posts_card,
    routes_alerts,
    routes_cards,
    routes_consent,
    routes_dialog,
    routes_home,
    routes_messages,
    routes_past_posts,
)
from chatbot.adapters.teams.auth import (
    InboundValidator,
    OutboundTokens,
    ServiceUrlGuard,
    SigningKeys,
)
from chatbot.adapters.teams.dialogs import DATASET, message_task, search_response
from chatbot.adapters.teams.gateway import TeamsGateway
from chatbot.adapters.teams.routes_common import (
    INVOKE_BUDGET,
    SORRY,
    Background,
    Deps,
    ReaderFactory,
    answer,
    raw,
    refusal,
    value_of,
)
from chatbot.adapters.teams.sdk import (
    GuardedConnectorFactory,
    NoUserAuthConnections,
    inbound_auth_middleware,
    install_log_redactor,
    quiet_turn_error,
)
from chatbot.policy.model import Policy
from chatbot.services.failures import log_failure
from chatbot.settings import Settings

log = logging.getLogger(__name__)

PATH = "/api/messages"
MAX_REQUEST_BYTES = 256 * 1024  # an activity is a few KB; a pasted photo arrives as a URL
BACKGROUND = web.AppKey("background", Background)
DEPS = web.AppKey("deps", Deps)

Route = Callable[[TurnContext, TurnState], Awaitable[None]]


class NoStorage(Storage):
    """The SDK's turn state, kept nowhere: the bot keeps its own state in its database, and a
    memory store would grow with every conversation (each channel post is one)."""

    async def read(self, keys: list[str], *, target_cls: Any = None, **_: Any) -> dict[str, Any]:
        return {}

    async def write(self, changes: dict[str, StoreItem]) -> None:
        return None

    async def delete(self, keys: list[str]) -> None:
        return None


def _bound(deps: Deps, route: Callable[[Deps, TurnContext, TurnState], Awaitable[None]]) -> Route:
    async def handler(context: TurnContext, state: TurnState) -> None:
        try:
            await route(deps, context, state)
        except Exception as exc:
            log_failure(log, f"the Teams route {route.__name__}", exc)

    handler.__name__ = route.__name__
    return handler


def _invoke_named(name: str) -> Callable[[TurnContext], bool]:
    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.invoke and activity.name == name

    return selector


def _is(activity_type: str) -> Callable[[TurnContext], bool]:
    def selector(context: TurnContext) -> bool:
        return context.activity.type == activity_type

    return selector


def _clicked_card(activity: dict[str, Any]) -> tuple[str, str] | None:
    """(conversation, activity id) of the card a click came from (its ``replyToId``)."""
    conversation = (activity.get("conversation") or {}).get("id")
    card = activity.get("replyToId")
    return (str(conversation), str(card)) if conversation and card else None


async def on_card_action(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    action = value_of(activity).get("action") or {}
    verb = str(action.get("verb") or "")
    found = action.get("data")
    data: dict[str, Any] = found if isinstance(found, dict) else {}
    actor = deps.actor(activity)
    try:
        # First, so that the card redrawn after the decision names the person who decided.
        await asyncio.to_thread(deps.gateway.learn, activity)
    except Exception as exc:
        log_failure(log, "learning who clicked", exc)
    try:
        if verb in routes_cards.DRAFT_VERBS:
            body = await routes_cards.on_draft_verb(deps, verb, data, actor)
        elif verb in routes_cards.NAME_VERBS:
            where = _clicked_card(activity)
            body = await routes_cards.on_name_answer(deps, verb, data, actor, where)
        elif verb in past_posts_card.VERBS:
            where = _clicked_card(activity)
            body = await routes_past_posts.on_past_post_verb(deps, verb, data, actor, where)
        elif verb in routes_alerts.ALERT_VERBS:
            body = await routes_alerts.on_alert_verb(deps, verb, data, actor)
        elif verb == "alert_staff_blocked":
            where = _clicked_card(activity)
            body = await routes_alerts.on_staff_blocked(deps, data, actor, where)
        else:
            body = refusal("That button is not one the bot knows.")
    except Exception as exc:
        log_failure(log, f"the click {verb or '(no verb)'}", exc)
        body = refusal(SORRY)
    await answer(context, body)


async def on_task_fetch(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    data = value_of(activity).get("data") or {}
    verb = data.get("verb")
    try:
        if verb == "draft_declare":
            body = await routes_dialog.on_fetch(deps, data, deps.actor(activity))
        elif verb == consent_cards.OPEN_VERB:
            body = await routes_consent.on_fetch(deps, deps.actor(activity))
        else:
            body = message_task("That button is not one the bot knows.")
    except Exception as exc:
        log_failure(log, f"opening the dialog {verb or '(no verb)'}", exc)
        body = message_task(SORRY)
    await answer(context, body)


async def on_task_submit(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    data = value_of(activity).get("data") or {}
    verb = data.get("verb")
    body: object
    try:
        if verb == "declare_photos":
            body = await routes_dialog.on_submit(deps, data, deps.actor(activity))
        elif verb == consent_cards.RECORD_VERB:
            body = await routes_consent.on_submit(deps, data, deps.actor(activity))
        else:
            body = message_task("That form is not one the bot knows.")
    except Exception as exc:
        log_failure(log, f"saving the dialog {verb or '(no verb)'}", exc)
        body = message_task(SORRY)
    await answer(context, body)


async def on_search(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    activity = raw(context)
    value = value_of(activity)
    dataset = value.get("dataset")
    if dataset not in (DATASET, consent_cards.DATASET):
        await answer(context, None, status=404)
        return
    try:
        if dataset == DATASET:
            body = await routes_dialog.on_search(deps, value)
        else:
            body = await routes_consent.on_search(deps, value, deps.actor(activity))
    except Exception as exc:
        log_failure(log, "searching pupils", exc)
        body = search_response(())
    await answer(context, body)


async def on_other_invoke(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    await answer(context, None, status=200)


async def on_anything_else(deps: Deps, context: TurnContext, _state: TurnState) -> None:
    # Installation and membership updates: where to call back, who is who. Nothing else.
    activity = raw(context)
    deps.background.run("learn", lambda: deps.gateway.learn(activity), "learning a sender")


def build_agent(deps: Deps) -> AgentApplication[TurnState]:
    agent: AgentApplication[TurnState] = AgentApplication(
        ApplicationOptions(
            storage=NoStorage(),
            start_typing_timer=False,  # else every message turn posts typing activities
            remove_recipient_mention=False,  # the HTML is ours to turn into post text
        ),
        connection_manager=NoUserAuthConnections(deps.settings.teams_app_id or ""),
    )
    invokes: list[tuple[str, Callable[[Deps, TurnContext, TurnState], Awaitable[None]]]] = [
        ("adaptiveCard/action", on_card_action),
        ("task/fetch", on_task_fetch),
        ("task/submit", on_task_submit),
        ("application/search", on_search),
    ]
    for name, route in invokes:
        agent.add_route(_invoke_named(name), _bound(deps, route), is_invoke=True)
    agent.add_route(_is(ActivityTypes.invoke), _bound(deps, on_other_invoke), is_invoke=True)
    agent.add_route(routes_consent.selector, _bound(deps, routes_consent.on_message))
    agent.add_route(routes_home.selector, _bound(deps, routes_home.on_message))
    # Not app.message_update(): its selector reads a snake-case key Teams never sends.
    agent.add_route(_is(ActivityTypes.message), _bound(deps, routes_messages.on_message))
    agent.add_route(_is("messageUpdate"), _bound(deps, routes_messages.on_update))
    agent.add_route(_is("messageDelete"), _bound(deps, routes_messages.on_delete))
    agent.add_route(lambda _c: True, _bound(deps, on_anything_else))
    return agent


def default_reader_factory(settings: Settings) -> ReaderFactory:
    def make() -> Any:
        if not settings.x_credentials_complete:
            return None
        from chatbot.adapters.x.reader import XReader

        return XReader.from_settings(settings)

    return make


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    gateway: TeamsGateway,
    policy: Policy,
    guard: ServiceUrlGuard | None = None,
    tokens: OutboundTokens | None = None,
    reader_factory: ReaderFactory | None = None,
    validator: InboundValidator | None = None,
    invoke_budget: float = INVOKE_BUDGET,
) -> web.Application:
    """The aiohttp app for ``POST /api/messages``; `chatbot run` serves it on
    CHATBOT_TEAMS_PORT. `app[BACKGROUND]` is the work still running after the answers.

    The guard and the tokens are the gateway's unless given: the service URLs that inbound
    tokens vouch for are the ones the gateway may call."""
    install_log_redactor()
    guard = guard or gateway.guard
    tokens = tokens or gateway.connector.tokens
    app_id = settings.teams_app_id or ""
    if validator is None:
        validator = InboundValidator(app_id=app_id, keys=SigningKeys(settings.teams_openid_url))
    background = Background()
    deps = Deps(
        settings,
        sessions,
        gateway,
        policy,
        background,
        reader_factory or default_reader_factory(settings),
        invoke_budget,
    )
    adapter = CloudAdapter(
        channel_service_client_factory=GuardedConnectorFactory(tokens, guard, app_id=app_id)
    )
    adapter.on_turn_error = quiet_turn_error  # the default posts the exception's text
    agent = build_agent(deps)

    async def entry(request: web.Request) -> web.StreamResponse:
        response = await start_agent_process(request, agent, adapter)
        return response if response is not None else web.Response(status=202)

    async def drain(_app: web.Application) -> None:
        await background.drain()

    app = web.Application(
        middlewares=[inbound_auth_middleware(validator, guard, path=PATH)],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[BACKGROUND] = background
    app[DEPS] = deps
    app.router.add_post(PATH, entry)
    app.on_shutdown.append(drain)
    return app


__all__ = ["BACKGROUND", "MAX_REQUEST_BYTES", "PATH", "create_app", "default_reader_factory"]
