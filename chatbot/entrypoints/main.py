"""The `chatbot` command. Each group lives in its own module; heavy imports (Slack, X, OpenCV,
SQLAlchemy) happen inside the commands that need them, so `chatbot check` on text starts fast."""

from __future__ import annotations

import click

from chatbot.entrypoints import audit, check, config, db, monitor, pupils, serve, teams, x
from chatbot.logs import configure_default_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chatbot")
def main() -> None:
    """Slack approval bot for a primary school's X (Twitter) account."""
    configure_default_logging()


for command in (
    config.check_config,
    db.db,
    pupils.pupils,
    pupils.consent,
    audit.audit_group,
    check.check,
    serve.worker_command,
    serve.run_command,
    x.x_group,
    monitor.staff_group,
    monitor.monitor_command,
    teams.teams_group,
):
    main.add_command(command)


if __name__ == "__main__":
    main()
