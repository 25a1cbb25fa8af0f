"""Migration 0007 (pupils by their MIS id) keeps the register, both ways, on SQLite and
PostgreSQL; a downgrade refuses while two pupils share a name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.exc import IntegrityError

from chatbot.adapters.db.db import downgrade, make_engine, upgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def tables(engine: Engine) -> MetaData:
    meta = MetaData()
    meta.reflect(engine)
    return meta


def fill(engine: Engine) -> None:
    t = tables(engine).tables
    with engine.begin() as conn:
        conn.execute(
            t["pupils"].insert(),
            [
                {"id": 1, "first_name": "Zoe", "last_name": "Smith", "preferred_name": "",
                 "match_key": "zoe smith", "created_at": T0},
                {"id": 2, "first_name": "Jack", "last_name": "Jones", "preferred_name": "J",
                 "match_key": "jack jones", "created_at": T0},
            ],
        )  # fmt: skip
        conn.execute(
            t["pupil_years"].insert(),
            [{"id": 1, "pupil_id": 1, "academic_year": "2026/27", "year_group": "4"},
             {"id": 2, "pupil_id": 2, "academic_year": "2026/27", "year_group": "2"}],
        )  # fmt: skip
        conn.execute(
            t["consents"].insert(),
            {"id": 1, "pupil_id": 1, "academic_year": "2026/27", "channel": "twitter",
             "given": False, "recorded_by": "U1", "recorded_at": T0, "withdrawn_at": T0,
             "withdrawn_by": "U2"},
        )  # fmt: skip


def register(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT p.id, p.first_name, p.match_key, y.year_group, c.withdrawn_by"
                    " FROM pupils p JOIN pupil_years y ON y.pupil_id = p.id"
                    " LEFT JOIN consents c ON c.pupil_id = p.id ORDER BY p.id"
                )
            )
        ]


BEFORE = [(1, "Zoe", "zoe smith", "4", "U2"), (2, "Jack", "jack jones", "2", None)]


def test_0007_keeps_the_register_both_ways(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0005")
    fill(engine)
    upgrade(engine, "0007")
    assert register(engine) == BEFORE
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM pupils WHERE upn IS NULL")).scalar() == 2
        conn.execute(text("UPDATE pupils SET upn = 'H1' WHERE id = 2"))
        # a second Jack Jones with an id of their own is allowed
        conn.execute(
            text(
                "INSERT INTO pupils (id, first_name, last_name, preferred_name, match_key, upn,"
                " created_at) VALUES (3, 'Jack', 'Jones', '', 'jack jones', 'H2', :t)"
            ),
            {"t": T0},
        )
    for clash in (
        "INSERT INTO pupils (id, first_name, last_name, preferred_name, match_key, upn,"
        " created_at) VALUES (4, 'Zoe', 'Smith', '', 'zoe smith', NULL, :t)",  # no id, same name
        "INSERT INTO pupils (id, first_name, last_name, preferred_name, match_key, upn,"
        " created_at) VALUES (4, 'Amy', 'Lee', '', 'amy lee', 'H1', :t)",  # one id twice
    ):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(clash), {"t": T0})

    with pytest.raises(RuntimeError, match="1 name"):
        downgrade(engine, "0005")
    assert len(register(engine)) == 2  # nothing changed
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM pupils WHERE id = 3"))
    downgrade(engine, "0005")
    assert register(engine) == BEFORE
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO pupils (id, first_name, last_name, preferred_name, match_key,"
                " created_at) VALUES (5, 'Zoe', 'Smith', '', 'zoe smith', :t)"
            ),
            {"t": T0},
        )
    upgrade(engine)
    assert register(engine) == BEFORE
    engine.dispose()
