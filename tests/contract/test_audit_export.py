"""The audit export: London days, oldest first, and cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, utcnow
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import LONDON
from chatbot.domain.actors import Actor
from chatbot.services.audit_export import COLUMNS, export_audit, safe_cell


def add(sessions: sessionmaker[Session], at: datetime, action: str, **values: object) -> None:
    with sessions.begin() as session:
        session.add(AuditEntry(at=at, actor="U123", action=action, **values))


def export(sessions: sessionmaker[Session], start: date, end: date) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    with sessions() as session:
        count = export_audit(session, start, end, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == count
    return rows


def test_days_are_london_days_inclusive(sessions: sessionmaker[Session]) -> None:
    # 1 July 2026 in London (BST, UTC+1) runs from 30 June 23:00 to 1 July 23:00 UTC.
    add(sessions, datetime(2026, 6, 30, 22, 59, tzinfo=UTC), "before")
    add(sessions, datetime(2026, 6, 30, 23, 0, tzinfo=UTC), "first")
    add(sessions, datetime(2026, 7, 1, 22, 59, tzinfo=UTC), "last")
    add(sessions, datetime(2026, 7, 1, 23, 0, tzinfo=UTC), "after")
    rows = export(sessions, date(2026, 7, 1), date(2026, 7, 1))
    assert [r["action"] for r in rows] == ["first", "last"]
    assert rows[0]["at"] == "2026-07-01T00:00:00+01:00"
    # in winter London is on UTC
    add(sessions, datetime(2026, 12, 1, 0, 0, tzinfo=UTC), "winter")
    (winter,) = export(sessions, date(2026, 12, 1), date(2026, 12, 1))
    assert winter["at"] == "2026-12-01T00:00:00+00:00"


def test_columns_and_detail_as_json(sessions: sessionmaker[Session]) -> None:
    add(
        sessions,
        datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        "rejected",
        draft_id=7,
        subject="draft",
        verdict="warn",
        reason="Spelling: colour",
        detail={"b": 1, "a": "Café"},
    )
    (row,) = export(sessions, date(2026, 11, 2), date(2026, 11, 2))
    assert tuple(row) == COLUMNS
    assert row == {
        "at": "2026-11-02T09:30:00+00:00",
        "actor": "U123",
        "actor_name": "",
        "action": "rejected",
        "draft_id": "7",
        "subject": "draft",
        "verdict": "warn",
        "reason": "Spelling: colour",
        "detail": '{"a": "Café", "b": 1}',
    }


def test_names_beside_ids_as_they_were(sessions: sessionmaker[Session]) -> None:
    """A person's row carries their name as it was then; the bot's and old rows none."""
    with sessions.begin() as session:
        audit(session, actor=Actor("U0SLT0001", is_slt=True, name="Ann Head"), action="approved")
        audit(session, actor=Actor("U0SLT0002", name="=cmd|' /C calc'!A0"), action="rejected")
        audit(session, actor="system", action="photos_purged")
        session.add(AuditEntry(at=utcnow(), actor="U0OLD0001", action="from_before_0008"))
    today = utcnow().astimezone(LONDON).date()
    rows = export(sessions, today, today)
    assert list(rows[0])[:4] == ["at", "actor", "actor_name", "action"]
    assert [(r["actor"], r["actor_name"], r["action"]) for r in rows] == [
        ("U0SLT0001", "Ann Head", "approved"),
        ("U0SLT0002", "'=cmd|' /C calc'!A0", "rejected"),  # a name is not run either
        ("system", "", "photos_purged"),
        ("U0OLD0001", "", "from_before_0008"),
    ]


def test_formulas_are_disarmed(sessions: sessionmaker[Session]) -> None:
    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    add(sessions, at, "rejected", reason='=HYPERLINK("http://evil.example","click")')
    add(sessions, at, "rejected", reason="+44 151 000", subject="@everyone")
    add(sessions, at, "rejected", reason="-1+1", subject="fine = ok")
    rows = export(sessions, date(2026, 11, 3), date(2026, 11, 3))
    assert [r["reason"] for r in rows] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+44 151 000",
        "'-1+1",
    ]
    assert [r["subject"] for r in rows] == ["", "'@everyone", "fine = ok"]


def test_end_before_start_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, pytest.raises(ValueError, match="before the start"):
        export_audit(session, date(2026, 2, 1), date(2026, 1, 1), io.StringIO())


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("\tx", "'\tx"), ("a=b", "a=b"), ("", ""), ("2026", "2026")],
)
def test_safe_cell(value: str, expected: str) -> None:
    assert safe_cell(value) == expected
