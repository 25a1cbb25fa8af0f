"""`chatbot db`: database maintenance."""

from __future__ import annotations

import click

from chatbot.entrypoints.common import boot_or_exit, database_or_exit


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest migration (safe to run at any time)."""
    boot = boot_or_exit()
    database_or_exit(boot)
    click.echo(f"database is up to date: {boot.engine.url.render_as_string(hide_password=True)}")
