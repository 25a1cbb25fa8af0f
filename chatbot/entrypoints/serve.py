"""`chatbot run` (the chat platform and the worker) and `chatbot worker` (the worker alone)."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import database_or_exit, fail, settings_or_exit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.services.ports import ChatGateway
    from chatbot.settings import Settings


@click.command("worker")
@click.option("--poll-seconds", default=2.0, show_default=True, help="Pause when idle.")
@click.option("--drain", is_flag=True, help="Stop once nothing is due or in hand.")
@click.option("--lease-seconds", default=300.0, hidden=True)
def worker_command(poll_seconds: float, drain: bool, lease_seconds: float) -> None:
    """Publish approved posts and run periodic tasks, without Slack, until SIGTERM or Ctrl+C.

    Without X credentials it runs as a dry run (posts are recorded in the audit log only).
    """
    import signal
    import threading

    from chatbot.adapters.x import make_publisher
    from chatbot.policy.engine import PolicyError, load_policy
    from chatbot.worker import worker_for_policy

    settings = settings_or_exit()
    try:
        policy = load_policy(settings.policy_file)
    except PolicyError as exc:
        fail(str(exc))
    try:
        logging.getLogger().setLevel(settings.log_level.upper())
    except ValueError:
        fail(f"CHATBOT_LOG_LEVEL {settings.log_level!r} is not DEBUG, INFO, WARNING or ERROR")
    engine, sessions = database_or_exit(settings)
    publisher = make_publisher(settings)
    if publisher.is_dry_run:
        click.echo("X credentials are not all set: dry run, nothing is sent to X.", err=True)
    chat = _worker_chat(settings, sessions)
    worker = worker_for_policy(sessions, publisher, chat, policy, lease_seconds=lease_seconds)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        worker.run(stop, poll_seconds, drain=drain)
    finally:
        engine.dispose()


def _worker_chat(settings: Settings, sessions: sessionmaker[Session]) -> ChatGateway:
    """Slack when it is configured, so SLT hear about failures; otherwise the log."""
    from chatbot.worker import LogOnlyChat

    if settings.slack_bot_token is None or settings.approvals_channel is None:
        return LogOnlyChat()
    try:
        from slack_sdk import WebClient

        from chatbot.adapters.slack.gateway import SlackGateway

        client = WebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            proxy=settings.proxy_url,
        )
        return SlackGateway(settings=settings, sessions=sessions, client=client)
    except ImportError:
        return LogOnlyChat()


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
    settings = settings_or_exit()
    from chatbot.adapters.slack.runtime import StartupError, configure_logging, run

    try:
        configure_logging(settings.log_level)
    except StartupError as exc:
        fail(str(exc))
    missing = settings.missing_for_run()
    if missing:
        lines = [f"{name} is not set: {_RUN_SETTING_HINTS.get(name, '')}" for name in missing]
        fail("`chatbot run` needs these settings:\n  " + "\n  ".join(lines))
    engine, sessions = database_or_exit(settings)
    try:
        status = run(settings, sessions)
    except StartupError as exc:
        fail(str(exc), exc.exit_code)
    finally:
        engine.dispose()
    sys.exit(status)
