"""The queries of drafts arriving from chat: drafts, their photos, who is pictured, queued work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import (
    AuditEntry,
    Draft,
    OutboxItem,
    Photo,
    PicturedPupil,
    PupilRow,
    utcnow,
)
from chatbot.domain.outbox import OutboxState


def draft_by_id(session: Session, draft_id: int | None) -> Draft | None:
    """The draft with `draft_id`, or None (also when there is no id)."""
    return session.get(Draft, draft_id) if draft_id is not None else None


def the_draft(session: Session, draft_id: int) -> Draft:
    """The draft with `draft_id`, which must exist."""
    return session.get_one(Draft, draft_id)


def add_draft(session: Session, *, author_id: str, source_text: str, text: str, state: str) -> int:
    """Store a new draft and return its id (written at once, so it has one)."""
    draft = Draft(author_id=author_id, source_text=source_text, text=text, state=state)
    session.add(draft)
    session.flush()
    return draft.id


def flush_changes(session: Session) -> None:
    """Write what the session holds now, so the checks that follow query it."""
    session.flush()


def posted_detail(session: Session, draft_id: int) -> dict[str, Any] | None:
    """The detail of the draft's "posted" audit row (None if it has none)."""
    return session.scalar(
        select(AuditEntry.detail).where(
            AuditEntry.draft_id == draft_id, AuditEntry.action == "posted"
        )
    )


def cancel_queued_work(session: Session, draft_id: int) -> int:
    """Cancel the draft's queued outbox items; how many were cancelled."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.state == OutboxState.QUEUED)
        .values(state=OutboxState.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def replace_photos(session: Session, draft: Draft, photos: Iterable[Photo]) -> None:
    """Put `photos` in place of the draft's photo rows, written at once so they have ids."""
    draft.photos.clear()
    session.flush()  # the old rows go before their positions are taken again
    draft.photos.extend(photos)
    session.flush()


def purge_photo_data(session: Session, draft_id: int) -> None:
    """Delete one draft's image data now; the rows stay for the audit."""
    session.execute(
        update(Photo)
        .where(Photo.draft_id == draft_id, Photo.data.is_not(None))
        .values(data=None, purged_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def replace_pictured(session: Session, draft: Draft, pupil_ids: Iterable[int]) -> None:
    """Put the pupils `pupil_ids` in place of those the draft said were pictured."""
    draft.pictured.clear()
    session.flush()
    for pupil_id in pupil_ids:
        draft.pictured.append(PicturedPupil(pupil_id=pupil_id))


def known_pupil_ids(session: Session, pupil_ids: Iterable[int]) -> set[int]:
    """Those of `pupil_ids` that are pupils in the store."""
    return set(session.scalars(select(PupilRow.id).where(PupilRow.id.in_(pupil_ids))))


def pupils_by_ids(session: Session, pupil_ids: Iterable[int]) -> Sequence[PupilRow]:
    """The stored pupils with these ids (those not stored are left out)."""
    return session.scalars(select(PupilRow).where(PupilRow.id.in_(pupil_ids))).all()
