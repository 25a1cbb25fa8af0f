"""Shared fixtures. Every test that touches a database gets a fresh one, migrated to head.

With CHATBOT_TEST_DATABASE_URL set (CI does), that PostgreSQL server is used, one schema per
test, and the run fails at once if it does not answer: it never silently falls back to SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import (
    make_engine,
    make_sessionmaker,
    normalise_url,
    scratch_schema,
    upgrade,
)
from tests.fakes.slack_server import fake_slack  # noqa: F401 (fixture for every test)

FIXTURES = Path(__file__).parent / "fixtures"
PHOTOS = FIXTURES / "photos"
PG_URL = os.environ.get("CHATBOT_TEST_DATABASE_URL")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not PG_URL:
        return
    try:
        engine = create_engine(normalise_url(PG_URL))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        raise pytest.UsageError(
            f"CHATBOT_TEST_DATABASE_URL is set but the server does not answer: {exc}"
        ) from exc


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of the kind under test."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    with scratch_schema(PG_URL, prefix="t") as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)
