"""The chat import's preview is the import done in a session that is always rolled back."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, PupilRow
from chatbot.domain.actors import Actor
from chatbot.services.registers import import_roster
from chatbot.services.registers.chat_import import preview
from chatbot.services.roster_csv import FIELDS, parse_roster

OFFICE = Actor("U_OFFICE", is_office=True)
UPN_HEADER = "upn," + ",".join(FIELDS)


def csv(header: str, *lines: str) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        pupils = session.scalar(select(func.count(PupilRow.id))) or 0
        audits = session.scalar(select(func.count(AuditEntry.id))) or 0
    return pupils, audits


def test_a_preview_says_what_the_import_would_do_and_writes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    data = csv(",".join(FIELDS), "Zoë,Smith,,4,2026/27,yes,yes", "Will,Brown,,5,2026/27,yes,no")
    found = preview(sessions, OFFICE, data, "register.csv")
    assert not isinstance(found, str)
    assert found.report is not None
    assert found.report.added == 2
    assert counts(sessions) == (0, 0)
    # The dry run's session let go of the database: the next unit of work can write.
    with sessions.begin() as session:
        import_roster(session, parse_roster(data), actor="cli:office", source="register.csv")
    assert counts(sessions) == (2, 1)


def test_a_preview_the_register_refuses_lists_the_problem_and_writes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        import_roster(
            session,
            parse_roster(
                csv(
                    UPN_HEADER, "H1,Jack,Jones,,2,2026/27,yes,yes", "A2,Jack,Jones,,6,2026/27,no,no"
                )
            ),
            actor="cli:office",
            source="first.csv",
        )
    before = counts(sessions)
    # Without the upn column the register cannot tell the two Jack Joneses apart.
    found = preview(
        sessions,
        OFFICE,
        csv(",".join(FIELDS), "Jack,Jones,,2,2026/27,no,no", "New,Pupil,,3,2026/27,yes,yes"),
        "second.csv",
    )
    assert not isinstance(found, str)
    assert found.report is None
    assert [p.line for p in found.problems] == [2]
    assert "export the upn column too" in found.problems[0].message
    assert counts(sessions) == before == (2, 1)
