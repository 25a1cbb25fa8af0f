"""Safeguarding alert cards for the safeguarding channel, and the "please block them" message.

The same as Slack's alerts.py shows and offers, per kind and state; the buttons are
`Action.Execute` verbs with data `{"alert": "<id>"}`, for SLT only (checked by the bot):
- `alert_dismiss`: suitable after all; the note it asks for is an `Input.Text` `note` in a
  form under the card (Slack's modal `alert_dismiss_note`).
- `alert_mute`: X's mute, done by the bot.
- `alert_hide_reply`: replies only; hides the reply on X, done by the bot.
- `alert_actioned`: a person blocked or reported the account in the X app (X gives self-serve
  apps no block or report call, and the card says so).
The member of staff's 1:1 message has `alert_staff_blocked` ("I have blocked them").

What the card shows is the core's `AlertView` (chatbot/services/alert_view.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from chatbot.adapters.teams.cards import london
from chatbot.adapters.teams.elements import (
    Json,
    Mentions,
    TeamsCard,
    adaptive_card,
    clip,
    execute,
    md_escape,
    rich,
    run,
    show_card,
    text_block,
)
from chatbot.services.alert_view import AlertView

NO_BLOCK_CALL = (
    "X offers self-serve apps no block or report call: block or report the account in the X "
    "app, then press **Blocked/reported** here."
)
_OPEN_LIKE = ("open", "muted", "hidden")


def _data(view: AlertView) -> dict[str, str]:
    return {"alert": str(view.id)}


def alert_actions(view: AlertView) -> list[Json]:
    data = _data(view)
    actions: list[Json] = []
    if view.state == "open":
        note = {
            "type": "Input.Text",
            "id": "note",
            "label": "Why is this account suitable? (kept in the audit log)",
            "isMultiline": True,
            "maxLength": 1000,
            "isRequired": True,
            "errorMessage": "Please say why (for the audit log).",
        }
        actions.append(
            show_card(
                "Suitable (dismiss)…", [note], [execute("Dismiss alert", "alert_dismiss", data)]
            )
        )
    if view.state in {"open", "hidden"}:
        actions.append(execute("Mute on X", "alert_mute", data))
    if view.kind == "reply" and view.state in {"open", "muted"}:
        actions.append(execute("Hide the reply", "alert_hide_reply", data))
    if view.state in _OPEN_LIKE:
        actions.append(execute("Blocked/reported", "alert_actioned", data, style="destructive"))
    return actions


def alert_card(view: AlertView, *, names: Mapping[str, str] | None = None) -> TeamsCard:
    """The card in the safeguarding channel. The pupil it looks like is in the card only, never
    in `text` (a notification can show on a lock screen)."""
    mention = Mentions(names or {})
    title = view.headline
    rule = view.rule_words
    body: list[Json] = [
        rich(run("🚨 "), run(title, weight="bolder", size="medium")),
        rich(run("Rule: ", weight="bolder"), run(rule)),
    ]
    if view.evidence:
        body.append(rich(run("Evidence: ", weight="bolder"), run(clip(view.evidence, 2000))))
    if view.pupil_label:
        body.append(
            rich(
                run("Looks like: ", weight="bolder"),
                run(view.pupil_label),
                run(" (a hint: please check)", isSubtle=True),
            )
        )
    elif view.rule == "pupil-name":
        body.append(rich(run("Looks like: ", weight="bolder"), "a pupil no longer on the register"))
    # The label follows the link (Slack's says "post" for any alert with a post id).
    opener = "Open the post" if view.links_post else "Open the profile"
    body.append(text_block(f"[{opener} on {view.network}]({view.link})"))
    if view.staff_handle:
        staff = f"@{view.staff_handle}"
        said = (
            f"{staff} says they have blocked them."
            if view.staff_blocked
            else f"{staff} has been asked, privately, to block them."
        )
        body.append(rich(said, isSubtle=True))
    if view.state != "open":
        decided = f"**{view.state.capitalize()}**"
        if view.decided_by:
            decided += f" by {mention(view.decided_by, 'a member of SLT')}"
        if view.decided_at:
            decided += f", {london(view.decided_at)}"
        if view.note:
            decided += f": {md_escape(clip(view.note, 500))}"
        body.append(text_block(decided, isSubtle=True, separator=True))
    actions = alert_actions(view)
    if actions:
        body.append(text_block(NO_BLOCK_CALL, isSubtle=True, size="small", separator=True))
    text = f"Safeguarding: {title} ({rule})"
    card = adaptive_card(body, actions, mentions=mention, fallback_text=text)
    return TeamsCard(text=text, content=card)


def block_request(alert_id: int, text: str, *, done: bool = False) -> TeamsCard:
    """The member of staff's 1:1 message, with "I have blocked them" until pressed."""
    body: list[Json] = [rich(run(clip(text, 3000)))]
    actions: list[Json] = []
    if done:
        body.append(text_block("✅ Thank you: SLT can see that you blocked them.", color="good"))
    else:
        actions.append(
            execute(
                "I have blocked them",
                "alert_staff_blocked",
                {"alert": str(alert_id)},
                style="positive",
            )
        )
    card = adaptive_card(body, actions, fallback_text=clip(text, 150))
    return TeamsCard(text=clip(text, 150), content=card)


__all__ = [
    "NO_BLOCK_CALL",
    "alert_actions",
    "alert_card",
    "block_request",
]
