"""Questions about names: "Is 'Frank' here one of our pupils?", asked and answered.

The policy engine marks a name it cannot decide as a question (`Finding.question`, a key of the
name and its sentence). The author or SLT answer it; the answer is checked and stored in one
transaction, audited by the question's key (never the name: the subject may be a pupil's), and
the draft is checked again as an edit would be, so its verdict and card follow.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.intake import draft_by_id, flush_changes
from chatbot.adapters.db.models import Draft
from chatbot.adapters.db.name_questions import (
    add_name_answer,
    asked_questions,
    claim_question,
    draft_for_update,
    forget_question,
    name_answer,
)
from chatbot.adapters.db.repositories import StaleState, audit
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.folding import fold
from chatbot.domain.ids import parse_id
from chatbot.policy.model import Policy
from chatbot.services.checking import settle

log = logging.getLogger(__name__)

# The engine's keys: 20 lower-case hex digits (chatbot/policy/rules/pupil_names.py).
_KEY = re.compile(r"[0-9a-f]{20}")

# Before approval only: an answer re-checks the draft, which must not undo a decision.
ANSWERABLE: frozenset[DraftState] = frozenset(
    {
        DraftState.POSTED,
        DraftState.AWAITING_DECLARATION,
        DraftState.CHECKED,
        DraftState.NEEDS_CHANGES,
        DraftState.PENDING_APPROVAL,
    }
)

UNKNOWN = "That button does not point to a question I know."
NOT_YOURS = "Only the author of the draft (or SLT) can answer this question."
CLOSED = "This draft has been decided on or posted, so its questions are closed."
OUT_OF_DATE = (
    "This question is out of date: the post was edited. "
    "If the name is still in it, the newer question is further down the thread."
)

ACTION_IS_PUPIL = "name_is_pupil"
ACTION_NOT_PUPIL = "name_not_pupil"


def question_value(draft_id: int, question: str) -> str:
    """What a button carries: the draft and the finding's question."""
    return f"{draft_id}:{question}"


def parse_question_value(value: object) -> tuple[int, str] | None:
    """(draft id, question) from a button's value; None if forged or malformed."""
    if not isinstance(value, str):
        return None
    raw_id, sep, question = value.partition(":")
    draft_id = parse_id(raw_id)
    if not sep or draft_id is None or not _KEY.fullmatch(question):
        return None
    return draft_id, question


@dataclass(frozen=True, slots=True)
class NameAnswerResult:
    """What to show: the answer as recorded, or why it was refused (for the clicker only)."""

    ok: bool
    message: str = ""
    subject: str = ""
    is_pupil: bool = False
    answered_by: str = ""
    has_photos: bool = False
    state: DraftState | None = None
    repeated: bool = False  # the same answer was already recorded; nothing changed


def answer_name_question(
    session: Session,
    draft_id: int,
    question: str,
    is_pupil: bool,
    actor: str,
    *,
    is_slt: bool,
    policy: Policy,
    now: datetime,
    actor_name: str | None = None,
) -> NameAnswerResult:
    """Record the author's (or SLT's) answer and check the draft again, in the caller's
    transaction. A second delivery of the same answer records nothing and changes nothing."""
    if not _KEY.fullmatch(question):
        return NameAnswerResult(False, UNKNOWN)
    # The row lock serialises two clicks on one draft (PostgreSQL; SQLite writers queue anyway).
    draft = draft_for_update(session, draft_id)
    if draft is None:
        return NameAnswerResult(False, UNKNOWN)
    if not actor or (draft.author_id != actor and not is_slt):
        return NameAnswerResult(False, NOT_YOURS)
    if DraftState(draft.state) not in ANSWERABLE:
        return NameAnswerResult(False, CLOSED)
    finding = next((f for f in draft.findings if f.question == question), None)
    earlier = name_answer(session, draft_id, question)
    # Current: still asked by a finding, or already answered (an answered finding is no longer
    # a question; a later answer replaces the earlier one).
    if finding is None and earlier is None:
        return NameAnswerResult(False, OUT_OF_DATE)
    has_photos = bool(draft.photos)
    if earlier is not None and earlier.is_pupil == is_pupil:
        return NameAnswerResult(
            True,
            subject=earlier.subject,
            is_pupil=is_pupil,
            answered_by=earlier.answered_by,
            has_photos=has_photos,
            state=DraftState(draft.state),
            repeated=True,
        )
    subject = finding.subject if finding is not None else earlier.subject if earlier else ""
    if earlier is not None:
        earlier.is_pupil, earlier.answered_by, earlier.answered_at = is_pupil, actor, now
    else:
        add_name_answer(
            session,
            draft_id=draft_id,
            question=question,
            subject=subject[:200],
            is_pupil=is_pupil,
            answered_by=actor,
            answered_at=now,
        )
    who = Actor(actor, is_slt=is_slt, name=actor_name)
    audit(
        session,
        actor=who,
        action=ACTION_IS_PUPIL if is_pupil else ACTION_NOT_PUPIL,
        draft_id=draft_id,
        detail={"question": question},  # the key only: the name may be a pupil's
    )
    flush_changes(session)
    state = settle(session, draft_id, policy, now, actor=who)
    return NameAnswerResult(
        True,
        subject=subject,
        is_pupil=is_pupil,
        answered_by=actor,
        has_photos=has_photos,
        state=state,
    )


