"""What every command shares: the error exit, settings and database or a clear message, the
actor named in audit rows. Heavy imports stay inside the functions (see main.py)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.bootstrap import Bootstrap
    from chatbot.domain.actors import Actor
    from chatbot.policy.model import Policy
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


def boot_or_exit() -> Bootstrap:
    """The wiring for this command (secrets masked in the log from here on)."""
    from chatbot.bootstrap import Bootstrap

    return Bootstrap(settings_or_exit())


def database_or_exit(boot: Bootstrap) -> sessionmaker[Session]:
    """Sessions on the configured database, brought to the latest migration first."""
    from chatbot.adapters.db.db import DatabaseError

    try:
        return boot.sessions
    except DatabaseError as exc:
        fail(str(exc))


def policy_or_exit(boot: Bootstrap, *, name_setting: bool = False) -> Policy:
    """The policy file, or its problem (prefixed with the setting's name where asked)."""
    from chatbot.policy.engine import PolicyError

    try:
        return boot.policy
    except PolicyError as exc:
        fail(f"CHATBOT_POLICY_FILE: {exc}" if name_setting else str(exc))


def cli_actor() -> Actor:
    """Who did it, for audit rows written from the command line: the server's login (the
    office on the server has no chat id), named for governors as "<login> (command line)"."""
    import getpass

    from chatbot.domain.actors import Actor

    try:
        login = getpass.getuser()
    except Exception:
        return Actor("cli", name="command line")
    return Actor(f"cli:{login}", name=f"{login} (command line)")
