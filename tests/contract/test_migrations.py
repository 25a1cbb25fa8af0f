"""Migrations: one head, a round trip, and models that match what the migrations build."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from chatbot.adapters.db.db import alembic_config, downgrade, make_engine, upgrade
from chatbot.adapters.db.models import all_tables


def test_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), all_tables())
    assert diff == []


def test_upgrade_downgrade_round_trip(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    assert "drafts" in inspect(engine).get_table_names()
    downgrade(engine, "base")
    assert "drafts" not in inspect(engine).get_table_names()
    upgrade(engine)
    upgrade(engine)  # idempotent: already at head
    assert "drafts" in inspect(engine).get_table_names()
    engine.dispose()


def test_audit_log_is_append_only(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (at, actor, action) VALUES (CURRENT_TIMESTAMP, 'a', 'b')")
        )
    for statement in ("UPDATE audit_log SET actor = 'z'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalar_one() == "a"


def test_0003_keeps_findings_both_ways(database_url: str) -> None:
    """Name questions (0003): existing findings get an empty question, and keep their data when
    the revision is taken back out."""
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    draft = (
        "INSERT INTO drafts (id, channel_id, message_ts, author_id, source_text, text, state,"
        " revision, declared, no_pupils, created_at, updated_at) VALUES (1, 'C', '1.0', 'U',"
        " 'x', 'x', 'needs_changes', 1, false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    finding = (
        "INSERT INTO findings (id, draft_id, rule, severity, message, clause, excerpt,"
        " overridable) VALUES (1, 1, 'textspeak', 'block', 'gr8', 'c', 'e', false)"
    )
    answer = (
        "INSERT INTO name_answers (draft_id, question, subject, is_pupil, answered_by,"
        " answered_at) VALUES (1, 'k', 'Frank', false, 'U', CURRENT_TIMESTAMP)"
    )
    with engine.begin() as conn:
        conn.execute(text(draft))
        conn.execute(text(finding))
    upgrade(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT message, question, subject FROM findings")).one()
        assert tuple(row) == ("gr8", "", "")
        conn.execute(text(answer))
    downgrade(engine, "0002")
    assert "name_answers" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT message, rule FROM findings")).one() == (
            "gr8",
            "textspeak",
        )
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(answer))
        conn.execute(text("DELETE FROM drafts"))  # the answers go with their draft
        assert conn.execute(text("SELECT count(*) FROM name_answers")).scalar_one() == 0
    engine.dispose()
