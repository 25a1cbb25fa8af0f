"""Migration 0010 (a draft can picture someone not on the register) keeps every draft both
ways; a downgrade leaves such a draft undeclared, so the old version still blocks it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, text

from chatbot.adapters.db.db import downgrade, make_engine, upgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_0010_keeps_the_drafts_both_ways(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0009")
    meta = MetaData()
    meta.reflect(engine)
    base = {"author_id": "U0STAFF01", "source_text": "x", "revision": 1, "created_at": T0,
            "updated_at": T0, "no_pupils": False}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            meta.tables["drafts"].insert(),
            [{**base, "id": 1, "text": "one", "state": "needs_changes", "declared": True},
             {**base, "id": 2, "text": "two", "state": "pending_approval", "declared": True}],
        )  # fmt: skip
    upgrade(engine, "0010")
    query = text("SELECT id, text, declared, unregistered_pictured FROM drafts ORDER BY id")
    with engine.begin() as conn:
        assert [tuple(r) for r in conn.execute(query)] == [(1, "one", 1, 0), (2, "two", 1, 0)]
        conn.execute(
            text("UPDATE drafts SET unregistered_pictured = :yes WHERE id = 1"), {"yes": True}
        )
    downgrade(engine, "0009")
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text("SELECT id, text, declared FROM drafts"))]
    assert sorted(rows) == [(1, "one", 0), (2, "two", 1)]
    engine.dispose()
