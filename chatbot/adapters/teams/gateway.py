"""The chat port over Teams' Bot Connector: `ChatGateway`, `DraftChat` and `BlockRequester`.

Synchronous, as the port is (the worker and the monitors call it from threads); the routes call
it with ``asyncio.to_thread``. Every call goes through `BotConnector`: a token from MSAL, and
only to the service URL that Teams gave (remembered in the database, so that after a restart
the bot can post before anyone writes). Message text and names never reach the log.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Draft, Photo, utcnow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.alert_cards import alert_card, block_request
from chatbot.adapters.teams.cards import draft_card
from chatbot.adapters.teams.connector import BotConnector, ConnectorError, download, thread_id
from chatbot.adapters.teams.elements import MESSAGE_LIMIT, Json, TeamsCard
from chatbot.adapters.teams.name_cards import question_card
from chatbot.adapters.teams.render import mentioned, message_activity
from chatbot.adapters.teams.replies import checks_reply
from chatbot.adapters.teams.thumbnails import thumbnail_uri
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.adapters.x.dryrun import is_dry_run_post
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.drafts import DraftState
from chatbot.domain.messages import Mention, Telling, as_message, message
from chatbot.domain.networks import NetworkLimits
from chatbot.services.alert_view import load_alert_view
from chatbot.services.draft_view import DraftView, load_view
from chatbot.services.failures import log_failure
from chatbot.services.name_questions import claim_unasked, forget_asked
from chatbot.services.ports import ChatFile, MessageRefs
from chatbot.settings import Settings

log = logging.getLogger(__name__)

# States SLT need to see (as on Slack): before that only the author does, in the thread.
CARD_STATES = frozenset(DraftState) - {
    DraftState.POSTED,
    DraftState.CHECKED,
    DraftState.AWAITING_DECLARATION,
    DraftState.WITHDRAWN,
    DraftState.REJECTED,
}
# Where a file card's pre-authorised downloadUrl may point (no token is sent there).
FILE_HOSTS = ("sharepoint.com",)


class AlertNotPosted(Exception):
    """An alert card had nowhere to go; the message names the setting to fix."""


class NoServiceUrl(Exception):
    """Teams has not yet told the bot where to call it back."""


# Teams's words for the core's texts (it has no compose command yet).
WORDS = ChatWords(compose="the compose form", room="channel", thread="replies")


class TeamsGateway:
    """Implements `ChatGateway`, `DraftChat` and `BlockRequester` (chatbot/services/ports.py)."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        connector: BotConnector,
        *,
        file_hosts: Sequence[str] = FILE_HOSTS,
        limits: NetworkLimits | None = None,
    ) -> None:
        """`limits`: the publisher's (bootstrap passes them); tests may leave them out for X's."""
        self.limits = limits or X_LIMITS
        self.words = WORDS
        self.settings = settings
        self.sessions = sessions
        self.connector = connector
        self.guard = connector.guard
        self.file_hosts = tuple(file_hosts)
        self._refs = teams_refs.TeamsRefs()
        self._locks: dict[int, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._service_url: str | None = None
        self._thumbnails: dict[tuple[int, str], str | None] = {}

    @property
    def refs(self) -> MessageRefs:
        return self._refs

    # -- what the routes tell it -----------------------------------------------------------

    def learn(self, activity: dict[str, Any]) -> None:
        """From a validated activity: the service URL (kept) and who wrote (for mentions)."""
        url = activity.get("serviceUrl")
        sender = activity.get("from") or {}
        object_id = sender.get("aadObjectId") if isinstance(sender, dict) else None
        new_url = isinstance(url, str) and url and url != self._service_url
        if not new_url and not isinstance(object_id, str):
            return
        with transaction(self.sessions) as session:
            if new_url:
                assert isinstance(url, str)  # noqa: S101 (checked above)
                self.guard.remember(url)
                if teams_refs.stored_service_url(session) != url:
                    teams_refs.store_service_url(session, url)
                self._service_url = url
            if isinstance(object_id, str) and object_id:
                name = sender.get("name")
                teams_refs.remember_person(
                    session, object_id, name if isinstance(name, str) else None
                )

    def service_url(self) -> str | None:
        """Where the bot calls Teams: the URL Teams last gave, else CHATBOT_TEAMS_SERVICE_URL."""
        if self._service_url is None:
            with transaction(self.sessions) as session:
                stored = teams_refs.stored_service_url(session)
            url = stored or self.settings.teams_service_url
            if url:
                self.guard.remember(url)
                self._service_url = url
        return self._service_url

    def names(self, object_ids: Iterable[str | None]) -> dict[str, str]:
        with transaction(self.sessions) as session:
            return teams_refs.names_of(session, (i for i in object_ids if i))

    # -- ChatGateway -----------------------------------------------------------------------

    def refresh_card(self, draft_id: int) -> None:
        """Redraw the card in place; post it first when the draft reaches a state SLT see."""
        with self._lock_for(draft_id):  # one card per draft even if two threads refresh
            with transaction(self.sessions) as session:
                view = _load_view(session, draft_id, self.limits)
                if view is None:
                    return
                where = teams_refs.card_of(session, draft_id)
                thumbnails = self._thumbnails_of(session, draft_id)
            names = self.names(
                [view.author_id, view.decided_by, *(c.answered_by for c in view.cleared)]
            )
            dry_run = is_dry_run_post(view.post_id)
            now = utcnow()
            card = draft_card(view, now=now, dry_run=dry_run, thumbnails=thumbnails, names=names)
            if card.size() > MESSAGE_LIMIT:  # the photos' thumbnails are what can be left out
                card = draft_card(view, now=now, dry_run=dry_run, names=names)
            first = self.settings.approvals_channel if view.state in CARD_STATES else None
            self._show(card, where, first, teams_refs.TeamsDraftCard, draft_id)

    def tell_author(self, draft_id: int, text: Telling) -> None:
        with transaction(self.sessions) as session:
            thread = teams_refs.message_of(session, draft_id)
            author = session.scalar(select(Draft.author_id).where(Draft.id == draft_id))
        if thread is None or not author:
            return
        names = self.names([author, *mentioned(text)])
        activity = message_activity(message(Mention(author), " ") + as_message(text), names)
        self._reply(draft_id, thread, activity, "notice")

    def notify_approvers(self, text: Telling) -> None:
        channel = self.settings.approvals_channel
        if channel:
            activity = message_activity(text, self.names(mentioned(text)))
            self.connector.send(self._url(), channel, activity)

    def show_past_posts(self, review_id: int) -> None:
        """Post the past-posts card in the approvals channel, or redraw it where it is."""
        from chatbot.adapters.teams.past_posts_card import past_posts_card
        from chatbot.services.past_posts import load_review

        with self._lock_for(-(10**9) - review_id):  # one card per review (keys apart from drafts')
            with transaction(self.sessions) as session:
                view = load_review(session, review_id)
                if view is None:
                    return
                where = teams_refs.review_card_of(session, review_id)
            names = self.names([view.withdrawn_by, *(p.by for p in view.posts)])
            card = past_posts_card(view, names=names)
            channel = self.settings.approvals_channel
            self._show(card, where, channel, teams_refs.TeamsReviewCard, review_id)

    def post_alert(self, alert_id: int) -> None:
        """Post the alert's card in the safeguarding channel, or redraw it where it is."""
        with transaction(self.sessions) as session:
            view = load_alert_view(session, alert_id, self.limits)
            if view is None:
                return
            where = teams_refs.alert_card_of(session, alert_id)
        channel = self.settings.safeguarding_channel
        if not channel and not where:
            # Raise, so the monitors keep the alert queued: it must not count as shown.
            raise AlertNotPosted(
                f"alert {alert_id} not posted: set CHATBOT_SAFEGUARDING_CHANNEL to the "
                "safeguarding channel's id"
            )
        with self._lock_for(-alert_id):
            card = alert_card(view, names=self.names([view.decided_by]))
            self._show(card, where, channel, teams_refs.TeamsAlertCard, alert_id)

    def direct_message(self, user_id: str, text: Telling) -> None:
        self._to_chat(user_id, message_activity(text, self.names(mentioned(text))))

    # -- BlockRequester --------------------------------------------------------------------

    def ask_to_block(self, alert_id: int, user_id: str, text: Telling) -> None:
        self._to_chat(user_id, block_request(alert_id, as_message(text).plain).activity())

    # -- DraftChat -------------------------------------------------------------------------

    def post_checks(self, draft_id: int, notices: Sequence[Telling] = ()) -> None:
        with transaction(self.sessions) as session:
            view = _load_view(session, draft_id, self.limits)
            thread = teams_refs.message_of(session, draft_id)
        if view is None or thread is None:
            return
        card = checks_reply(
            view, [as_message(n).plain for n in notices], names=self.names([view.author_id])
        )
        self._reply(draft_id, thread, card.activity(), "checks")
        # Below the findings: one card per name the checks could not decide, asked once.
        self.ask_names(draft_id)

    def ask_names(self, draft_id: int) -> int:
        """Post each of the draft's questions not asked before; returns how many were posted.

        Each is claimed first, so a re-check (or two at once) never asks twice; one that cannot
        be posted is released, so the next check asks it again.
        """
        with transaction(self.sessions) as session:
            questions = claim_unasked(session, draft_id)
            thread = teams_refs.message_of(session, draft_id)
        if thread is None or not questions:
            return 0
        names = self.names([q.author_id for q in questions])
        posted = 0
        for q in questions:
            try:
                chain = thread_id(*thread)
                activity_id = self.connector.send(
                    self._url(), chain, question_card(q, names=names).activity()
                )
            except Exception as exc:
                log_failure(log, f"asking a question about a name in draft {draft_id}", exc)
                with transaction(self.sessions) as session:
                    forget_asked(session, draft_id, q.question)
                continue
            with transaction(self.sessions) as session:
                teams_refs.record_asked(session, draft_id, q.question, (chain, activity_id))
            posted += 1
        if posted:
            log.info("asked %d question(s) about names in draft %s", posted, draft_id)
        return posted

    def fetch_file(self, file: ChatFile, max_bytes: int) -> bytes:
        """An attachment with the bot's token on the service URL's host, or a file card's
        pre-authorised downloadUrl (without it); anything else is refused."""
        self.service_url()  # the stored URL known to the guard after a restart
        return download(
            file,
            max_bytes,
            guard=self.guard,
            tokens=self.connector.tokens,
            file_hosts=self.file_hosts,
            proxy_url=self.connector.proxy_url,
        )

    # -- for the routes --------------------------------------------------------------------

    def update_activity(self, conversation_id: str, activity_id: str, card: TeamsCard) -> None:
        """Change a posted card for everyone (a name question once answered, say)."""
        self.connector.update(self._url(), conversation_id, activity_id, card.activity())

    # -- helpers ---------------------------------------------------------------------------

    def _url(self) -> str:
        url = self.service_url()
        if not url:
            raise NoServiceUrl(
                "Teams has not yet sent the bot an activity: set CHATBOT_TEAMS_SERVICE_URL or "
                "send the bot a message"
            )
        return url

    def _lock_for(self, key: int) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())

    def _show(
        self,
        card: TeamsCard,
        where: teams_refs.Where | None,
        channel: str | None,
        table: teams_refs.CardTable,
        row_id: int,
    ) -> None:
        """Update the card in place, or post it in `channel` and remember where it went."""
        if where:
            self.connector.update(self._url(), where[0], where[1], card.activity())
            return
        if not channel:
            return
        url = self._url()
        activity_id = self.connector.send(url, channel, card.activity())
        with transaction(self.sessions) as session:
            kept = teams_refs.record_card(session, table, row_id, (channel, activity_id))
        if not kept:  # another process posted first: take ours back, theirs is redrawn
            try:
                self.connector.delete(url, channel, activity_id)
            except ConnectorError as exc:
                log.warning("a second card could not be deleted: %s", exc)

    def _reply(self, draft_id: int, thread: teams_refs.Where, activity: Json, kind: str) -> None:
        chain = thread_id(*thread)
        activity_id = self.connector.send(self._url(), chain, activity)
        with transaction(self.sessions) as session:
            teams_refs.record_reply(session, draft_id, kind, (chain, activity_id))

    def _to_chat(self, user_id: str, activity: Json) -> None:
        """Into the person's 1:1 chat with the bot, created (POST /v3/conversations) if need be."""
        url = self._url()
        with transaction(self.sessions) as session:
            chat = teams_refs.personal_chat_of(session, user_id)
        if chat:
            try:
                self.connector.send(url, chat, activity)
                return
            except ConnectorError as exc:
                if exc.status not in (403, 404):
                    raise
                log.info("the 1:1 chat with a member of staff is gone (%s); a new one", exc.status)
        chat = self._create_chat(url, user_id)
        self.connector.send(url, chat, activity)

    def _create_chat(self, url: str, user_id: str) -> str:
        tenant = self.settings.teams_tenant_id
        parameters: Json = {
            "isGroup": False,
            "bot": {"id": f"28:{self.settings.teams_app_id}"},
            "members": [{"id": user_id}],
            "tenantId": tenant,
            "channelData": {"tenant": {"id": tenant}},
        }
        chat, _first = self.connector.create_conversation(url, parameters)
        with transaction(self.sessions) as session:
            teams_refs.record_personal_chat(session, user_id, chat)
        return chat

    def _thumbnails_of(self, session: Session, draft_id: int) -> dict[int, str]:
        """Data URIs of the prepared photos by position (made once per photo and content)."""
        out: dict[int, str] = {}
        rows = session.execute(
            select(Photo.position, Photo.id, Photo.sha256, Photo.data).where(
                Photo.draft_id == draft_id, Photo.data.is_not(None)
            )
        ).all()
        for position, photo_id, sha, data in rows:
            key = (photo_id, sha or "")
            if key not in self._thumbnails:
                if len(self._thumbnails) > 256:
                    self._thumbnails.clear()
                self._thumbnails[key] = thumbnail_uri(data) if data else None
            uri = self._thumbnails[key]
            if uri:
                out[position] = uri
        return out


def _load_view(session: Session, draft_id: int, limits: NetworkLimits) -> DraftView | None:
    """The core's view of the draft, with each photo's attachment filled in."""
    view = load_view(session, draft_id, limits=limits)
    if view is None:
        return None
    files = teams_refs.file_ids(session, draft_id)
    photos = tuple(
        dataclasses.replace(p, file_id=files[i] if i < len(files) and files[i] else None)
        for i, p in enumerate(view.photos)
    )
    return dataclasses.replace(view, photos=photos)
