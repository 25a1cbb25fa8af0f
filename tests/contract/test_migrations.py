"""Migrations: one head, a round trip, and models that match what the migrations build."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from chatbot.store.db import alembic_config, downgrade, make_engine, upgrade
from chatbot.store.models import Base


def test_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(script.get_heads()) == 1


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
