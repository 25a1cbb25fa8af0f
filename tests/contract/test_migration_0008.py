"""Migration 0008 (the actor's name on audit rows) keeps every audit row both ways, leaves old
rows without a name, and keeps the log append-only after each step."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from chatbot.adapters.db.db import downgrade, make_engine, upgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text("SELECT id, actor, action, reason FROM audit_log ORDER BY id")
            )
        ]


def assert_append_only(engine: Engine) -> None:
    for statement in ("UPDATE audit_log SET actor = 'z'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


BEFORE = [(1, "U0SLT0001", "approved", None), (2, "system", "photos_purged", "old")]


def test_0008_keeps_the_audit_log_both_ways(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, action, reason)"
                " VALUES (:i, :t, :a, :x, :r)"
            ),
            [{"i": 1, "t": T0, "a": "U0SLT0001", "x": "approved", "r": None},
             {"i": 2, "t": T0, "a": "system", "x": "photos_purged", "r": "old"}],
        )  # fmt: skip
    upgrade(engine, "0008")
    assert rows(engine) == BEFORE
    with engine.begin() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM audit_log WHERE actor_name IS NULL")).scalar()
            == 2
        )
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, actor_name, action)"
                " VALUES (3, :t, 'U2', 'Ann Head', 'rejected')"
            ),
            {"t": T0},
        )
    assert_append_only(engine)
    downgrade(engine, "0007")
    assert rows(engine) == [*BEFORE, (3, "U2", "rejected", None)]
    assert_append_only(engine)
    assert "actor_name" not in {c["name"] for c in inspect(engine).get_columns("audit_log")}
    upgrade(engine)
    assert rows(engine) == [*BEFORE, (3, "U2", "rejected", None)]
    engine.dispose()
