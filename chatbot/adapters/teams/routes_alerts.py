"""The safeguarding alert cards' verbs (data `{"alert": "<id>"}`) and the member of staff's
"I have blocked them" in their 1:1 chat. Only SLT decide; the decisions and their audit rows are
the monitoring service's (chatbot/services/monitoring/decisions.py), as on Slack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.teams.alert_cards import block_request
from chatbot.adapters.teams.dialogs import action_card
from chatbot.adapters.teams.routes_common import (
    STILL_WORKING,
    Deps,
    Json,
    refusal,
    within_budget,
)
from chatbot.domain.actors import Acting, Actor
from chatbot.domain.ids import parse_id
from chatbot.services.monitoring import (
    AlertDecision,
    AlertStale,
    decide_alert,
    hide_reply,
    mute_author,
    not_done,
    record_staff_block,
)
from chatbot.services.ports import ReadError, SocialReader

NOT_SLT = "Only a member of SLT can decide on a safeguarding alert."
NO_X_KEYS = (
    "Not done: the bot has no X keys, so it cannot do this on X. Do it in the X app, then "
    "press **Blocked/reported**."
)
NO_NOTE = "Please say why (for the audit log)."
BLOCKED_THANKS = "You said you have blocked the account. Thank you."
DONE = {
    "alert_dismiss": "Dismissed.",
    "alert_mute": "Muted on X.",
    "alert_hide_reply": "The reply is hidden on X.",
    "alert_actioned": "Marked as blocked/reported.",
}

XAction = Callable[[sessionmaker[Session], SocialReader, int, Acting], None]


def _decide(deps: Deps, verb: str, alert_id: int, actor: Actor, data: dict[str, Any]) -> str:
    """The decision; '' when it went through, else what to tell the clicker."""
    acts: dict[str, XAction] = {"alert_mute": mute_author, "alert_hide_reply": hide_reply}
    try:
        if verb in acts:
            reader = deps.make_reader()
            if reader is None:
                return NO_X_KEYS
            try:
                acts[verb](deps.sessions, reader, alert_id, actor)
            except ReadError as exc:
                return not_done(exc, reader.limits)
        elif verb == "alert_dismiss":
            note = str(data.get("note") or "").strip()
            if not note:
                return NO_NOTE
            decide_alert(deps.sessions, alert_id, actor, AlertDecision.DISMISSED, note)
        else:
            decide_alert(
                deps.sessions,
                alert_id,
                actor,
                AlertDecision.ACTIONED,
                "blocked or reported in the X app",
            )
    except AlertStale as exc:
        return f"Not done: {exc}."
    except ValueError as exc:
        return str(exc)
    return ""


async def on_alert_verb(deps: Deps, verb: str, data: dict[str, Any], actor: Actor) -> Json:
    alert_id = parse_id(data.get("alert"))
    if alert_id is None:
        return refusal("That button does not point to an alert I know.")
    if not actor.is_slt:
        return refusal(NOT_SLT)
    found = alert_id

    def work() -> str:
        return _decide(deps, verb, found, actor, data)

    def then(_said: str) -> None:
        deps.gateway.post_alert(found)  # redrawn whatever happened: it shows who decided

    said = await within_budget(deps, ("alert", alert_id), work, then, f"the alert click {verb}")
    if said is None:
        return refusal(STILL_WORKING)
    return refusal(said or DONE[verb])


async def on_staff_blocked(
    deps: Deps, data: dict[str, Any], actor: Actor, clicked_at: tuple[str, str] | None
) -> Json:
    alert_id = parse_id(data.get("alert"))
    if alert_id is None:
        return refusal("That button does not point to an alert I know.")
    found = alert_id
    card = block_request(found, BLOCKED_THANKS, done=True)

    def work() -> str:
        try:
            record_staff_block(deps.sessions, found, actor)
        except PermissionError as exc:
            return f"Not recorded: {exc}."
        return ""

    def then(said: str) -> None:
        if said:
            return
        if clicked_at:
            deps.gateway.update_activity(clicked_at[0], clicked_at[1], card)
        deps.gateway.post_alert(found)

    said = await within_budget(deps, ("alert", alert_id), work, then, "alert_staff_blocked")
    if said is None:
        return refusal(STILL_WORKING)
    return refusal(said) if said else action_card(card.content)


ALERT_VERBS = tuple(DONE)

__all__ = ["ALERT_VERBS", "on_alert_verb", "on_staff_blocked"]
