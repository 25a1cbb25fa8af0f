"""The name-question service on a real database: parsing, who may answer, current questions,
idempotence, the re-check, asking once, and what the card shows."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft, NameAnswer, utcnow
from chatbot.adapters.slack import refs as slack_refs
from chatbot.domain.academic_year import AcademicYear
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.services.checking import content_of, post_day, settle, stored_verdict
from chatbot.services.name_questions import (
    CLOSED,
    NOT_YOURS,
    OUT_OF_DATE,
    UNKNOWN,
    NameAnswerResult,
    answer_name_question,
    claim_unasked,
    cleared_names,
    forget_asked,
    parse_question_value,
    question_value,
)
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster

AUTHOR = "U0STAFF01"
STRANGER = "U0STAFF02"
HEADER = (
    "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,website_consent"
)
KEY = "0123456789abcdef0123"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def now() -> datetime:
    return utcnow()


@pytest.fixture
def db(sessions: sessionmaker[Session], now: datetime) -> sessionmaker[Session]:
    roster = f"{HEADER}\nFrank,Lee,,4,{AcademicYear.at(now)},yes,yes\n".encode()
    with sessions.begin() as session:
        import_roster(session, parse_roster(roster), actor="test", source="frank.csv")
    return sessions


def new_draft(
    sessions: sessionmaker[Session], policy: Policy, now: datetime, text: str
) -> tuple[int, str]:
    """A checked draft; returns its id and its one question."""
    with sessions.begin() as session:
        draft = Draft(author_id=AUTHOR)
        draft.text = draft.source_text = text
        session.add(draft)
        session.flush()
        settle(session, draft.id, policy, now, actor="system")
        keys = [f.question for f in session.get_one(Draft, draft.id).findings if f.question]
        assert len(keys) == 1
        return draft.id, keys[0]


def answer(
    sessions: sessionmaker[Session],
    policy: Policy,
    now: datetime,
    draft_id: int,
    question: str,
    *,
    is_pupil: bool,
    actor: str = AUTHOR,
    is_slt: bool = False,
) -> NameAnswerResult:
    with sessions.begin() as session:
        return answer_name_question(
            session, draft_id, question, is_pupil, actor, is_slt=is_slt, policy=policy, now=now
        )


def name_audits(sessions: sessionmaker[Session]) -> list[AuditEntry]:
    with sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("name_%")).order_by(AuditEntry.id)
            )
        )


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (f"12:{KEY}", (12, KEY)),
        (question_value(7, KEY), (7, KEY)),
        ("abc", None),
        ("5:deadbeef", None),
        ("12", None),
        (f"12:{KEY.upper()}", None),
        (f"12:{KEY}:1", None),
        (f"-1:{KEY}", None),
        (f"１２:{KEY}", None),  # full-width digits
        (f"1234567890123:{KEY}", None),
        (f" 12:{KEY}", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_question_value(value: object, parsed: tuple[int, str] | None) -> None:
    assert parse_question_value(value) == parsed


def test_someone_else_removes_the_finding_and_is_audited_by_key(
    db: sessionmaker[Session], policy: Policy, now: datetime
) -> None:
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    result = answer(db, policy, now, draft_id, key, is_pupil=False)
    assert result.ok
    assert not result.repeated
    assert result.subject == "Frank"
    with db() as session:
        draft = session.get_one(Draft, draft_id)
        assert draft.state == "pending_approval"
        assert [f.rule for f in draft.findings if f.rule.startswith("pupil-name")] == []
        assert content_of(session, draft, post_day(draft, now)).name_answers == {key: False}
        assert cleared_names(draft)[0].answered_by == AUTHOR
    [row] = name_audits(db)
    assert (row.action, row.actor, row.detail) == ("name_not_pupil", AUTHOR, {"question": key})

    # Delivered again: nothing recorded, nothing re-checked.
    with db() as session:
        moves = session.query(AuditEntry).count()
    again = answer(db, policy, now, draft_id, key, is_pupil=False)
    assert again.ok
    assert again.repeated
    with db() as session:
        assert session.query(AuditEntry).count() == moves
        assert session.query(NameAnswer).count() == 1


def test_a_later_answer_replaces_the_earlier(
    db: sessionmaker[Session], policy: Policy, now: datetime
) -> None:
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    answer(db, policy, now, draft_id, key, is_pupil=False)
    result = answer(db, policy, now, draft_id, key, is_pupil=True, actor="U0SLT0001", is_slt=True)
    assert result.ok
    with db() as session:
        [row] = session.scalars(select(NameAnswer))
        assert (row.is_pupil, row.answered_by) == (True, "U0SLT0001")
        draft = session.get_one(Draft, draft_id)
        [finding] = [f for f in stored_verdict(draft).findings if f.rule == "pupil-name"]
        assert not finding.unsure
        assert cleared_names(draft) == ()
    assert [a.action for a in name_audits(db)] == ["name_not_pupil", "name_is_pupil"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (("deadbeef", AUTHOR, False), UNKNOWN),
        ((KEY, AUTHOR, False), OUT_OF_DATE),
        (("{key}", STRANGER, False), NOT_YOURS),
        (("{key}", "", True), NOT_YOURS),
    ],
)
def test_refusals_store_nothing(
    db: sessionmaker[Session],
    policy: Policy,
    now: datetime,
    case: tuple[str, str, bool],
    message: str,
) -> None:
    raw_key, actor, is_slt = case
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    result = answer(
        db,
        policy,
        now,
        draft_id,
        raw_key.format(key=key),
        is_pupil=False,
        actor=actor,
        is_slt=is_slt,
    )
    assert not result.ok
    assert result.message == message
    assert name_audits(db) == []
    with db() as session:
        assert session.query(NameAnswer).count() == 0
        assert session.get_one(Draft, draft_id).state == "pending_approval"
    missing = answer(db, policy, now, draft_id + 1000, key, is_pupil=False)
    assert missing.message == UNKNOWN


def test_no_answers_after_approval(
    db: sessionmaker[Session], policy: Policy, now: datetime
) -> None:
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    with db.begin() as session:
        session.execute(update(Draft).where(Draft.id == draft_id).values(state="approved"))
    result = answer(db, policy, now, draft_id, key, is_pupil=False)
    assert result.message == CLOSED
    assert name_audits(db) == []


def test_a_question_is_claimed_once_and_released_if_it_could_not_be_asked(
    db: sessionmaker[Session], policy: Policy, now: datetime
) -> None:
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    with db.begin() as session:
        [question] = claim_unasked(session, draft_id)
    assert (question.question, question.subject, question.author_id) == (key, "Frank", AUTHOR)
    with db.begin() as session:
        assert claim_unasked(session, draft_id) == []
        assert slack_refs.asked_at(session, draft_id, key) is None
        forget_asked(session, draft_id, key)
    with db.begin() as session:
        assert [q.question for q in claim_unasked(session, draft_id)] == [key]
        slack_refs.record_asked(session, draft_id, key, ("C0DRAFTS1", "1.000200"))
    with db() as session:
        assert slack_refs.asked_at(session, draft_id, key) == ("C0DRAFTS1", "1.000200")


def test_the_card_shows_a_cleared_name_only_while_the_post_has_it(
    db: sessionmaker[Session], policy: Policy, now: datetime
) -> None:
    draft_id, key = new_draft(db, policy, now, "Frank was brilliant today.")
    answer(db, policy, now, draft_id, key, is_pupil=False)
    with db.begin() as session:
        draft = session.get_one(Draft, draft_id)
        assert [c.subject for c in cleared_names(draft)] == ["Frank"]
        draft.text = "Year 4 was brilliant today."
        session.flush()
        settle(session, draft_id, policy, now, actor=AUTHOR)
    with db() as session:
        assert cleared_names(session.get_one(Draft, draft_id)) == ()
