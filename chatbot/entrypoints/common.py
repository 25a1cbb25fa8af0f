"""What every command shares: the error exit, settings and database or a clear message, the
actor named in audit rows. Heavy imports stay inside the functions (see main.py)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.settings import Settings

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def settings_or_exit() -> Settings:
    # Imported here: pydantic-settings costs ~90 ms, which `chatbot check` mostly does without.
    from chatbot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"{exc}\nFix these in the environment, .env or CHATBOT_SECRETS_DIR.")


def database_or_exit(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    """An engine for the configured database, brought to the latest migration first."""
    from chatbot.adapters.db.db import DatabaseError, make_engine, make_sessionmaker, upgrade

    try:
        engine = make_engine(settings.effective_database_url)
        upgrade(engine)
    except DatabaseError as exc:
        fail(str(exc))
    except Exception as exc:  # a malformed URL or a missing driver
        fail(f"cannot use CHATBOT_DATABASE_URL: {exc}")
    return engine, make_sessionmaker(engine)


def cli_actor() -> str:
    """Who did it, for audit rows written from the command line."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"
