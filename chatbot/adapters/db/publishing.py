"""Repository functions for publishing, approval, checking and the views of a draft.

The queries those services make, moved here unchanged (same statements, order and locks);
each takes the unit of work's `Session` first and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import Draft, NetworkMedia, NetworkPost, OutboxItem, Photo
from chatbot.adapters.db.models_monitoring import StaffAccount
from chatbot.adapters.db.models_registers import PupilRow, PupilYear
from chatbot.domain.drafts import DraftState
from chatbot.domain.outbox import OutboxState

# -- drafts ------------------------------------------------------------------------------------


def find_draft(session: Session, draft_id: int | None) -> Draft | None:
    """The draft with this id, or None (from the session's identity map when loaded)."""
    return session.get(Draft, draft_id)


def existing_draft(session: Session, draft_id: int) -> Draft:
    """The draft with this id; raises `sqlalchemy.exc.NoResultFound` if it went away."""
    return session.get_one(Draft, draft_id)


def reload(session: Session, draft: Draft) -> None:
    """Read the draft's row again (after a compare-and-set move changed it in SQL)."""
    session.refresh(draft)


def flush_changes(session: Session) -> None:
    """Write the changes made to loaded rows so far (still inside the transaction)."""
    session.flush()


# -- posts and media on the network ------------------------------------------------------------


def record_post(session: Session, draft_id: int, network: str, post_id: str, url: str) -> None:
    """Store the draft's post on `network` as the publisher named it (replacing an earlier)."""
    session.merge(NetworkPost(draft_id=draft_id, network=network, post_id=post_id, url=url or None))


def post_of(session: Session, draft_id: int, network: str | None = None) -> NetworkPost | None:
    """The draft's post (on `network`, or its first on any)."""
    query = select(NetworkPost).where(NetworkPost.draft_id == draft_id)
    if network is not None:
        query = query.where(NetworkPost.network == network)
    return session.scalar(query.order_by(NetworkPost.network).limit(1))


def record_media(session: Session, photo_id: int, network: str, media_id: str) -> None:
    """Store the media id `network` gave the photo (replacing an earlier)."""
    session.merge(NetworkMedia(photo_id=photo_id, network=network, media_id=media_id))


def purge_photo_data(
    session: Session, finished_states: Iterable[str], untouched_since: datetime, now: datetime
) -> int:
    """Drop the image data of drafts in `finished_states` not updated since then; how many."""
    finished = select(Draft.id).where(
        Draft.state.in_(list(finished_states)), Draft.updated_at < untouched_since
    )
    result = session.execute(
        update(Photo)
        .where(Photo.draft_id.in_(finished), Photo.data.is_not(None))
        .values(data=None, purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# -- the draft's outbox items ------------------------------------------------------------------


def close_items(
    session: Session,
    draft_id: int,
    states: Iterable[OutboxState],
    new: OutboxState,
    kind: str | None = None,
) -> None:
    """Move the draft's outbox items in `states` (of `kind`, if given) to `new`."""
    conditions = [OutboxItem.draft_id == draft_id, OutboxItem.state.in_(tuple(states))]
    if kind is not None:
        conditions.append(OutboxItem.kind == kind)
    session.execute(
        update(OutboxItem)
        .where(*conditions)
        .values(state=new, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def latest_publish_item(session: Session, draft_id: int) -> OutboxItem | None:
    """The draft's newest `publish` outbox item, in any state."""
    return session.scalar(
        select(OutboxItem)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.kind == "publish")
        .order_by(OutboxItem.id.desc())
        .limit(1)
    )


def cancel_open_items(session: Session, draft_id: int) -> None:
    """Cancel every queued or claimed outbox item of the draft (any kind)."""
    session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
        .values(state=OutboxState.CANCELLED, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def pending_takedown(session: Session, draft_id: int) -> OutboxItem | None:
    """The draft's queued or claimed `delete` outbox item, if there is one."""
    return session.scalar(
        select(OutboxItem).where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.kind == "delete",
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
    )


def lock_queued_items(session: Session, draft_id: int) -> None:
    """Lock the draft's queued outbox rows (FOR UPDATE) until the transaction ends."""
    session.execute(
        select(OutboxItem.id)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.state == OutboxState.QUEUED)
        .with_for_update()
    ).all()


def open_publish_progress(session: Session, draft_id: int) -> Sequence[dict[str, Any] | None]:
    """The progress of the draft's queued or claimed `publish` outbox items."""
    return session.scalars(
        select(OutboxItem.progress).where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.kind == "publish",
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
    ).all()


# -- what checking and the views read ----------------------------------------------------------


def pupils_by_id(session: Session, ids: Sequence[int]) -> Sequence[PupilRow]:
    """The pupils with these ids (in no particular order)."""
    return session.scalars(select(PupilRow).where(PupilRow.id.in_(ids))).all()


def year_groups_of(session: Session, ids: Sequence[int]) -> list[tuple[int, str]]:
    """(pupil id, year group) for every year of these pupils, oldest academic year first."""
    rows = session.execute(
        select(PupilYear.pupil_id, PupilYear.year_group)
        .where(PupilYear.pupil_id.in_(ids))
        .order_by(PupilYear.academic_year)
    )
    return [(pupil_id, group) for pupil_id, group in rows]


def staff_display_names(session: Session) -> Sequence[str]:
    """The non-empty display names of staff accounts not removed."""
    return session.scalars(
        select(StaffAccount.display_name).where(
            StaffAccount.removed_at.is_(None), StaffAccount.display_name != ""
        )
    ).all()


def latest_drafts_by(session: Session, author_id: str, limit: int) -> Sequence[Draft]:
    """The author's newest drafts, newest first."""
    return session.scalars(
        select(Draft)
        .where(Draft.author_id == author_id)
        .order_by(Draft.created_at.desc(), Draft.id.desc())
        .limit(limit)
    ).all()


def drafts_awaiting_approval(session: Session, limit: int) -> Sequence[Draft]:
    """Drafts pending approval, oldest first."""
    return session.scalars(
        select(Draft)
        .where(Draft.state == DraftState.PENDING_APPROVAL.value)
        .order_by(Draft.created_at, Draft.id)
        .limit(limit)
    ).all()


def drafts_scheduled(session: Session, limit: int) -> Sequence[Draft]:
    """Scheduled drafts, the soonest to go out first."""
    return session.scalars(
        select(Draft)
        .where(Draft.state == DraftState.SCHEDULED.value)
        .order_by(Draft.not_before, Draft.id)
        .limit(limit)
    ).all()


def latest_decisions(session: Session, limit: int) -> Sequence[Draft]:
    """The drafts SLT decided on most recently, newest first."""
    return session.scalars(
        select(Draft)
        .where(Draft.decided_at.is_not(None))
        .order_by(Draft.decided_at.desc(), Draft.id.desc())
        .limit(limit)
    ).all()
