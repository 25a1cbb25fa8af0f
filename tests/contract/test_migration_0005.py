"""Migration 0005 (platform refs out of the core) keeps every row, both ways.

A database at 0004 is filled with what a school's would hold (drafts in many states, cards,
posts on X and dry runs, photos with Slack files and X media, name questions asked or only
claimed, staff accounts, alert cards, and the rows that hang off drafts), upgraded, read back
through the new tables, and downgraded to 0004 again, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, inspect, select, text
from sqlalchemy.exc import IntegrityError

from chatbot.adapters.db.db import downgrade, make_engine, upgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
Rows = dict[str, dict[int, dict[str, Any]]]

# (id, state, card?, post id, post url)
DRAFTS = [
    (1, "posted", False, None, None),
    (2, "pending_approval", True, None, None),
    (3, "published", True, "1862345678901234567", "https://x.com/i/status/1862345678901234567"),
    (4, "published", True, "dryrun-1732000000000", None),
    (5, "withdrawn", True, None, None),
    (6, "needs_review", True, None, None),
    (
        7,
        "published",
        True,
        "1862345678901234999",
        "https://x.com/HuntsCrossPri/status/1862345678901234999",
    ),
]


def _fill(engine: Engine) -> None:
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    at = {"created_at": T0, "updated_at": T0}
    with engine.begin() as conn:
        for draft_id, state, card, post_id, url in DRAFTS:
            conn.execute(
                t["drafts"].insert(),
                {
                    "id": draft_id,
                    "channel_id": "C0DRAFTS1",
                    "message_ts": f"1732000{draft_id:03d}.000{draft_id}00",
                    "author_id": f"U0STAFF0{draft_id % 3}",
                    "source_text": f"Draft {draft_id} <https://example.org|link>",
                    "text": f"Draft {draft_id} https://example.org",
                    "state": state,
                    "verdict": "pass",
                    "revision": draft_id,
                    "declared": draft_id % 2 == 0,
                    "no_pupils": draft_id == 4,
                    "decided_by": "U0HEAD001" if state != "posted" else None,
                    "decided_at": T0 + timedelta(hours=1) if state != "posted" else None,
                    "card_channel": "C0APPROV1" if card else None,
                    "card_ts": f"1732100{draft_id:03d}.000100" if card else None,
                    "x_post_id": post_id,
                    "x_post_url": url,
                    **at,
                },
            )
        photos = [
            (1, 2, 0, "F0PHOTO01", None),
            (2, 2, 1, "F0PHOTO02", None),
            (3, 3, 0, "F0PHOTO03", "1862345678901230001"),
            (4, 4, 0, "F0PHOTO04", "dryrun-media-1732000000001"),
            (5, 5, 0, None, None),  # a file whose id was never known
        ]
        for photo_id, draft_id, position, file_id, media_id in photos:
            conn.execute(
                t["photos"].insert(),
                {
                    "id": photo_id,
                    "draft_id": draft_id,
                    "position": position,
                    "slack_file_id": file_id,
                    "filename": f"IMG_{photo_id}.jpg",
                    "mime_type": "image/jpeg",
                    "data": b"\xff\xd8" + bytes([photo_id]) * 8,
                    "sha256": f"{photo_id:064d}",
                    "width": 1200,
                    "height": 900,
                    "face_count": photo_id % 3,
                    "alt_text": f"Children in photo {photo_id}",
                    "x_media_id": media_id,
                },
            )
        for finding_id, draft_id in ((1, 2), (2, 6), (3, 3)):
            conn.execute(
                t["findings"].insert(),
                {
                    "id": finding_id,
                    "draft_id": draft_id,
                    "rule": "pupil-names",
                    "severity": "warn",
                    "message": "A name",
                    "clause": "4.2",
                    "excerpt": "Frank",
                    "overridable": True,
                    "question": f"q{finding_id:019d}",
                    "subject": "Frank",
                },
            )
        conn.execute(
            t["name_questions"].insert(),
            [
                {"id": 1, "draft_id": 2, "question": "q1", "channel_id": "C0DRAFTS1",
                 "message_ts": "1732000002.000300", "asked_at": T0},
                {"id": 2, "draft_id": 6, "question": "q2", "channel_id": None,
                 "message_ts": None, "asked_at": T0},  # claimed, never posted
            ],
        )  # fmt: skip
        conn.execute(
            t["name_answers"].insert(),
            {"id": 1, "draft_id": 2, "question": "q1", "subject": "Frank", "is_pupil": False,
             "answered_by": "U0STAFF02", "answered_at": T0},
        )  # fmt: skip
        conn.execute(
            t["pupils"].insert(),
            {"id": 1, "first_name": "Zoe", "last_name": "Smith", "preferred_name": "",
             "match_key": "zoe smith", "created_at": T0},
        )  # fmt: skip
        conn.execute(t["pictured_pupils"].insert(), {"id": 1, "draft_id": 2, "pupil_id": 1})
        conn.execute(
            t["outbox"].insert(),
            [
                {"id": 1, "draft_id": 3, "kind": "publish", "state": "done", "due_at": T0,
                 "attempts": 1, "created_at": T0, "progress": {"media": {"3": {"id": "1"}}}},
                {"id": 2, "draft_id": 7, "kind": "delete", "state": "queued", "due_at": T0,
                 "attempts": 0, "created_at": T0, "progress": None},
            ],
        )  # fmt: skip
        conn.execute(
            t["audit_log"].insert(),
            {"id": 1, "at": T0, "actor": "system", "action": "published", "draft_id": 3,
             "detail": {"post_id": "1862345678901234567"}},
        )  # fmt: skip
        conn.execute(
            t["staff_accounts"].insert(),
            [
                {"id": 1, "handle": "mrsteach", "x_user_id": "2244994945",
                 "slack_user": "U0TEACH01", "display_name": "", "opted_in_at": T0},
                {"id": 2, "handle": "mrteach", "x_user_id": None, "slack_user": "W0TEACH02",
                 "display_name": "Mr T", "opted_in_at": T0, "removed_at": T0},
            ],
        )  # fmt: skip
        conn.execute(
            t["alerts"].insert(),
            [
                {"id": 1, "kind": "staff_follower", "subject_id": "99", "subject_handle": "zoe",
                 "staff_account_id": 1, "rule": "pupil-name", "evidence": "e",
                 "evidence_key": "k1", "state": "open", "card_channel": "C0SAFEG01",
                 "card_ts": "1732200000.000100", "created_at": T0},
                {"id": 2, "kind": "mention", "subject_id": "98", "subject_handle": "bob",
                 "staff_account_id": None, "rule": "offensive", "evidence": "e",
                 "evidence_key": "k2", "state": "dismissed", "card_channel": None,
                 "card_ts": None, "created_at": T0, "post_id": "1862345678901230077"},
            ],
        )  # fmt: skip


def _snapshot(engine: Engine) -> Rows:
    """Every row of every table, by id (or by its whole key)."""
    meta = MetaData()
    meta.reflect(engine)
    out: Rows = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in conn.execute(select(table))]
            key = [c.name for c in table.primary_key.columns]
            out[name] = {hash(tuple(str(r[k]) for k in key)): r for r in rows}
    return out


def _as_before(engine: Engine, after: Rows) -> Rows:
    """The upgraded database read back into 0004's shape through the new ref tables."""
    with engine.connect() as conn:

        def pairs(sql: str) -> dict[int, tuple[Any, ...]]:
            return {int(r[0]): tuple(r[1:]) for r in conn.execute(text(sql))}

        messages = pairs("SELECT draft_id, channel, ts FROM slack_messages")
        cards = pairs("SELECT draft_id, channel, ts FROM slack_cards")
        posts = pairs("SELECT draft_id, post_id, url FROM network_posts WHERE network = 'x'")
        files = pairs("SELECT photo_id, file_id FROM slack_files")
        media = pairs("SELECT photo_id, media_id FROM network_media WHERE network = 'x'")
        asked = pairs("SELECT question_id, channel, ts FROM slack_questions")
        alert_cards = pairs("SELECT alert_id, channel, ts FROM slack_alert_cards")
    view = {name: {k: dict(r) for k, r in rows.items()} for name, rows in after.items()}
    for name in (
        "slack_messages",
        "slack_cards",
        "slack_files",
        "slack_questions",
        "slack_alert_cards",
        "network_posts",
        "network_media",
    ):
        view.pop(name)
    for row in view["drafts"].values():
        row["channel_id"], row["message_ts"] = messages[row["id"]]
        row["card_channel"], row["card_ts"] = cards.get(row["id"], (None, None))
        row["x_post_id"], row["x_post_url"] = posts.get(row["id"], (None, None))
    for row in view["photos"].values():
        row["slack_file_id"] = files.get(row["id"], (None,))[0]
        row["x_media_id"] = media.get(row["id"], (None,))[0]
    for row in view["name_questions"].values():
        row["channel_id"], row["message_ts"] = asked.get(row["id"], (None, None))
    for row in view["alerts"].values():
        row["card_channel"], row["card_ts"] = alert_cards.get(row["id"], (None, None))
    for row in view["staff_accounts"].values():
        row["slack_user"] = row.pop("chat_user")
    return view


