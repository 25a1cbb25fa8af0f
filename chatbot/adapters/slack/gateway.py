"""The chat port over Slack's Web API (`slack_sdk.WebClient`)."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import urllib.request
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.common.redirects import TokenStaysOnHost
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Draft, utcnow
from chatbot.adapters.slack import cards
from chatbot.adapters.slack import refs as slack_refs
from chatbot.adapters.slack.alerts import alert_card
from chatbot.adapters.slack.cards.past_posts import past_posts_card
from chatbot.adapters.slack.name_views import ask
from chatbot.adapters.slack.render import mention, mrkdwn
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.adapters.x.dryrun import is_dry_run_post
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.drafts import DraftState
from chatbot.domain.messages import Telling
from chatbot.domain.networks import NetworkLimits
from chatbot.services.alert_view import load_alert_view
from chatbot.services.draft_view import DraftView, load_view
from chatbot.services.past_posts import load_review
from chatbot.services.ports import ChatFile, FileUnavailable, MessageRefs
from chatbot.settings import Settings

log = logging.getLogger(__name__)


class AlertNotPosted(Exception):
    """An alert card had nowhere to go; the message names the setting to fix."""


# States SLT need to see. Before that (checking, waiting for the declaration) only the author
# does, in the draft's thread.
CARD_STATES = frozenset(DraftState) - {
    DraftState.POSTED,
    DraftState.CHECKED,
    DraftState.AWAITING_DECLARATION,
    DraftState.WITHDRAWN,
    DraftState.REJECTED,
}


# Slack's words for the core's texts: `/tweet` opens the compose form.
WORDS = ChatWords(compose="/tweet", room="channel", thread="thread")


class SlackGateway:
    """Implements `ChatGateway` and `DraftChat` (see chatbot/services/ports.py)."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        client: WebClient,
        *,
        limits: NetworkLimits | None = None,
        file_retry_delays: Sequence[float] = (0.5, 1, 2, 4, 8),
    ) -> None:
        """`limits`: the publisher's (bootstrap passes them); tests may leave them out for X's."""
        self.client = client
        self.limits = limits or X_LIMITS
        self.words = WORDS
        self.sessions = sessions
        self.settings = settings
        self.file_retry_delays = tuple(file_retry_delays)
        self._card_lock = threading.Lock()
        self._refs = slack_refs.SlackRefs()

    @property
    def refs(self) -> MessageRefs:
        return self._refs

    # -- ChatGateway -----------------------------------------------------------------------

    def refresh_card(self, draft_id: int) -> None:
        """Redraw the card; post it first when the draft reaches a state SLT must see."""
        with self._card_lock:  # one card per draft even if two threads refresh at once
            with transaction(self.sessions) as session:
                view = _load_view(session, draft_id, self.limits)
                if view is None:
                    return
                where = slack_refs.card_of(session, draft_id)
            card = cards.draft_card(view, now=utcnow(), dry_run=is_dry_run_post(view.post_id))
            first = self.settings.approvals_channel if view.state in CARD_STATES else None
            self._show(card, where, first, slack_refs.SlackCard, draft_id)

    def tell_author(self, draft_id: int, text: Telling) -> None:
        where = self._thread(draft_id)
        if where is None:
            return
        channel, ts, author = where
        self.client.chat_postMessage(
            channel=channel,
            thread_ts=ts,
            text=f"{mention(author)} {mrkdwn(text)}",
            unfurl_links=False,
        )

    def notify_approvers(self, text: Telling) -> None:
        if self.settings.approvals_channel:
            self.client.chat_postMessage(
                channel=self.settings.approvals_channel, text=mrkdwn(text), unfurl_links=False
            )

    def post_alert(self, alert_id: int) -> None:
        """Post the alert's card in the safeguarding channel, or redraw it where it is."""
        with transaction(self.sessions) as session:
            view = load_alert_view(session, alert_id, self.limits)
            if view is None:
                return
            where = slack_refs.alert_card_of(session, alert_id)
        channel = self.settings.safeguarding_channel
        if not channel and not where:
            # Raise, so the monitors keep the alert queued: it must not count as shown.
            raise AlertNotPosted(
                f"alert {alert_id} not posted: set CHATBOT_SAFEGUARDING_CHANNEL to the "
                "safeguarding channel's id"
            )
        self._show(alert_card(view), where, channel, slack_refs.SlackAlertCard, alert_id)

    def show_past_posts(self, review_id: int) -> None:
        """Post the past-posts card in the approvals channel, or redraw it where it is."""
        with self._card_lock:  # one card per review even if two threads show it at once
            with transaction(self.sessions) as session:
                view = load_review(session, review_id)
                if view is None:
                    return
                where = slack_refs.review_card_of(session, review_id)
            card = past_posts_card(view)
            channel = self.settings.approvals_channel
            self._show(card, where, channel, slack_refs.SlackReviewCard, review_id)

    def _show(
        self,
        card: cards.Card,
        where: slack_refs.Where | None,
        channel: str | None,
        table: slack_refs.CardTable,
        row_id: int,
    ) -> None:
        """Update the card in place, or post it in `channel` and remember where it went.

        The place is stored only if none is yet (compare-and-set), so a card is posted once.
        """
        if where:
            self.client.chat_update(
                channel=where[0], ts=where[1], text=card.text, blocks=card.blocks_json()
            )
            return
        if not channel:
            return
        answer = self.client.chat_postMessage(
            channel=channel,
            text=card.text,
            blocks=card.blocks_json(),
            unfurl_links=False,
            unfurl_media=False,
        )
        with transaction(self.sessions) as session:
            slack_refs.record_card(
                session, table, row_id, (str(answer["channel"]), str(answer["ts"]))
            )

    def direct_message(self, user_id: str, text: Telling) -> None:
        self._direct(user_id, mrkdwn(text))

    def _direct(self, user_id: str, text: str) -> None:
        opened = self.client.conversations_open(users=user_id)
        self.client.chat_postMessage(channel=opened["channel"]["id"], text=text)

    # -- DraftChat -------------------------------------------------------------------------

    def post_checks(self, draft_id: int, notices: Sequence[Telling] = ()) -> None:
        with transaction(self.sessions) as session:
            view = _load_view(session, draft_id, self.limits)
            thread = slack_refs.message_of(session, draft_id)
        if view is None or thread is None:
            return
        card = cards.checks_reply(view, notices)
        self.client.chat_postMessage(
            channel=thread[0],
            thread_ts=thread[1],
            text=card.text,
            blocks=card.blocks_json(),
            unfurl_links=False,
        )
        # Below the findings: one message per name the checks could not decide, asked once.
        ask(self.client, self.sessions, draft_id)

    def fetch_file(self, file: ChatFile, max_bytes: int) -> bytes:
        name = file.name or "a file"
        url = file.url or self._wait_for_url(file.id, name)
        token = self.client.token or ""
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 (Slack's https URL from files.info)
        handlers: list[urllib.request.BaseHandler] = [TokenStaysOnHost()]
        if self.settings.proxy_url:
            proxy = self.settings.proxy_url
            handlers.append(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
        try:
            with urllib.request.build_opener(*handlers).open(request, timeout=30) as answer:
                ctype = answer.headers.get("Content-Type", "")
                data: bytes = answer.read(max_bytes + 1)
        except OSError as exc:
            log.warning("download of file %s failed: %s", file.id, type(exc).__name__)
            raise FileUnavailable(
                f"{name} could not be downloaded from Slack; share it again."
            ) from exc
        if ctype.startswith("text/html"):
            # Slack answers a missing files:read scope with its sign-in page, not an error.
            log.error(
                "Slack sent a web page instead of file %s: check the files:read scope", file.id
            )
            raise FileUnavailable(f"{name} could not be downloaded: the bot cannot read files.")
        if len(data) > max_bytes:
            raise FileUnavailable(f"{name} is too large; share a smaller copy of the photo.")
        return data

    def _wait_for_url(self, file_id: str, name: str) -> str:
        """Slack may share a file before it is ready: ask again, a few times, then give up."""
        for delay in (0.0, *self.file_retry_delays):
            if delay:
                time.sleep(delay)
            try:
                info: Any = self.client.files_info(file=file_id)["file"]
            except SlackApiError as exc:
                raise FileUnavailable("A shared file could not be found in Slack.") from exc
            url = info.get("url_private_download") or info.get("url_private")
            if url:
                return str(url)
        raise FileUnavailable(
            f"{name} was still being processed by Slack; share it again in a minute."
        )

    # -- helpers ---------------------------------------------------------------------------

    def _thread(self, draft_id: int) -> tuple[str, str, str] | None:
        with transaction(self.sessions) as session:
            thread = slack_refs.message_of(session, draft_id)
            author = session.scalar(select(Draft.author_id).where(Draft.id == draft_id))
        return (thread[0], thread[1], author) if thread and author else None

    def ephemeral(self, channel: str | None, user: str, telling: Telling) -> None:
        """Tell one person something only they see (a refused click)."""
        text = mrkdwn(telling)
        try:
            if channel:
                self.client.chat_postEphemeral(channel=channel, user=user, text=text)
            else:
                self._direct(user, text)
        except SlackApiError as exc:
            # Not in that channel (a DM with the app, say): fall back to a direct message.
            log.info("ephemeral failed (%s); sending a DM", exc.response.get("error"))
            self._direct(user, text)


def _load_view(session: Session, draft_id: int, limits: NetworkLimits) -> DraftView | None:
    """The core's view of the draft, with the Slack file of each photo filled in."""
    view = load_view(session, draft_id, limits=limits)
    if view is None:
        return None
    files = slack_refs.file_ids(session, draft_id)
    photos = tuple(
        dataclasses.replace(p, file_id=files[i] if i < len(files) and files[i] else None)
        for i, p in enumerate(view.photos)
    )
    return dataclasses.replace(view, photos=photos)
