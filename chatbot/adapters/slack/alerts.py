"""Safeguarding alert cards and the private "please block them" message to staff (the buttons
are in alert_listeners.py).

What the card shows is the core's `AlertView` (chatbot/services/alert_view.py).

Buttons (value: the alert id), for SLT only:
- ``alert_dismiss``: suitable after all; asks for a note (modal ``alert_dismiss_note``).
- ``alert_mute``: X's mute, done by the bot.
- ``alert_hide_reply``: replies only; hides the reply on X, done by the bot.
- ``alert_actioned``: a person blocked or reported the account in the X app (X gives
  self-serve apps no block or report call, and the card says so).
The member of staff's direct message has ``alert_staff_blocked`` ("I have blocked them").
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.slack.cards import Card
from chatbot.adapters.slack.render import escape, mention, mrkdwn
from chatbot.domain.alerts import AlertState
from chatbot.domain.london import london_time as london
from chatbot.domain.messages import Telling, as_message
from chatbot.services.alert_view import AlertView
from chatbot.services.ports import ChatGateway
from chatbot.settings import Settings

DISMISS_CALLBACK = "alert_dismiss_note"
NO_BLOCK_CALL = (
    "X offers self-serve apps no block or report call: block or report the account in the X "
    "app, then press *Blocked/reported* here."
)
_OPEN_LIKE = (AlertState.OPEN, AlertState.MUTED, AlertState.HIDDEN)
NO_X_KEYS = (
    "The X keys are not set (CHATBOT_X_API_KEY and the rest), so the bot cannot do this: do it "
    "in the X app, then press Blocked/reported."
)


# -- cards -------------------------------------------------------------------------------------


def alert_card(view: AlertView) -> Card:
    headline = view.headline
    rule = view.rule_words
    text = f"Safeguarding: {headline} ({rule})"
    lines = [f":rotating_light: *{escape(headline)}*", f"*Rule:* {escape(rule)}"]
    if view.evidence:
        lines.append(f"*Evidence:* {escape(view.evidence)}")
    if view.pupil_label:
        lines.append(f"*Looks like:* {escape(view.pupil_label)} (a hint: please check)")
    elif view.rule == "pupil-name":
        lines.append("*Looks like:* a pupil no longer on the register")
    opener = "Open the post" if view.links_post else "Open the profile"
    lines.append(f"<{view.link}|{opener} on {view.network}>")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text="\n".join(lines)[:3000]))]
    if view.staff_handle:
        said = (
            f"@{escape(view.staff_handle)} says they have blocked them."
            if view.staff_blocked
            else f"@{escape(view.staff_handle)} has been asked, privately, to block them."
        )
        blocks.append(_context(said))
    if view.state != AlertState.OPEN:
        decided = f"*{view.state.capitalize()}*"
        if view.decided_by:
            decided += f" by {mention(view.decided_by)}"
        if view.decided_at:
            decided += f", {london(view.decided_at)}"
        if view.note:
            decided += f": {escape(view.note[:500])}"
        blocks.append(_context(decided))
    buttons = _buttons(view)
    if buttons:
        blocks.append(_context(NO_BLOCK_CALL))
        blocks.append(ActionsBlock(block_id=f"alert_{view.id}", elements=buttons))
    return Card(text=text, blocks=blocks)


def _buttons(view: AlertView) -> list[ButtonElement]:
    value = str(view.id)
    buttons = []
    if view.state == AlertState.OPEN:
        buttons.append(
            ButtonElement(text="Suitable (dismiss)", action_id="alert_dismiss", value=value)
        )
    if view.state in {AlertState.OPEN, AlertState.HIDDEN}:
        buttons.append(ButtonElement(text="Mute on X", action_id="alert_mute", value=value))
    if view.kind == "reply" and view.state in {AlertState.OPEN, AlertState.MUTED}:
        buttons.append(
            ButtonElement(text="Hide the reply", action_id="alert_hide_reply", value=value)
        )
    if view.state in _OPEN_LIKE:
        buttons.append(
            ButtonElement(
                text="Blocked/reported", action_id="alert_actioned", value=value, style="danger"
            )
        )
    return buttons


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:3000])])


def block_request(alert_id: int, text: Telling, *, done: bool = False) -> Card:
    """The member of staff's private message, with "I have blocked them" until pressed."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=mrkdwn(text)[:3000]))]
    if done:
        blocks.append(_context(":white_check_mark: Thank you: SLT can see that you blocked them."))
    else:
        blocks.append(
            ActionsBlock(
                block_id=f"staff_block_{alert_id}",
                elements=[
                    ButtonElement(
                        text="I have blocked them",
                        action_id="alert_staff_blocked",
                        value=str(alert_id),
                        style="primary",
                    )
                ],
            )
        )
    return Card(text=as_message(text).plain, blocks=blocks)


def dismiss_modal(alert_id: int) -> View:
    return View(
        type="modal",
        callback_id=DISMISS_CALLBACK,
        private_metadata=str(alert_id),
        title="Suitable after all",
        submit="Dismiss alert",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="note",
                label="Why is this account suitable? (kept in the audit log)",
                element=PlainTextInputElement(action_id="note", multiline=True, max_length=1000),
            )
        ],
    )


# -- the chat port, with full cards ------------------------------------------------------------


class SlackAlertChat:
    """The `ChatGateway` the monitors use: the Slack gateway, with the full alert card and the
    staff message with a button (`BlockRequester`)."""

    def __init__(
        self,
        gateway: ChatGateway,
        settings: Settings,
        sessions: sessionmaker[Session],
        client: WebClient,
    ) -> None:
        self.gateway = gateway
        self.limits = gateway.limits
        self.words = gateway.words
        self.settings = settings
        self.sessions = sessions
        self.client = client

    def refresh_card(self, draft_id: int) -> None:
        self.gateway.refresh_card(draft_id)

    def tell_author(self, draft_id: int, text: Telling) -> None:
        self.gateway.tell_author(draft_id, text)

    def notify_approvers(self, text: Telling) -> None:
        self.gateway.notify_approvers(text)

    def direct_message(self, user_id: str, text: Telling) -> None:
        self.gateway.direct_message(user_id, text)

    def post_alert(self, alert_id: int) -> None:
        self.gateway.post_alert(alert_id)

    def show_past_posts(self, review_id: int) -> None:
        self.gateway.show_past_posts(review_id)

    def ask_to_block(self, alert_id: int, user_id: str, text: Telling) -> None:
        opened = self.client.conversations_open(users=user_id)
        card = block_request(alert_id, text)
        self.client.chat_postMessage(
            channel=opened["channel"]["id"],
            text=card.text,
            blocks=card.blocks_json(),
            unfurl_links=False,
        )