def test_0005_moves_every_ref_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0004")
    _fill(engine)
    before = _snapshot(engine)
    assert len(before["drafts"]) == len(DRAFTS)

    upgrade(engine, "0005")  # not head: later revisions add columns of their own
    columns = {c["name"] for c in inspect(engine).get_columns("drafts")}
    assert not columns & {"channel_id", "message_ts", "card_ts", "x_post_id", "x_post_url"}
    after = _snapshot(engine)
    assert _as_before(engine, after) == before
    with engine.connect() as conn:
        networks = conn.execute(text("SELECT DISTINCT network FROM network_posts")).scalars()
        assert list(networks) == ["x"]

    downgrade(engine, "0004")
    assert _snapshot(engine) == before
    # ...and up again, for a school that rolled back and forward
    upgrade(engine, "0005")
    assert _snapshot(engine) == after
    engine.dispose()


def test_0005_keeps_a_slack_message_to_one_draft(database_url: str) -> None:
    """The unique (channel, ts) that makes intake idempotent is in the migrated schema."""
    engine = make_engine(database_url)
    upgrade(engine)
    insert = (
        "INSERT INTO drafts (id, author_id, source_text, text, state, revision, declared,"
        " no_pupils, created_at, updated_at) VALUES (:id, 'U', 'x', 'x', 'posted', 1, false,"
        " false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    link = "INSERT INTO slack_messages (draft_id, channel, ts) VALUES (:id, 'C1', '1.0')"
    with engine.begin() as conn:
        conn.execute(text(insert), [{"id": 1}, {"id": 2}])
        conn.execute(text(link), {"id": 1})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(link), {"id": 2})
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM drafts WHERE id = 1"))  # its link goes with it
        assert conn.execute(text("SELECT count(*) FROM slack_messages")).scalar_one() == 0
    engine.dispose()
