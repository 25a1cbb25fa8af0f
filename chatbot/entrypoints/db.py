"""`chatbot db`: database maintenance."""

from __future__ import annotations

import click

from chatbot.entrypoints.common import database_or_exit, settings_or_exit


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest migration (safe to run at any time)."""
    settings = settings_or_exit()
    engine, _ = database_or_exit(settings)
    click.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")
