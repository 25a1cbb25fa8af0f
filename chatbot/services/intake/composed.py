"""Drafts written in the compose form: only their author changes them, from the form."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.intake import draft_by_id, posted_detail
from chatbot.domain.actors import Actor
from chatbot.domain.chat_words import ChatWords
from chatbot.services.ports import ChatFile, DraftChat, MessageRef

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OwnDraft:
    """A draft as its author may change it from a form: where it is, its text, its photos."""

    id: int
    message: MessageRef
    text: str
    files: tuple[ChatFile, ...]


COMPOSED = {"via": "compose_form"}
NOT_AUTHOR = "Only its author can {verb} this draft."


def not_composed(words: ChatWords) -> str:
    """The refusal of a form's change to a draft that was not written in the form."""
    return (
        f"This draft was posted as a message, not with {words.compose}: edit or delete the "
        "message instead."
    )


def was_composed(session: Session, draft_id: int) -> bool:
    return posted_detail(session, draft_id) == COMPOSED


def composed_draft(
    sessions: sessionmaker[Session],
    chat: DraftChat,
    draft_id: int | None,
    actor: Actor,
    verb: str,
) -> OwnDraft | str:
    """The draft if `actor` wrote it with the compose form, else the refusal to show them.

    Only such a draft may be changed from the form: its message is the bot's. Any other draft
    is changed by editing its message, so a forged Edit click must not rewrite the bot's copy.
    """
    with transaction(sessions) as session:
        draft = draft_by_id(session, draft_id)
        if draft is None or not actor.id or draft.author_id != actor.id:
            return NOT_AUTHOR.format(verb=verb)
        if not was_composed(session, draft.id):
            log.warning("refused a form %s of draft %s, not composed in the form", verb, draft.id)
            return not_composed(chat.words)
        message = chat.refs.message_of(session, draft.id)
        if message is None:
            return NOT_AUTHOR.format(verb=verb)
        file_ids = chat.refs.photo_files(session, draft.id)
        return OwnDraft(
            id=draft.id,
            message=message,
            text=draft.text,
            files=tuple(
                ChatFile(id=file_id, name=p.filename, mimetype=p.mime_type or "")
                for p, file_id in zip(draft.photos, file_ids, strict=True)
            ),
        )
