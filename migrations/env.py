"""Alembic environment: the bot passes its engine in; by hand, CHATBOT_DATABASE_URL is used."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from chatbot.adapters.db.models import all_tables

config = context.config
target_metadata = all_tables()


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from chatbot.adapters.db.db import make_engine
    from chatbot.settings import load_settings

    return make_engine(load_settings().effective_database_url)


def _pragma(connection: Connection, pragma: str) -> None:
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename): with foreign keys on,
            # dropping the old drafts table would cascade and delete every finding and photo.
            # The pragma works only outside a transaction, so it comes before the first one.
            # (On the DBAPI connection: through SQLAlchemy it would open one, BEGIN IMMEDIATE.)
            _pragma(connection, "foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        connection.commit()
        if sqlite:
            _pragma(connection, "foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; pass a database URL")
run_migrations_online()
