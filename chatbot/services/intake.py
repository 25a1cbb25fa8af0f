"""Drafts arriving from chat: new messages, edits, deletions, and the photo declaration.

The chat adapter has already turned the platform's markup into the text that would be posted;
this module stores the draft once, prepares its photos, runs the checks and moves it along the
lifecycle. It talks to the outside only through the `DraftChat` port.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from chatbot import images
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import (
    AuditEntry,
    Draft,
    OutboxItem,
    Photo,
    PicturedPupil,
    PupilRow,
    utcnow,
)
from chatbot.adapters.db.repositories import StaleState, audit, move
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import EDITABLE, DraftState
from chatbot.domain.outbox import OutboxState
from chatbot.policy.model import Policy
from chatbot.services.chat_text import escape
from chatbot.services.checking import post_day, settle
from chatbot.services.failures import log_failure
from chatbot.services.ports import ChatFile, DraftChat, FileUnavailable, MessageRef, MessageRefs
from chatbot.services.registers import load_register, search_pupils, twitter_consent

log = logging.getLogger(__name__)

MAX_PHOTOS = 4  # X's limit for one post
MAX_FILE_BYTES = 15 * 1024 * 1024  # a phone photo is 2-8 MB; larger is a scan or a RAW file
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif"}
)
CHECK_FAILED = (
    "Sorry, the bot could not check this draft. Edit the message to try again, or post it again."
)
NOT_ON_REGISTER = "Some of the chosen pupils are not on the register: choose them again."
PHOTO_SOURCES = {"staff": "taken by staff", "permission": "used with permission"}


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    ref: MessageRef  # the message as the platform names it
    user: str
    source_text: str  # as the platform sent it
    text: str  # as it would be posted
    notices: tuple[str, ...] = ()  # what the conversion left out, for the author
    files: tuple[ChatFile, ...] = ()
    # Written in the compose form (/tweet): the message is the bot's, so its author changes it
    # with the form, never by editing the message. Recorded on the draft's "posted" audit row.
    composed: bool = False


@dataclass(slots=True)
class _PreparedFile:
    file: ChatFile
    photo: images.PreparedPhoto | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Declaration:
    pupil_ids: tuple[int, ...] = ()
    no_pupils: bool = False
    alt_texts: tuple[str, ...] = ()
    source: str | None = None  # a key of PHOTO_SOURCES


@dataclass(slots=True)
class DeclarationResult:
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    # Stored even with errors when the only problem is consent: the draft is then blocked
    # by a photo-consent finding, and the author and SLT must hear why.
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


# -- photos ------------------------------------------------------------------------------------


def _describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _unusable(file: ChatFile) -> str | None:
    """Why a file cannot go on a post, judged from its description alone."""
    name = file.name or "a file"
    kind = file.mimetype.split("/")[0] if file.mimetype else ""
    if kind == "video":
        return f"{name} is a video: the bot can only post photos. Share a photo instead."
    if file.mimetype and file.mimetype not in IMAGE_TYPES:
        if file.mimetype == "application/pdf":
            what = "a PDF"
        elif kind == "image":
            what = f"an image in a format X does not take ({file.mimetype})"
        else:
            what = f"not a photo ({file.mimetype})"
        return f"{name} is {what}. Only photos (JPEG, PNG, HEIC, WebP, GIF) can go on a post."
    if file.size is not None and file.size > MAX_FILE_BYTES:
        return (
            f"{name} is too large ({_describe_size(file.size)}); the limit is "
            f"{_describe_size(MAX_FILE_BYTES)}. Share a smaller copy of the photo."
        )
    return None


def _prepare_files(chat: DraftChat, files: Sequence[ChatFile]) -> list[_PreparedFile]:
    """Download and prepare each file; problems are recorded, never raised."""
    out = [_PreparedFile(f) for f in files]
    if len(files) > MAX_PHOTOS:
        return out  # the photo-count finding says it all; no point downloading ten photos
    downloaded: list[tuple[_PreparedFile, bytes]] = []
    for item in out:
        item.problem = _unusable(item.file)
        if item.problem:
            continue
        try:
            downloaded.append((item, chat.fetch_file(item.file, MAX_FILE_BYTES)))
        except FileUnavailable as exc:
            item.problem = str(exc)
    results = images.prepare_many([(data, item.file.name) for item, data in downloaded])
    for (item, _data), result in zip(downloaded, results, strict=True):
        if isinstance(result, images.PhotoRejected):
            item.problem = f"{item.file.name or 'A photo'}: {result}"
        else:
            item.photo = result
    return out


def _store_photos(
    session: Session, refs: MessageRefs, draft: Draft, prepared: Sequence[_PreparedFile]
) -> None:
    draft.photos.clear()
    session.flush()  # the old rows go before their positions are taken again
    for position, item in enumerate(prepared):
        photo = item.photo
        draft.photos.append(
            Photo(
                position=position,
                filename=item.file.name[:255],
                mime_type=photo.mime_type if photo else (item.file.mimetype or None),
                data=photo.data if photo else None,
                sha256=photo.sha256 if photo else None,
                width=photo.width if photo else None,
                height=photo.height if photo else None,
                face_count=photo.face_count if photo else None,
                problem=item.problem,
            )
        )
    session.flush()
    refs.link_files(
        session, [(p.id, item.file.id) for p, item in zip(draft.photos, prepared, strict=True)]
    )


def _photo_notices(prepared: Sequence[_PreparedFile]) -> list[str]:
    if len(prepared) > MAX_PHOTOS:
        return [
            f"You shared {len(prepared)} files; a post can carry at most {MAX_PHOTOS} photos. "
            "Post the draft again with four photos or fewer."
        ]
    return [item.problem for item in prepared if item.problem]


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
            draft = Draft(
                author_id=message.user,
                source_text=message.source_text,
                text=message.text,
                state=DraftState.POSTED.value,
            )
            session.add(draft)
            session.flush()
            draft_id = draft.id
            # Fails on the platform's unique key if a racing delivery linked it first.
            chat.refs.link_draft(session, draft_id, message.ref)
            audit(
                session,
                actor=message.user,
                action="posted",
                draft_id=draft_id,
                detail=_COMPOSED if message.composed else None,
            )
    except (IntegrityError, _Redelivered):
        log.info("message %s in %s is already a draft", message.ref.id, message.ref.place)
        return None
    try:
        prepared = _prepare_files(chat, message.files)  # downloads: outside any transaction
        with transaction(sessions) as session:
            draft = session.get_one(Draft, draft_id)
            _store_photos(session, chat.refs, draft, prepared)
            session.flush()
            settle(session, draft_id, policy, now, actor="system")
    except Exception as exc:
        # The author must hear something: a silent draft looks like one waiting for SLT.
        log_failure(log, f"checking draft {draft_id}", exc)
        chat.tell_author(draft_id, CHECK_FAILED)
        raise
    log.info("draft %s created with %d file(s)", draft_id, len(prepared))
    announce(chat, draft_id, [*_content_notices(message), *_photo_notices(prepared)])
    return draft_id


# -- edits and deletions -----------------------------------------------------------------------


class _Redelivered(Exception):
    """The message is already a draft."""


def _find(session: Session, refs: MessageRefs, ref: MessageRef) -> Draft | None:
    draft_id = refs.find_draft(session, ref)
    return session.get(Draft, draft_id) if draft_id is not None else None


def cancel_outbox(session: Session, draft_id: int) -> int:
    """Cancel queued work for a draft (an approval cleared by an edit, a withdrawal)."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.state == OutboxState.QUEUED)
        .values(state=OutboxState.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


_AFTER_PUBLISHING = frozenset(
    {DraftState.PUBLISHING, DraftState.PUBLISHED, DraftState.NEEDS_REVIEW}
)
TAKEDOWN_NOTE = (
    "This draft is already on X (or being posted), so editing the message does not change the "
    "post. To take the post down, ask a member of SLT to press *Delete from X* on its approval "
    "card, then post the corrected draft as a new message."
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
        return False  # Slack also sends message_changed for unfurls and thread counts
    if state in _AFTER_PUBLISHING:
        chat.tell_author(draft_id, TAKEDOWN_NOTE)
        return False
    if state not in EDITABLE:
        if state is DraftState.REJECTED:
            chat.tell_author(
                draft_id, "This draft was rejected; post the corrected text as a new message."
            )
        return False
    prepared = None if same_files else _prepare_files(chat, message.files)
    try:
        with transaction(sessions) as session:
            cleared = cancel_outbox(session, draft_id)
            move(
                session,
                draft_id,
                state,
                DraftState.POSTED,
                actor=message.user,
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
            draft = session.get_one(Draft, draft_id)
            if prepared is not None:
                _store_photos(session, chat.refs, draft, prepared)
                draft.pictured.clear()
                draft.declared = False
                draft.no_pupils = False
                draft.photo_source = None
            session.flush()
            settle(session, draft_id, policy, now, actor="system")
    except StaleState as exc:
        # The worker took it in the meantime: it is on its way to X.
        if exc.current and DraftState(exc.current) in _AFTER_PUBLISHING:
            chat.tell_author(draft_id, TAKEDOWN_NOTE)
        return False
    notices = _content_notices(message) + (_photo_notices(prepared) if prepared else [])
    if state in (DraftState.APPROVED, DraftState.SCHEDULED) or cleared:
        notices.insert(0, "The draft was edited after approval, so it needs approving again.")
    announce(chat, draft_id, notices)
    return True


def withdraw(sessions: sessionmaker[Session], chat: DraftChat, ref: MessageRef, actor: str) -> bool:
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
            purge_photos(session, draft_id)
    except StaleState:
        return False
    chat.refresh_card(draft_id)
    return True


@dataclass(frozen=True, slots=True)
class OwnDraft:
    """A draft as its author may change it from a form: where it is, its text, its photos."""

    id: int
    message: MessageRef
    text: str
    files: tuple[ChatFile, ...]


_COMPOSED = {"via": "compose_form"}
NOT_AUTHOR = "Only its author can {verb} this draft."
NOT_COMPOSED = (
    "This draft was posted as a message, not with /tweet: edit or delete the message instead."
)


def _was_composed(session: Session, draft_id: int) -> bool:
    posted = session.scalar(
        select(AuditEntry.detail).where(
            AuditEntry.draft_id == draft_id, AuditEntry.action == "posted"
        )
    )
    return posted == _COMPOSED


def composed_draft(
    sessions: sessionmaker[Session],
    refs: MessageRefs,
    draft_id: int | None,
    actor: Actor,
    verb: str,
) -> OwnDraft | str:
    """The draft if `actor` wrote it with the compose form, else the refusal to show them.

    Only such a draft may be changed from the form: its message is the bot's. Any other draft
    is changed by editing its message, so a forged Edit click must not rewrite the bot's copy.
    """
    with transaction(sessions) as session:
        draft = session.get(Draft, draft_id) if draft_id is not None else None
        if draft is None or not actor.id or draft.author_id != actor.id:
            return NOT_AUTHOR.format(verb=verb)
        if not _was_composed(session, draft.id):
            log.warning("refused a form %s of draft %s, not composed in the form", verb, draft.id)
            return NOT_COMPOSED
        message = refs.message_of(session, draft.id)
        if message is None:
            return NOT_AUTHOR.format(verb=verb)
        file_ids = refs.photo_files(session, draft.id)
        return OwnDraft(
            id=draft.id,
            message=message,
            text=draft.text,
            files=tuple(
                ChatFile(id=file_id, name=p.filename, mimetype=p.mime_type or "")
                for p, file_id in zip(draft.photos, file_ids, strict=True)
            ),
        )


def purge_photos(session: Session, draft_id: int) -> None:
    session.execute(
        update(Photo)
        .where(Photo.draft_id == draft_id, Photo.data.is_not(None))
        .values(data=None, purged_at=utcnow())
        .execution_options(synchronize_session=False)
    )


# -- the photo declaration ---------------------------------------------------------------------

_DECLARABLE = frozenset(
    {DraftState.AWAITING_DECLARATION, DraftState.NEEDS_CHANGES, DraftState.PENDING_APPROVAL}
)


@dataclass(frozen=True, slots=True)
class DeclarationForm:
    """What the declaration form starts with: the stored declaration and its pupils' labels."""

    declaration: Declaration
    photo_count: int
    pupils: tuple[tuple[int, str], ...] = ()  # (pupil id, "First Last (Year 4)")


def suggest_pupils(sessions: sessionmaker[Session], query: str) -> list[tuple[int, str]]:
    """(id, label) of this year's pupils matching what is typed in the declaration form."""
    if not query:
        return []
    with transaction(sessions) as session:
        pupils = search_pupils(session, query, AcademicYear.at(utcnow()), limit=20)
        return [(p.id, p.label) for p in pupils if p.id is not None]


NOT_DECLARABLE = "This draft can no longer be changed."
NOT_DECLARER = "Only the author of the draft (or SLT) can say who is in it."


def declaration_form(
    sessions: sessionmaker[Session], draft_id: int | None, actor: Actor
) -> DeclarationForm | str:
    """The form pre-filled from the store, or the refusal: the draft cannot take a declaration
    now, or `actor` is neither its author nor SLT."""
    with transaction(sessions) as session:
        draft = session.get(Draft, draft_id) if draft_id is not None else None
        if draft is None or DraftState(draft.state) not in _DECLARABLE or not draft.photos:
            return NOT_DECLARABLE
        if not (draft.author_id == actor.id or actor.is_slt):
            return NOT_DECLARER
        ids = tuple(p.pupil_id for p in draft.pictured)
        year = AcademicYear.of(post_day(draft, utcnow()))
        labels = {p.id: p.label for p in load_register(session, year).pupils if p.id in ids}
        return DeclarationForm(
            declaration=Declaration(
                pupil_ids=ids,
                no_pupils=draft.no_pupils,
                alt_texts=tuple(p.alt_text or "" for p in draft.photos),
                source=draft.photo_source,
            ),
            photo_count=len(draft.photos),
            pupils=tuple((i, labels[i]) for i in ids if i in labels),
        )


def declare(
    sessions: sessionmaker[Session],
    policy: Policy,
    draft_id: int | None,
    actor: Actor,
    declaration: Declaration,
    *,
    now: datetime | None = None,
) -> DeclarationResult:
    """Store who is pictured (and the alt texts), then check the draft again.

    Errors come back keyed by field ("pictured_pupils", "alt_text_<n>", "photo_source") so the
    form can show them inline. Nothing is stored when there are errors, except a pupil without
    consent: that declaration is true, so it is stored and the draft is blocked by the
    photo-consent finding (`stored` is then set). Nothing is sent either: the form must be
    answered within three seconds, so the caller answers it first and then calls `announce`.
    """
    now = now or utcnow()
    result = DeclarationResult()
    pupils = tuple(dict.fromkeys(declaration.pupil_ids))
    if not pupils and not declaration.no_pupils:
        result.errors["pictured_pupils"] = (
            "Choose the pupils in the photos, or tick “No pupils are pictured”."
        )
    elif pupils and declaration.no_pupils:
        result.errors["pictured_pupils"] = (
            "You chose pupils and also ticked “No pupils are pictured”: do one or the other."
        )
    if declaration.source is not None and declaration.source not in PHOTO_SOURCES:
        result.errors["photo_source"] = "Choose where the photos came from."
    refusal: str | None = None
    with transaction(sessions) as session:
        draft = session.get(Draft, draft_id) if draft_id is not None else None
        if draft is None or not (draft.author_id == actor.id or actor.is_slt):
            result.errors["pictured_pupils"] = "Only the author or SLT can say who is pictured."
            return result
        state = DraftState(draft.state)
        if state not in _DECLARABLE:
            result.errors["pictured_pupils"] = (
                f"This draft is {state.value.replace('_', ' ')} and can no longer be changed."
            )
            return result
        if pupils:
            known = set(session.scalars(select(PupilRow.id).where(PupilRow.id.in_(pupils))))
            consent = twitter_consent(session, pupils, post_day(draft, now))
            refused = [p for p in pupils if p in known and not consent.get(p, False)]
            if len(known) != len(pupils):
                result.errors["pictured_pupils"] = NOT_ON_REGISTER
            elif refused:
                rows = session.scalars(select(PupilRow).where(PupilRow.id.in_(refused))).all()
                names = ", ".join(escape(f"{r.first_name} {r.last_name}") for r in rows)
                refusal = (
                    f"No Twitter consent this school year for: {names}. Their photo cannot be "
                    "posted, so the draft stays blocked: edit your message to share photos "
                    "without them."
                )
        if not result.ok:
            return result
        draft.declared = True
        draft.no_pupils = declaration.no_pupils
        draft.photo_source = declaration.source
        draft.pictured.clear()
        session.flush()
        for pupil_id in pupils:
            draft.pictured.append(PicturedPupil(pupil_id=pupil_id))
        for position, photo in enumerate(draft.photos):
            if position < len(declaration.alt_texts):
                photo.alt_text = declaration.alt_texts[position].strip() or None
        audit(
            session,
            actor=actor.id,
            action="declared",
            draft_id=draft.id,
            # counts only: pupils' names never go into the audit log's details
            detail={"pupils": len(pupils), "no_pupils": declaration.no_pupils},
        )
        session.flush()
        settle(session, draft.id, policy, now, actor=actor.id)
    result.stored = True
    if refusal:
        result.errors["pictured_pupils"] = refusal
    return result


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
