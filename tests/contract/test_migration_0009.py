"""Migration 0009 (past post reviews) adds its tables and takes them out again without touching
the drafts, the pupils pictured in them or their posts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, MetaData, inspect, text

from chatbot.adapters.db.db import downgrade, make_engine, upgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NEW = {"past_post_reviews", "past_post_items", "slack_review_cards", "teams_review_cards"}


def tables(engine: Engine) -> MetaData:
    meta = MetaData()
    meta.reflect(engine)
    return meta


def kept(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT d.id, d.state, pp.pupil_id, n.post_id FROM drafts d"
                    " JOIN pictured_pupils pp ON pp.draft_id = d.id"
                    " JOIN network_posts n ON n.draft_id = d.id ORDER BY d.id"
                )
            )
        ]


def test_0009_round_trip_keeps_published_drafts_and_who_they_picture(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0008")
    t = tables(engine).tables
    with engine.begin() as conn:
        conn.execute(
            t["pupils"].insert(),
            {"id": 1, "first_name": "Zoe", "last_name": "Smith", "preferred_name": "",
             "match_key": "zoe smith", "created_at": T0},
        )  # fmt: skip
        conn.execute(
            t["drafts"].insert(),
            {"id": 1, "author_id": "U1", "source_text": "x", "text": "x", "state": "published",
             "revision": 1, "declared": True, "no_pupils": False, "created_at": T0,
             "updated_at": T0},
        )  # fmt: skip
        conn.execute(t["pictured_pupils"].insert(), {"id": 1, "draft_id": 1, "pupil_id": 1})
        conn.execute(
            t["network_posts"].insert(),
            {"draft_id": 1, "network": "x", "post_id": "77", "url": "https://x.com/i/status/77"},
        )
    before = kept(engine)
    assert before == [(1, "published", 1, "77")]

    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= NEW
    t = tables(engine).tables
    with engine.begin() as conn:
        conn.execute(
            t["past_post_reviews"].insert(), {"id": 1, "pupil_id": 1, "opened_by": "U2",
                                              "opened_at": T0},
        )  # fmt: skip
        conn.execute(
            t["past_post_items"].insert(),
            {"id": 1, "review_id": 1, "draft_id": 1, "network": "x", "post_id": "77",
             "decision": "keep", "decided_by": "U3", "decided_at": T0, "reason": "fine"},
        )  # fmt: skip
    assert kept(engine) == before

    downgrade(engine, "0008")
    assert not NEW & set(inspect(engine).get_table_names())
    assert kept(engine) == before
    engine.dispose()
