"""`chatbot run` (the chat platform and the worker) and `chatbot worker` (the worker alone).

Both get their objects from `chatbot.bootstrap` and log through the redacting filter."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from chatbot.bootstrap import Bootstrap

from chatbot.entrypoints.common import boot_or_exit, database_or_exit, fail, policy_or_exit


@click.command("worker")
@click.option("--poll-seconds", default=2.0, show_default=True, help="Pause when idle.")
@click.option("--drain", is_flag=True, help="Stop once nothing is due or in hand.")
@click.option("--lease-seconds", default=300.0, hidden=True)
def worker_command(poll_seconds: float, drain: bool, lease_seconds: float) -> None:
    """Publish approved posts and run periodic tasks, without Slack, until SIGTERM or Ctrl+C.

    Without X credentials it runs as a dry run (posts are recorded in the audit log only).
    """
    import threading

    from chatbot.lifecycle import stop_on_signals
    from chatbot.logs import LogLevelError, configure_logging

    boot = boot_or_exit()
    policy_or_exit(boot)
    try:
        configure_logging(boot.settings.log_level)
    except LogLevelError:
        level = boot.settings.log_level
        fail(f"CHATBOT_LOG_LEVEL {level!r} is not DEBUG, INFO, WARNING or ERROR")
    database_or_exit(boot)
    if boot.publisher.is_dry_run:
        click.echo("X credentials are not all set: dry run, nothing is sent to X.", err=True)
    worker = boot.worker(lease_seconds=lease_seconds)
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        worker.run(stop, poll_seconds, drain=drain)
    finally:
        boot.close()


_RUN_SETTING_HINTS = {
    "CHATBOT_SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    "CHATBOT_SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write, from "
    "Basic Information > App-Level Tokens",
    "CHATBOT_DRAFTS_CHANNEL": "the id of the channel where staff post drafts (like C012AB3CD)",
    "CHATBOT_APPROVALS_CHANNEL": "the id of the channel where SLT approve posts",
    "CHATBOT_SAFEGUARDING_CHANNEL": "the id of the private channel for safeguarding alerts",
    "CHATBOT_SLT_USERS": "the member ids of SLT, comma-separated (or CHATBOT_SLT_USERGROUP)",
}


@click.command("run")
def run_command() -> None:
    """Serve Slack (Socket Mode) and publish approved posts, until SIGTERM or Ctrl+C.

    Exit status: 0 after a clean stop, 2 when a setting must be fixed, 1 when Slack or the
    network could not be reached (a restart may help).
    """
    from chatbot.lifecycle import StartupError
    from chatbot.logs import LogLevelError, configure_logging

    boot = boot_or_exit()
    settings = boot.settings
    try:
        configure_logging(settings.log_level)
    except LogLevelError as exc:
        fail(str(exc))
    missing = settings.missing_for_run()
    if missing:
        hints = _RUN_SETTING_HINTS
        if settings.platform == "teams":
            from chatbot.entrypoints.config import teams_report

            hints = teams_report(settings)[0]  # where to find each, in Teams' words
        lines = [f"{name} is not set: {hints.get(name, '')}" for name in missing]
        fail("`chatbot run` needs these settings:\n  " + "\n  ".join(lines))
    database_or_exit(boot)
    try:
        status = _serve(boot)
    except StartupError as exc:
        fail(str(exc), exc.exit_code)
    finally:
        boot.close()
    sys.exit(status)


def _serve(boot: Bootstrap) -> int:
    """Check and connect the chat platform, run the worker beside it until SIGTERM/SIGINT."""
    from chatbot.lifecycle import Shutdown, StartupError, exit_now, log, serve
    from chatbot.policy.engine import PolicyError

    try:
        boot.policy  # noqa: B018 (loaded now, so a broken file stops the start)
    except PolicyError as exc:
        raise StartupError(f"CHATBOT_POLICY_FILE: {exc}") from None
    shutdown = Shutdown(exit_now)
    shutdown.install()
    connection = boot.start_chat()
    if boot.publisher.is_dry_run:
        log.warning(
            "X credentials are not all set: dry run, approved posts are recorded, not published"
        )
    return serve(connection, boot.worker, shutdown)
