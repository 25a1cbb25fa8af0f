"""The alert cards' buttons: SLT decide (dismiss with a note, mute, hide a reply, actioned) and
staff say they have blocked an account. Each checks SLT first and acts on X where it can."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.slack.alerts import (
    DISMISS_CALLBACK,
    NO_X_KEYS,
    SlackAlertChat,
    block_request,
    dismiss_modal,
)
from chatbot.adapters.slack.payloads import action_value, text_value, user_of, view_values
from chatbot.domain.actors import Acting, Actor
from chatbot.domain.ids import parse_id
from chatbot.services.failures import log_failure
from chatbot.services.monitoring import (
    AlertDecision,
    AlertStale,
    decide_alert,
    hide_reply,
    mute_author,
    not_done,
    record_staff_block,
)
from chatbot.services.ports import ChatGateway, ReadError, SocialReader
from chatbot.settings import Settings

if TYPE_CHECKING:
    from slack_bolt import Ack, App


log = logging.getLogger(__name__)


ReaderFactory = Callable[[], "SocialReader | None"]
XAction = Callable[[sessionmaker[Session], SocialReader, int, Acting], None]


def default_reader_factory(settings: Settings) -> ReaderFactory:
    def make() -> SocialReader | None:
        if not settings.x_credentials_complete:
            return None
        from chatbot.adapters.x.reader import XReader

        return XReader.from_settings(settings)

    return make


def register_alert_listeners(
    app: App,
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    is_slt: Callable[[str], bool],
    gateway: ChatGateway,
    reader_factory: ReaderFactory | None = None,
    name_of: Callable[[str], str | None] | None = None,
) -> SlackAlertChat:
    """The alert buttons and the dismiss modal. Only SLT decide; every decision is audited.

    Returns the chat port with full alert cards, for the monitors on the worker.
    """
    chat = SlackAlertChat(gateway, settings, sessions, app.client)
    actions = AlertActions(
        settings,
        sessions,
        is_slt,
        chat,
        reader_factory or default_reader_factory(settings),
        name_of=name_of or (lambda _user: None),
    )
    app.action("alert_mute")(actions.on_mute)
    app.action("alert_hide_reply")(actions.on_hide)
    app.action("alert_actioned")(actions.on_actioned)
    app.action("alert_dismiss")(actions.on_dismiss)
    app.view(DISMISS_CALLBACK)(actions.on_dismiss_note)
    app.action("alert_staff_blocked")(actions.on_staff_blocked)
    return chat


class AlertActions:
    """The listeners. Each acks at once, then works; errors are logged, never raised to Bolt."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        is_slt: Callable[[str], bool],
        chat: SlackAlertChat,
        make_reader: ReaderFactory,
        *,
        name_of: Callable[[str], str | None],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.is_slt = is_slt
        self.chat = chat
        self.make_reader = make_reader
        self.name_of = name_of

    def who(self, body: dict[str, Any]) -> Actor:
        """The person acting, by name as well, for the audit log."""
        user = user_of(body)
        return Actor(user, is_slt=self.is_slt(user), name=self.name_of(user) if user else None)

    # -- helpers -------------------------------------------------------------------------------

    def refuse(self, client: WebClient, body: dict[str, Any], text: str) -> None:
        channel = (body.get("channel") or {}).get("id") or self.settings.safeguarding_channel
        user = user_of(body)
        if channel and user:
            try:
                client.chat_postEphemeral(channel=channel, user=user, text=text)
            except Exception as exc:
                log_failure(log, "saying why a click was refused", exc)

    def slt_only(self, client: WebClient, body: dict[str, Any]) -> int | None:
        alert_id = parse_id(action_value(body))
        if alert_id is None:
            return None
        if not self.is_slt(user_of(body)):
            self.refuse(client, body, "Only a member of SLT can decide on a safeguarding alert.")
            return None
        return alert_id

    def with_x(self, client: WebClient, body: dict[str, Any], act: XAction) -> None:
        alert_id = self.slt_only(client, body)
        if alert_id is None:
            return
        reader = self.make_reader()
        if reader is None:
            self.refuse(client, body, NO_X_KEYS)
            return
        try:
            act(self.sessions, reader, alert_id, self.who(body))
        except AlertStale as exc:
            self.refuse(client, body, f"Not done: {exc}.")
        except ReadError as exc:
            self.refuse(client, body, not_done(exc, reader.limits))
        except ValueError as exc:
            self.refuse(client, body, str(exc))
        self.chat.post_alert(alert_id)

    # -- listeners -----------------------------------------------------------------------------

    def on_mute(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _guard(lambda: self.with_x(client, body, mute_author))

    def on_hide(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _guard(lambda: self.with_x(client, body, hide_reply))

    def on_actioned(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _guard(lambda: self._actioned(client, body))

    def _actioned(self, client: WebClient, body: dict[str, Any]) -> None:
        alert_id = self.slt_only(client, body)
        if alert_id is None:
            return
        try:
            decide_alert(
                self.sessions,
                alert_id,
                self.who(body),
                AlertDecision.ACTIONED,
                "blocked or reported in the X app",
            )
        except AlertStale as exc:
            self.refuse(client, body, f"Not done: {exc}.")
        self.chat.post_alert(alert_id)

    def on_dismiss(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()  # at once: the trigger id lives 3 s

        def act() -> None:
            alert_id = self.slt_only(client, body)
            if alert_id is not None:
                client.views_open(trigger_id=body["trigger_id"], view=dismiss_modal(alert_id))
                self.name_of(user_of(body))  # ready for the note, which must answer in 3 s

        _guard(act)

    def on_dismiss_note(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        note = text_value(view_values(view), "note").strip()
        alert_id = parse_id(view.get("private_metadata"))
        if not note:
            ack(response_action="errors", errors={"note": "Please say why (for the audit log)."})
            return
        if alert_id is None or not self.is_slt(user_of(body)):
            ack(response_action="errors", errors={"note": "Only SLT can dismiss an alert."})
            return
        try:
            decide_alert(self.sessions, alert_id, self.who(body), AlertDecision.DISMISSED, note)
        except AlertStale as exc:
            ack(response_action="errors", errors={"note": f"Not done: {exc}."})
            return
        except Exception as exc:
            log_failure(log, f"dismissing alert {alert_id}", exc)
            ack(response_action="errors", errors={"note": "Something went wrong; try again."})
            return
        ack()
        _guard(lambda: self.chat.post_alert(alert_id))

    def on_staff_blocked(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _guard(lambda: self._staff_blocked(client, body))

    def _staff_blocked(self, client: WebClient, body: dict[str, Any]) -> None:
        alert_id = parse_id(action_value(body))
        if alert_id is None:
            return
        try:
            record_staff_block(self.sessions, alert_id, self.who(body))
        except PermissionError as exc:
            self.refuse(client, body, f"Not recorded: {exc}.")
            return
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        if channel and message.get("ts"):
            card = block_request(alert_id, str(message.get("text") or ""), done=True)
            client.chat_update(
                channel=channel, ts=message["ts"], text=card.text, blocks=card.blocks_json()
            )
        self.chat.post_alert(alert_id)


def _guard(action: Callable[[], None]) -> None:
    # After ack(): an exception must be logged, not reach Bolt (and without its message,
    # which may carry a pupil's name).
    try:
        action()
    except Exception as exc:
        log_failure(log, "an alert action", exc)
