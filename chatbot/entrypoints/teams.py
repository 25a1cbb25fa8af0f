"""`chatbot teams package`: the app zip a school uploads in Teams admin."""

from __future__ import annotations

from pathlib import Path

import click

from chatbot.entrypoints.common import fail, settings_or_exit

DEFAULT_PACKAGE = "chatbot-teams-app.zip"


@click.group("teams")
def teams_group() -> None:
    """Microsoft Teams: the app package to upload."""


@click.command("package")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=True, file_okay=True),
    default=Path(DEFAULT_PACKAGE),
    show_default=True,
    help="Where to write the zip (a folder: the zip goes inside it).",
)
def package_command(out: Path) -> None:
    """Write the Teams app zip (manifest.json and two icons) from CHATBOT_TEAMS_APP_ID.

    Upload it in Teams admin centre > Teams apps > Manage apps > Upload new app, then add the
    app to the team that holds the drafts, approvals and safeguarding channels.
    """
    # Pillow and the manifest code load only here, so other commands start without them.
    from chatbot.adapters.teams.package import build_package

    settings = settings_or_exit()
    if settings.teams_app_id is None:
        fail(
            "CHATBOT_TEAMS_APP_ID is not set: put the bot's Application (client) ID, from its app "
            "registration's Overview page in Entra admin centre, in the environment or .env "
            "(see docs/teams-setup.md)"
        )
    path = out / DEFAULT_PACKAGE if out.is_dir() else out
    try:
        written = build_package(settings, path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"wrote {written}")
    click.echo(
        "next: upload it in Teams admin centre > Teams apps > Manage apps > Upload new app, "
        "then add the app to the team with the drafts, approvals and safeguarding channels."
    )
    if settings.platform != "teams":
        click.echo("note: CHATBOT_PLATFORM is not teams, so `chatbot run` would serve Slack.")


teams_group.add_command(package_command)
