"""The `chatbot` command. Heavy imports (Slack, X, OpenCV) happen inside the commands that need
them, so `chatbot check` on text alone starts fast."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from chatbot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"{exc}\nFix these in the environment, .env or CHATBOT_SECRETS_DIR.")


def database_or_exit(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    """An engine for the configured database, brought to the latest migration first."""
    from chatbot.store.db import DatabaseError, make_engine, make_sessionmaker, upgrade

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chatbot")
def main() -> None:
    """Slack approval bot for a primary school's X (Twitter) account."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


# -- configuration -----------------------------------------------------------------------------


@main.command("check-config")
def check_config() -> None:
    """Say what is set, what is missing for `chatbot run`, and what is invalid (no secrets)."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        for name, message in exc.problems:
            click.echo(f"invalid  {name}: {message}")
        sys.exit(USAGE_ERROR)
    for line in describe_settings(settings):
        click.echo(line)
    missing = settings.missing_for_run()
    for name in missing:
        click.echo(f"missing  {name} (needed by `chatbot run`)")
    if not settings.x_credentials_complete:
        click.echo(
            "note     X credentials are not all set: `chatbot run` will run in dry-run mode "
            "and record posts in the audit log instead of publishing them."
        )
    click.echo("ok: ready for `chatbot run`" if not missing else "not ready for `chatbot run`")


def describe_settings(settings: Settings) -> list[str]:
    from pydantic import SecretStr

    lines = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        env = f"CHATBOT_{name.upper()}"
        if isinstance(value, SecretStr):
            shown = "set (hidden)"
        elif value is None or value == ():
            continue
        elif name == "database_url":
            from sqlalchemy.engine import make_url

            shown = make_url(value).render_as_string(hide_password=True)
        elif name == "proxy_url":
            shown = "set (hidden)" if "@" in value else value
        elif isinstance(value, tuple):
            shown = ", ".join(value)
        else:
            shown = str(value)
        lines.append(f"set      {env} = {shown}")
    return lines


# -- database ----------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest migration (safe to run at any time)."""
    settings = settings_or_exit()
    engine, _ = database_or_exit(settings)
    click.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


# -- register: pupils, consent, audit (anchor: REGISTER) ----------------------------------------


# -- policy: check (anchor: POLICY) -------------------------------------------------------------


# -- X and the worker (anchor: PUBLISHING) ------------------------------------------------------


# -- Slack: run (anchor: SLACK) -----------------------------------------------------------------


# -- safeguarding monitors (anchor: MONITORING) -------------------------------------------------


if __name__ == "__main__":
    main()
