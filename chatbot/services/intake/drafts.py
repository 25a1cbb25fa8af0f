"""New messages, their edits and deletions: the draft is stored once, checked and announced."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.intake import (
    add_draft,
    cancel_queued_work,
    draft_by_id,
    flush_changes,
    the_draft,
)
from chatbot.adapters.db.models import Draft, utcnow
from chatbot.adapters.db.repositories import StaleState, audit, move
from chatbot.domain.actors import Acting, Actor
from chatbot.domain.drafts import EDITABLE, DraftState
from chatbot.domain.messages import Emphasis, Message, message
from chatbot.policy.model import Policy
from chatbot.services.checking import settle
from chatbot.services.failures import log_failure
from chatbot.services.intake.composed import COMPOSED
from chatbot.services.intake.photos import (
    drop_photos,
    photo_notices,
    prepare_files,
    store_photos,
)
from chatbot.services.ports import ChatFile, DraftChat, MessageRef, MessageRefs

log = logging.getLogger(__name__)

CHECK_FAILED = (
    "Sorry, the bot could not check this draft. Edit the message to try again, or post it again."
)


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    ref: MessageRef  # the message as the platform names it
    user: str
    source_text: str  # as the platform sent it
    text: str  # as it would be posted
    notices: tuple[str, ...] = ()  # what the conversion left out, for the author
    files: tuple[ChatFile, ...] = ()
    # Written in the compose form: the message is the bot's, so its author changes it
    # with the form, never by editing the message. Recorded on the draft's "posted" audit row.
    composed: bool = False
    user_name: str | None = None  # their display name, for the audit log; None if unknown

    @property
    def author(self) -> Actor:
        return Actor(self.user, name=self.user_name)


def _content_notices(message: IncomingMessage) -> list[str]:
    notices = list(message.notices)
    stripped = message.text.strip()
    if stripped and not any(ch.isalnum() for ch in stripped) and not message.files:
        notices.append(
            "The draft is only emoji or symbols: add a few words that say what the post is about."
        )
    return notices


# -- new messages ------------------------------------------------------------------------------


def receive(
    sessions: sessionmaker[Session],
    chat: DraftChat,
    policy: Policy,
    message: IncomingMessage,
    now: datetime | None = None,
) -> int | None:
    """Make a draft of a new top-level message; None if it is already one (a redelivery)."""
    now = now or utcnow()
    try:
        with transaction(sessions) as session:
            if chat.refs.find_draft(session, message.ref) is not None:
                raise _Redelivered
            draft_id = add_draft(
                session,
                author_id=message.user,
                source_text=message.source_text,
                text=message.text,
                state=DraftState.POSTED.value,
            )
            # Fails on the platform's unique key if a racing delivery linked it first.
            chat.refs.link_draft(session, draft_id, message.ref)
            audit(
                session,
                actor=message.author,
                action="posted",
                draft_id=draft_id,
                detail=COMPOSED if message.composed else None,
            )
    except (IntegrityError, _Redelivered):
        log.info("message %s in %s is already a draft", message.ref.id, message.ref.place)
        return None
    try:
        prepared = prepare_files(chat, message.files)  # downloads: outside any transaction
        with transaction(sessions) as session:
            draft = the_draft(session, draft_id)
            store_photos(session, chat.refs, draft, prepared)
            flush_changes(session)
            settle(session, draft_id, policy, now, actor="system")
    except Exception as exc:
        # The author must hear something: a silent draft looks like one waiting for SLT.
        log_failure(log, f"checking draft {draft_id}", exc)
        chat.tell_author(draft_id, CHECK_FAILED)
        raise
    log.info("draft %s created with %d file(s)", draft_id, len(prepared))
    announce(
        chat,
        draft_id,
        [*_content_notices(message), *photo_notices(prepared, chat.limits.max_photos)],
    )
    return draft_id


# -- edits and deletions -----------------------------------------------------------------------


class _Redelivered(Exception):
    """The message is already a draft."""


def _find(session: Session, refs: MessageRefs, ref: MessageRef) -> Draft | None:
    draft_id = refs.find_draft(session, ref)
    return draft_by_id(session, draft_id)


def cancel_outbox(session: Session, draft_id: int) -> int:
    """Cancel queued work for a draft (an approval cleared by an edit, a withdrawal)."""
    return cancel_queued_work(session, draft_id)


_AFTER_PUBLISHING = frozenset(
    {DraftState.PUBLISHING, DraftState.PUBLISHED, DraftState.NEEDS_REVIEW}
)


def takedown_note(network: str) -> Message:
    """Told to the author who edits a draft already on `network` (its name)."""
    already = f"This draft is already on {network} (or being posted)"
    return message(
        already + ", so editing the message does not change the post. To take the post down, "
        "ask a member of SLT to press ",
        Emphasis(f"Delete from {network}"),  # noqa: S608 - the card's button, not SQL
        " on its approval card, then post the corrected draft as a new message.",
    )


def edit(
    sessions: sessionmaker[Session],
    chat: DraftChat,
    policy: Policy,
    message: IncomingMessage,
    now: datetime | None = None,
) -> bool:
    """Re-check an edited draft, clearing any approval not yet publishing. True if re-checked."""
    now = now or utcnow()
    with transaction(sessions) as session:
        draft = _find(session, chat.refs, message.ref)
        if draft is None:
            return False
        draft_id, state = draft.id, DraftState(draft.state)
        same_files = chat.refs.photo_files(session, draft_id) == [f.id for f in message.files]
        unchanged = draft.source_text == message.source_text and same_files
    if unchanged:
        return False  # platforms report edits for unfurls and thread counts too
    if state in _AFTER_PUBLISHING:
        chat.tell_author(draft_id, takedown_note(chat.limits.name))
        return False
    if state not in EDITABLE:
        if state is DraftState.REJECTED:
            chat.tell_author(
                draft_id, "This draft was rejected; post the corrected text as a new message."
            )
        return False
    prepared = None if same_files else prepare_files(chat, message.files)
    try:
        with transaction(sessions) as session:
            cleared = cancel_outbox(session, draft_id)
            move(
                session,
                draft_id,
                state,
                DraftState.POSTED,
                actor=message.author,
                action="edited",
                values={
                    "source_text": message.source_text,
                    "text": message.text,
                    "revision": Draft.revision + 1,
                    "decided_by": None,
                    "decided_at": None,
                    "decision_reason": None,
                    "not_before": None,
                    "reminded_at": None,
                },
            )
            draft = the_draft(session, draft_id)
            if prepared is not None:
                store_photos(session, chat.refs, draft, prepared)
                draft.pictured.clear()
                draft.declared = False
                draft.no_pupils = False
                draft.unregistered_pictured = False
                draft.photo_source = None
            flush_changes(session)
            settle(session, draft_id, policy, now, actor="system")
    except StaleState as exc:
        # The worker took it in the meantime: it is on its way to the network.
        if exc.current and DraftState(exc.current) in _AFTER_PUBLISHING:
            chat.tell_author(draft_id, takedown_note(chat.limits.name))
        return False
    notices = _content_notices(message) + (
        photo_notices(prepared, chat.limits.max_photos) if prepared else []
    )
    if state in (DraftState.APPROVED, DraftState.SCHEDULED) or cleared:
        notices.insert(0, "The draft was edited after approval, so it needs approving again.")
    announce(chat, draft_id, notices)
    return True


def withdraw(
    sessions: sessionmaker[Session], chat: DraftChat, ref: MessageRef, actor: Acting
) -> bool:
    """The author deleted the draft's message: withdraw it if it is not yet publishing."""
    with transaction(sessions) as session:
        draft = _find(session, chat.refs, ref)
        if draft is None:
            return False
        draft_id, state = draft.id, DraftState(draft.state)
    if state not in EDITABLE:
        return False
    try:
        with transaction(sessions) as session:
            cancel_outbox(session, draft_id)
            move(session, draft_id, state, DraftState.WITHDRAWN, actor=actor, action="withdrawn")
            drop_photos(session, draft_id)
    except StaleState:
        return False
    chat.refresh_card(draft_id)
    return True


def announce(chat: DraftChat, draft_id: int, notices: Sequence[str] = ()) -> None:
    """Tell the author the checks' findings and show SLT the card.

    Each is tried even if the other fails: a lost thread reply must not hide the card from SLT.
    """
    try:
        chat.post_checks(draft_id, notices)
    except Exception as exc:
        log_failure(log, f"replying in the thread of draft {draft_id}", exc)
    try:
        chat.refresh_card(draft_id)
    except Exception as exc:
        log_failure(log, f"showing the card of draft {draft_id}", exc)
