"""What every listener shares: its dependencies, the error guard, who is clicking.

A listener is a named top-level function whose first parameter is `Deps`; `bind` gives it its
deps and the guard, and leaves the rest of its parameters for Bolt to fill in by name.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt import Ack, App
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.slack import cards
from chatbot.adapters.slack.gateway import SlackGateway
from chatbot.adapters.slack.payloads import channel_of, user_of
from chatbot.adapters.slack.people import UserNames
from chatbot.adapters.slack.slt import SltDirectory
from chatbot.domain.actors import Actor
from chatbot.policy.model import Policy
from chatbot.services.approval import Answer
from chatbot.services.failures import log_failure
from chatbot.settings import Settings

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., None])


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    gateway: SlackGateway
    slt: SltDirectory
    policy: Policy
    names: UserNames


SORRY = "Sorry, something went wrong and nothing was saved. Please try again in a minute."


def guarded(func: F) -> F:
    """Log a listener's exception instead of letting it reach Bolt (and lose the next ack).

    If it failed before answering Slack, answer now: a form left unanswered shows Slack's own
    vague error, so the person gets ours instead.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except Exception as exc:
            log_failure(log, f"listener {func.__name__}", exc)
            ack = kwargs.get("ack")
            if isinstance(ack, Ack) and ack.response is None:
                if (kwargs.get("body") or {}).get("type") == "view_submission":
                    ack(response_action="update", view=cards.notice_modal("Not saved", SORRY))
                else:
                    ack()

    return wrapper  # type: ignore[return-value]


def bind(deps: Deps, listener: Callable[..., None]) -> Callable[..., None]:
    """`listener` guarded and given `deps`, with the signature Bolt reads to pass the rest."""
    safe = guarded(listener)
    signature = inspect.signature(listener)

    def bound(**kwargs: Any) -> None:
        safe(deps, **kwargs)

    bound.__name__ = listener.__name__
    bound.__qualname__ = listener.__qualname__
    bound.__module__ = listener.__module__
    bound.__doc__ = listener.__doc__
    # Bolt injects arguments by the names in the signature: all of them but `deps`.
    bound.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:]
    )
    return bound


def on_action(app: App, deps: Deps, action_id: str, listener: Callable[..., None]) -> None:
    app.action(action_id)(bind(deps, listener))


def on_view(app: App, deps: Deps, callback_id: str, listener: Callable[..., None]) -> None:
    app.view(callback_id)(bind(deps, listener))


def actor_of(deps: Deps, body: dict[str, Any], *, named: bool = False) -> Actor:
    """The person who clicked, with whether SLT's directory counts them as SLT; `named` when
    they act (their name goes in the audit log), not when a form must open within 3 s."""
    user = user_of(body)
    return Actor(
        user,
        is_slt=bool(user) and deps.slt.is_slt(user),
        name=deps.names.name_of(user) if named else None,
    )


def tell(deps: Deps, body: dict[str, Any], text: str) -> None:
    """A private answer to the person who clicked, where they clicked."""
    deps.gateway.ephemeral(channel_of(body), user_of(body), text)


def render(deps: Deps, body: dict[str, Any], answer: Answer) -> None:
    """An SLT decision's answer: nothing to show when it went through, else the refusal (in
    the approvals channel when the click came from a form, which has no channel)."""
    if not answer.ok:
        channel = channel_of(body) or deps.settings.approvals_channel
        deps.gateway.ephemeral(channel, user_of(body), answer.message)