# -- asking ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    draft_id: int
    question: str
    subject: str
    excerpt: str
    author_id: str


def claim_unasked(session: Session, draft_id: int) -> list[Question]:
    """The draft's questions not yet asked, each claimed (stored as asked) so that a re-check,
    or two at once, ask it only once."""
    draft = draft_by_id(session, draft_id)
    if draft is None or DraftState(draft.state) not in ANSWERABLE:
        return []
    asked = asked_questions(session, draft_id)
    out: list[Question] = []
    for finding in draft.findings:
        if not finding.question or finding.question in asked:
            continue
        asked.add(finding.question)
        if not claim_question(session, draft_id, finding.question):
            continue  # another thread claimed it a moment ago
        out.append(
            Question(
                draft_id=draft_id,
                question=finding.question,
                subject=finding.subject,
                excerpt=finding.excerpt,
                author_id=draft.author_id,
            )
        )
    return out


def forget_asked(session: Session, draft_id: int, question: str) -> None:
    """The question could not be posted: the next check asks it again."""
    forget_question(session, draft_id, question)


BUSY = "Someone has just changed this draft: please answer again in a moment."


@dataclass(frozen=True, slots=True)
class ClickedAnswer:
    result: NameAnswerResult
    draft_id: int | None = None


def answer_clicked(
    sessions: sessionmaker[Session],
    value: object,
    is_pupil: bool,
    actor: Actor,
    *,
    policy: Policy,
    now: datetime,
) -> ClickedAnswer:
    """A click on a question's button: the answer recorded (or refused), in one transaction."""
    parsed = parse_question_value(value)
    if parsed is None:
        log.warning("refused an answer about a name with a malformed value from %s", actor.id)
        return ClickedAnswer(NameAnswerResult(False, UNKNOWN))
    draft_id, question = parsed
    try:
        with transaction(sessions) as session:
            result = answer_name_question(
                session,
                draft_id,
                question,
                is_pupil,
                actor.id,
                is_slt=actor.is_slt,
                policy=policy,
                now=now,
                actor_name=actor.name,
            )
            return ClickedAnswer(result, draft_id)
    except StaleState:  # an edit or a decision moved the draft in the meantime
        return ClickedAnswer(NameAnswerResult(False, BUSY), draft_id)


# -- what SLT see ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClearedName:
    subject: str
    answered_by: str


def cleared_names(draft: Draft) -> tuple[ClearedName, ...]:
    """Names said to be someone else that the post still contains, for the approval card.

    An answer whose name has been edited out, or whose name is asked about again (its sentence
    changed), is not shown: it no longer speaks for the post.
    """
    texts = fold(" ".join([draft.text, *(p.alt_text or "" for p in draft.photos)]))
    pending = {fold(f.subject) for f in draft.findings if f.question}
    out: dict[str, ClearedName] = {}
    for answer in sorted(draft.name_answers, key=lambda a: a.answered_at):
        key = fold(answer.subject)
        if answer.is_pupil or not key or key not in texts or key in pending:
            continue
        out[key] = ClearedName(answer.subject, answer.answered_by)
    return tuple(out.values())
