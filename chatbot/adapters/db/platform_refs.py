"""What every chat adapter's refs tables do alike: map our drafts, cards, alert cards, name
questions and photos to the platform's (place, id) of a message and its file ids.

Each adapter declares its own tables (slack_*, teams_*: the platforms' ids differ in length and
name) and hands them to `PlatformRefs` with the names of its two columns; the queries live here
once. `PlatformRefs` is the adapter's `MessageRefs` (services/ports.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatbot.adapters.db.base import Base
from chatbot.adapters.db.models import NameQuestion, Photo
from chatbot.services.ports import MessageRef

Where = tuple[str, str]  # (the platform's place, the message's id there)


@dataclass(frozen=True, slots=True)
class RefTables:
    """One adapter's tables. Each but `file` has the columns `place` and `id` name; `file` has
    `photo_id` and `file_id`."""

    message: type[Base]  # keyed by draft_id, unique on (place, id)
    card: type[Base]  # keyed by draft_id
    alert_card: type[Base]  # keyed by alert_id
    question: type[Base]  # keyed by question_id
    file: type[Base]  # keyed by photo_id
    review_card: type[Base]  # keyed by review_id (a past-posts review's card)
    place: str  # the column holding the place ("channel")
    id: str  # the column holding the message's id ("ts")


class PlatformRefs:
    """`MessageRefs` and the other lookups over one adapter's `RefTables`."""

    def __init__(self, tables: RefTables) -> None:
        self.tables = tables

    def _where(self, row: Any) -> Where | None:
        t = self.tables
        return (getattr(row, t.place), getattr(row, t.id)) if row is not None else None

    def _row(self, table: type[Base], key: str, key_value: int, where: Where) -> Base:
        return table(**{key: key_value, self.tables.place: where[0], self.tables.id: where[1]})

    # -- MessageRefs -----------------------------------------------------------------------

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        t = self.tables
        found: int | None = session.scalar(
            select(t.message.draft_id).where(  # type: ignore[attr-defined]
                getattr(t.message, t.place) == ref.place, getattr(t.message, t.id) == ref.id
            )
        )
        return found

    def link_draft(self, session: Session, draft_id: int, ref: MessageRef) -> None:
        session.add(self._row(self.tables.message, "draft_id", draft_id, (ref.place, ref.id)))
        session.flush()  # the unique (place, id) fails here for a redelivery

    def message_of(self, session: Session, draft_id: int) -> MessageRef | None:
        where = self.message_where(session, draft_id)
        return MessageRef(place=where[0], id=where[1]) if where else None

    def link_files(self, session: Session, photos: Sequence[tuple[int, str]]) -> None:
        table: Any = self.tables.file
        session.execute(delete(table).where(table.photo_id.in_([p for p, _ in photos])))
        session.add_all(table(photo_id=p, file_id=f) for p, f in photos if f)
        session.flush()

    def photo_files(self, session: Session, draft_id: int) -> list[str]:
        return self.file_ids(session, draft_id)

    # -- the adapter's own lookups ---------------------------------------------------------

    def message_where(self, session: Session, draft_id: int) -> Where | None:
        return self._where(session.get(self.tables.message, draft_id))

    def card_of(self, session: Session, draft_id: int) -> Where | None:
        return self._where(session.get(self.tables.card, draft_id))

    def alert_card_of(self, session: Session, alert_id: int) -> Where | None:
        return self._where(session.get(self.tables.alert_card, alert_id))

    def review_card_of(self, session: Session, review_id: int) -> Where | None:
        return self._where(session.get(self.tables.review_card, review_id))

    def review_at(self, session: Session, where: Where) -> int | None:
        """The review whose card is this message (what a click on it is about)."""
        t = self.tables
        found: int | None = session.scalar(
            select(t.review_card.review_id).where(  # type: ignore[attr-defined]
                getattr(t.review_card, t.place) == where[0],
                getattr(t.review_card, t.id) == where[1],
            )
        )
        return found

    def record_card(self, session: Session, table: type[Base], row_id: int, where: Where) -> bool:
        """Remember where a card (`table`: the card, alert card or review card table) went
        unless one is remembered already (compare-and-set); True if this call's card is the
        one kept."""
        t = self.tables
        key = {t.card: "draft_id", t.alert_card: "alert_id", t.review_card: "review_id"}[table]
        try:
            with session.begin_nested():
                session.add(self._row(table, key, row_id, where))
        except IntegrityError:
            return False  # another process posted first; its card stays the one we redraw
        return True

    def file_ids(self, session: Session, draft_id: int) -> list[str]:
        """The platform's file of each of the draft's photos, in order ('' where unknown)."""
        table: Any = self.tables.file
        rows = session.execute(
            select(Photo.id, table.file_id)
            .outerjoin(table, table.photo_id == Photo.id)
            .where(Photo.draft_id == draft_id)
            .order_by(Photo.position)
        ).all()
        return [file_id or "" for _photo, file_id in rows]

    def record_asked(self, session: Session, draft_id: int, question: str, where: Where) -> None:
        """Where the question was posted, so its message can show the answer later."""
        question_id = _question_id(session, draft_id, question)
        if question_id is not None:
            session.merge(self._row(self.tables.question, "question_id", question_id, where))

    def asked_at(self, session: Session, draft_id: int, question: str) -> Where | None:
        """Where the question's message is, if it was posted."""
        question_id = _question_id(session, draft_id, question)
        if question_id is None:
            return None
        return self._where(session.get(self.tables.question, question_id))


def _question_id(session: Session, draft_id: int, question: str) -> int | None:
    return session.scalar(
        select(NameQuestion.id).where(
            NameQuestion.draft_id == draft_id, NameQuestion.question == question
        )
    )
