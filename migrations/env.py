"""Alembic environment: the bot passes its engine in; by hand, CHATBOT_DATABASE_URL is used."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from chatbot.adapters.db.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from chatbot.adapters.db.db import make_engine
    from chatbot.settings import load_settings

    return make_engine(load_settings().effective_database_url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; pass a database URL")
run_migrations_online()
