"""The queries of questions about names: the questions asked and the answers given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import Draft, NameAnswer, NameQuestion


def draft_for_update(session: Session, draft_id: int) -> Draft | None:
    """The draft, its row locked until the transaction ends (None if there is none)."""
    return session.scalar(select(Draft).where(Draft.id == draft_id).with_for_update())


def name_answer(session: Session, draft_id: int, question: str) -> NameAnswer | None:
    """The answer recorded to the draft's `question`, if any."""
    return session.scalar(
        select(NameAnswer).where(NameAnswer.draft_id == draft_id, NameAnswer.question == question)
    )


def add_name_answer(
    session: Session,
    *,
    draft_id: int,
    question: str,
    subject: str,
    is_pupil: bool,
    answered_by: str,
    answered_at: datetime,
) -> None:
    """Record the first answer to the draft's `question`."""
    session.add(
        NameAnswer(
            draft_id=draft_id,
            question=question,
            subject=subject,
            is_pupil=is_pupil,
            answered_by=answered_by,
            answered_at=answered_at,
        )
    )


def asked_questions(session: Session, draft_id: int) -> set[str]:
    """The draft's questions already asked (claimed)."""
    return set(
        session.scalars(select(NameQuestion.question).where(NameQuestion.draft_id == draft_id))
    )


def claim_question(session: Session, draft_id: int, question: str) -> bool:
    """Store the draft's `question` as asked; False if another thread claimed it a moment ago."""
    try:
        with session.begin_nested():
            session.add(NameQuestion(draft_id=draft_id, question=question))
    except IntegrityError:
        return False
    return True


def forget_question(session: Session, draft_id: int, question: str) -> None:
    """Store the draft's `question` as not asked, so the next check asks it again."""
    session.execute(
        delete(NameQuestion)
        .where(NameQuestion.draft_id == draft_id, NameQuestion.question == question)
        .execution_options(synchronize_session=False)
    )
