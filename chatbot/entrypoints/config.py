"""`chatbot check-config`: what is set, missing and invalid, never a secret."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import USAGE_ERROR

if TYPE_CHECKING:
    from chatbot.settings import Settings


@click.command("check-config")
def check_config() -> None:
    """Say what is set, what is missing for `chatbot run`, and what is invalid (no secrets)."""
    from chatbot.settings import SettingsError, load_settings

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
