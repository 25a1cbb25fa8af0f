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
    hints, invalid = teams_report(settings) if settings.platform == "teams" else ({}, [])
    for name in missing:
        hint = f": {hints[name]}" if name in hints else ""
        click.echo(f"missing  {name} (needed by `chatbot run`{hint})")
    for problem in invalid:
        click.echo(f"invalid  {problem}")
    if not settings.x_credentials_complete:
        click.echo(
            "note     X credentials are not all set: `chatbot run` will run in dry-run mode "
            "and record posts in the audit log instead of publishing them."
        )
    if settings.platform == "teams":
        for line in teams_notes(settings):
            click.echo(line)
    ready = not missing and not invalid
    click.echo("ok: ready for `chatbot run`" if ready else "not ready for `chatbot run`")
    if invalid:
        sys.exit(USAGE_ERROR)


def teams_report(settings: Settings) -> tuple[dict[str, str], list[str]]:
    """Where to find each unset Teams setting, and the set ones that are wrong (no secrets)."""
    from chatbot.adapters.teams.package import check_teams_settings

    hints: dict[str, str] = {}
    invalid: list[str] = []
    for problem in check_teams_settings(settings):
        name, sep, rest = problem.partition(" is not set")
        if not sep or not name.startswith("CHATBOT_") or " " in name:
            invalid.append(problem)
        elif rest.startswith(" (") and rest.endswith(")"):
            hints[name] = rest[2:-1]  # "CHATBOT_X is not set (where to find it)"
        else:
            hints[name] = rest.removeprefix(": ")  # "CHATBOT_X is not set: why it matters"
    return hints, invalid


def teams_notes(settings: Settings) -> list[str]:
    notes = [
        f"note     Teams must reach https://<this server's public name>/api/messages, which "
        f"`chatbot run` serves on port {settings.teams_port} (CHATBOT_TEAMS_PORT) behind the "
        "reverse proxy or tunnel."
    ]
    if settings.teams_service_url is None:
        notes.append(
            "note     CHATBOT_TEAMS_SERVICE_URL is not set: the bot learns it from the first "
            "message Teams sends (fine once the app is installed in the team)."
        )
    return notes


def describe_settings(settings: Settings) -> list[str]:
    from pydantic import SecretStr

    lines = []
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        env = f"CHATBOT_{name.upper()}"
        if settings.platform == "teams" and name.startswith("slack_") and value == field.default:
            continue  # Slack's defaults mean nothing to a school on Teams
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
