"""`chatbot run`: start-up checks, Socket Mode, the publishing worker, and a clean shutdown.

Start-up checks turn Slack's terse errors into a sentence that names the setting and the fix,
because the person reading them is a school's IT technician, not a Slack developer. Everything
that can leak a secret into a log goes through `redact` (tokens, proxy passwords) and the Slack
libraries are never allowed to log at DEBUG (they log whole payloads: staff text, pupils' names).
"""

from __future__ import annotations

import logging
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from chatbot.adapters.slack.socket_mode import ConnectionLog
from chatbot.logs import quieten_payload_loggers
from chatbot.services.failures import log_failure

if TYPE_CHECKING:
    from pydantic import SecretStr
    from slack_bolt import App
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.adapters.slack.gateway import SlackGateway
    from chatbot.adapters.slack.socket_mode import SocketModeHandler
    from chatbot.policy.model import Policy
    from chatbot.services.ports import ChatGateway
    from chatbot.settings import Settings
    from chatbot.worker import Worker

log = logging.getLogger("chatbot.run")

# Exit statuses: 2 = fix the configuration (a restart will not help; systemd units can use
# RestartPreventExitStatus=2), 1 = Slack or the network is unreachable (a restart may help).
EXIT_CONFIG = 2
EXIT_UNAVAILABLE = 1

# How long shutdown waits for a publish in progress (systemd's TimeoutStopSec is 90 s).
SHUTDOWN_GRACE_SECONDS = 60.0

_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_SUGGESTED_VALUE = re.compile(r"'value': '[^']*'")


def redact(text: str) -> str:
    """Mask Slack tokens and passwords in URLs (a proxy URL may carry one)."""
    text = _TOKEN.sub(lambda m: f"{m.group(1)}-(redacted)", text)
    text = _URL_PASSWORD.sub(r"\g<scheme>(redacted)@", text)
    # Bolt's "Unhandled request" warning repeats what was typed into a search box
    # (pictured_pupils searches the register by pupil name).
    return _SUGGESTED_VALUE.sub("'value': '(redacted)'", text)


class RedactingFilter(logging.Filter):
    """Defence in depth: even a careless log call cannot print a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure_logging(level: str) -> None:
    """Log to stderr at `level` (CHATBOT_LOG_LEVEL), through the redacting filter."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise StartupError(
            f"CHATBOT_LOG_LEVEL={level!r} is not a log level: use DEBUG, INFO, WARNING or ERROR"
        )
    logging.basicConfig(
        level=numeric,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    quieten_payload_loggers(numeric)


class StartupError(Exception):
    """`chatbot run` cannot start; the message names the setting and the fix."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class SlackIdentity:
    """Who the bot is in the workspace (from auth.test)."""

    team: str
    team_id: str
    bot_user_id: str
    bot_id: str
    bot_name: str


# -- start-up checks -------------------------------------------------------------------------

_REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "no_permission",
    }
)


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or "unknown_error")


@contextmanager
def _reachable(settings: Settings) -> Iterator[None]:
    """Turn network failures into one clear message (never the token or proxy password)."""
    try:
        yield
    except SlackApiError:
        raise
    except OSError as exc:  # URLError, timeouts, refused connections, TLS failures
        reason = getattr(exc, "reason", None) or exc
        proxy = " through CHATBOT_PROXY_URL" if settings.proxy_url else ""
        raise StartupError(
            redact(
                f"cannot reach Slack at {settings.slack_api_url}{proxy} ({reason}): check the "
                "network connection, and CHATBOT_PROXY_URL if the school's network needs a proxy"
            ),
            EXIT_UNAVAILABLE,
        ) from None


def check_bot_token(client: WebClient, settings: Settings) -> SlackIdentity:
    with _reachable(settings):
        try:
            answer = client.auth_test()
        except SlackApiError as exc:
            error = _error(exc)
            if error in _REFUSED:
                raise StartupError(
                    f"CHATBOT_SLACK_BOT_TOKEN was refused by Slack ({error}): reinstall the app "
                    "(api.slack.com/apps > your app > OAuth & Permissions > Reinstall to "
                    "Workspace) and copy the new Bot User OAuth Token (it starts with xoxb-)"
                ) from None
            raise StartupError(
                f"Slack's auth.test failed ({error}) for CHATBOT_SLACK_BOT_TOKEN",
                EXIT_UNAVAILABLE,
            ) from None
    return SlackIdentity(
        team=str(answer.get("team") or ""),
        team_id=str(answer.get("team_id") or ""),
        bot_user_id=str(answer.get("user_id") or ""),
        bot_id=str(answer.get("bot_id") or ""),
        bot_name=str(answer.get("user") or "chatbot"),
    )


def _secret(value: SecretStr | None, env: str) -> str:
    # `chatbot run` checks missing_for_run() first; this keeps library callers honest too.
    if value is None:
        raise StartupError(f"{env} is not set")
    return value.get_secret_value()


def check_app_token(client: WebClient, settings: Settings) -> list[str]:
    app_token = _secret(settings.slack_app_token, "CHATBOT_SLACK_APP_TOKEN")
    with _reachable(settings):
        try:
            client.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            error = _error(exc)
            fix = (
                "create an app-level token with the connections:write scope (api.slack.com/apps "
                "> your app > Basic Information > App-Level Tokens) and copy it (it starts "
                "with xapp-)"
            )
            if error not in _REFUSED:
                fix = "check that Socket Mode is on (your app > Socket Mode), or " + fix
            return [f"CHATBOT_SLACK_APP_TOKEN was refused by Slack ({error}): {fix}"]
    return []


_CHANNEL_SETTINGS = (
    ("CHATBOT_DRAFTS_CHANNEL", "drafts_channel"),
    ("CHATBOT_APPROVALS_CHANNEL", "approvals_channel"),
    ("CHATBOT_SAFEGUARDING_CHANNEL", "safeguarding_channel"),
)


def check_channels(client: WebClient, settings: Settings, identity: SlackIdentity) -> list[str]:
    problems: list[str] = []
    # One id pasted twice would put SLT cards or safeguarding alerts in front of all staff.
    seen: dict[str, str] = {}
    for env, attr in _CHANNEL_SETTINGS:
        channel_id = getattr(settings, attr)
        if channel_id in seen:
            problems.append(
                f"{seen[channel_id]} and {env} are the same channel ({channel_id}): the bot needs "
                "three separate channels for drafts, approvals and safeguarding alerts"
            )
        seen.setdefault(channel_id, env)
    bot = f"@{identity.bot_name}"
    for env, attr in _CHANNEL_SETTINGS:
        channel_id = getattr(settings, attr)
        with _reachable(settings):
            try:
                channel: dict[str, Any] = client.conversations_info(channel=channel_id)["channel"]
            except SlackApiError as exc:
                error = _error(exc)
                if error == "channel_not_found":
                    problems.append(
                        f"{env} ({channel_id}) was not found: check the id (open the channel, "
                        "click its name, the id is at the bottom), and for a private channel "
                        f"invite the bot first: /invite {bot}"
                    )
                elif error == "missing_scope":
                    problems.append(
                        f"the bot may not look up {env} ({channel_id}) (missing_scope): update the "
                        "app from manifest.yml (it needs channels:read and groups:read) and "
                        "reinstall it"
                    )
                else:
                    problems.append(f"{env} ({channel_id}): Slack answered {error}")
                continue
        name = str(channel.get("name") or channel_id)
        if channel.get("is_archived"):
            problems.append(
                f"{env} ({channel_id}) is #{name}, which is archived: unarchive it or choose "
                "another channel"
            )
        elif not channel.get("is_member"):
            problems.append(
                f"the bot is not a member of #{name} ({env} = {channel_id}): invite the bot: "
                f"/invite {bot} in #{name}"
            )
        if attr == "safeguarding_channel" and channel.get("is_private") is False:
            log.warning(
                "%s (#%s) is a public channel: safeguarding alerts should go to a private one",
                env,
                name,
            )
    return problems


def check_slt(client: WebClient, settings: Settings) -> list[str]:
    if settings.slt_usergroup is None:
        return []
    group = settings.slt_usergroup
    with _reachable(settings):
        try:
            users = client.usergroups_users_list(usergroup=group).get("users") or []
        except SlackApiError as exc:
            error = _error(exc)
            if error == "paid_teams_only":
                fix = (
                    "user groups need a paid Slack plan: list the SLT in CHATBOT_SLT_USERS instead"
                )
            elif error == "no_such_subteam":
                fix = "no such user group: check the id (like S012AB3CD)"
            elif error == "missing_scope":
                fix = "update the app from manifest.yml (usergroups:read) and reinstall it"
            else:
                fix = "Slack could not list its members"
            return [f"CHATBOT_SLT_USERGROUP ({group}) ({error}): {fix}"]
    if not users and not settings.slt_users:
        return [
            f"CHATBOT_SLT_USERGROUP ({group}) has no members and CHATBOT_SLT_USERS is empty: "
            "nobody could approve a post"
        ]
    return []


def check_slack(client: WebClient, settings: Settings) -> SlackIdentity:
    """Every start-up check; raises `StartupError` listing all the problems found."""
    identity = check_bot_token(client, settings)
    problems = check_app_token(client, settings)
    problems += check_channels(client, settings, identity)
    problems += check_slt(client, settings)
    if problems:
        raise StartupError("\n".join(problems))
    return identity


# -- Socket Mode -----------------------------------------------------------------------------


def socket_mode_handler(app: App, settings: Settings, conn_log: ConnectionLog) -> SocketModeHandler:
    """Bolt on our Socket Mode client (adapters/slack/socket_mode.py says why not the built-in)."""
    from chatbot.adapters.slack.socket_mode import SocketModeHandler

    handler = SocketModeHandler(
        app,
        _secret(settings.slack_app_token, "CHATBOT_SLACK_APP_TOKEN"),
        proxy=settings.proxy_url,
        # The app's client carries the base URL and proxy; apps.connections.open is sent with
        # the app token explicitly, so the bot token is not used for it.
        web_client=app.client,
        # Under slack_sdk so that configure_logging keeps it off DEBUG.
        logger=logging.getLogger("slack_sdk.socket_mode"),
    )
    handler.client.on_message_listeners.append(conn_log.on_message)
    handler.client.on_lost_listeners.append(conn_log.on_lost)
    handler.client.on_error_listeners.append(conn_log.on_error)
    return handler


# -- the worker ------------------------------------------------------------------------------


REMINDER_EVERY = timedelta(minutes=15)


def build_worker(
    settings: Settings,
    sessions: sessionmaker[Session],
    client: WebClient,
    policy: Policy,
    chat: SlackGateway | None = None,
) -> Worker:
    """The publishing worker with its periodic tasks, telling Slack about what it does.

    Pass the app's own gateway as `chat` so listeners and worker share one card lock.
    """
    from chatbot.adapters.slack.gateway import SlackGateway
    from chatbot.adapters.x import make_publisher
    from chatbot.services.reminders import remind_pending
    from chatbot.worker import worker_for_policy

    publisher = make_publisher(settings)
    if publisher.is_dry_run:
        log.warning(
            "X credentials are not all set: dry run, approved posts are recorded, not published"
        )
    if chat is None:
        chat = SlackGateway(settings, sessions, client)
    # The policy file's retry limits and photo retention, and the photo purge task.
    worker = worker_for_policy(sessions, publisher, chat, policy)

    def remind() -> None:
        remind_pending(sessions, chat, policy)

    worker.add_periodic("remind_pending", REMINDER_EVERY, remind)
    from chatbot.adapters.slack.alerts import SlackAlertChat  # full alert cards, the staff button

    add_monitors(
        worker, settings, sessions, SlackAlertChat(chat, settings, sessions, client), policy
    )
    return worker


def add_monitors(
    worker: Worker,
    settings: Settings,
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    policy: Policy,
) -> bool:
    """The safeguarding monitors (followers, mentions) read X, so they need its credentials."""
    if not settings.x_credentials_complete:
        log.warning("safeguarding monitors are off: they read X and need the X credentials")
        return False
    from chatbot.adapters.x.reader import XReader
    from chatbot.services.monitoring.schedule import register_monitors

    register_monitors(worker, sessions, XReader.from_settings(settings), chat, policy)
    log.info("safeguarding monitors are on")
    return True


def start_worker(worker: Worker, stop: threading.Event) -> threading.Thread:
    """Run the worker in a thread of this process until `stop` is set."""

    def run_worker() -> None:
        try:
            worker.run(stop)
        except Exception as exc:
            # without the exception's text, which may carry a draft or a pupil's name
            log_failure(log, "the publishing worker", exc)

    # Not a daemon: the interpreter must not end it in the middle of a publish.
    thread = threading.Thread(target=run_worker, name="publishing-worker")
    thread.start()
    return thread


# -- run -------------------------------------------------------------------------------------


class Shutdown:
    """SIGTERM/SIGINT set `requested`; a second signal while stopping exits at once."""

    def __init__(self, on_second: Callable[[], None]) -> None:
        self.requested = threading.Event()
        self._on_second = on_second

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        if self.requested.is_set():
            log.warning("second %s: stopping now", signal.Signals(signum).name)
            self._on_second()
            return
        log.info(
            "%s received: finishing the work in hand, then stopping", signal.Signals(signum).name
        )
        self.requested.set()

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self)
        signal.signal(signal.SIGINT, self)


def _exit_now() -> None:
    import os

    os._exit(EXIT_UNAVAILABLE)


def policy_or_error(settings: Settings) -> Policy:
    from chatbot.policy.engine import PolicyError, load_policy

    try:
        return load_policy(settings.policy_file)
    except PolicyError as exc:
        raise StartupError(f"CHATBOT_POLICY_FILE: {exc}") from None


def make_client(settings: Settings) -> WebClient:
    return WebClient(
        token=_secret(settings.slack_bot_token, "CHATBOT_SLACK_BOT_TOKEN"),
        base_url=settings.slack_api_url,
        proxy=settings.proxy_url,
    )


def run(settings: Settings, sessions: sessionmaker[Session]) -> int:
    """Check, connect, serve until SIGTERM/SIGINT; returns the exit status."""
    shutdown = Shutdown(_exit_now)
    shutdown.install()

    policy = policy_or_error(settings)
    client = make_client(settings)
    identity = check_slack(client, settings)
    log.info("signed in to %s as @%s", identity.team or identity.team_id, identity.bot_name)

    from chatbot.adapters.slack.app import create_app, gateway_of

    app = create_app(settings, sessions, client=client)
    conn_log = ConnectionLog()
    handler = socket_mode_handler(app, settings, conn_log)
    try:
        with _reachable(settings):
            handler.client.connect()
    except StartupError:
        raise
    except Exception as exc:  # websockets' InvalidHandshake, InvalidStatus, ...
        detail = _error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        raise StartupError(
            f"cannot open the Socket Mode connection ({detail}): check CHATBOT_SLACK_APP_TOKEN, "
            "that Socket Mode is on, and CHATBOT_PROXY_URL if the school uses a proxy",
            EXIT_UNAVAILABLE,
        ) from None

    worker_stop = threading.Event()
    worker: threading.Thread | None = None
    try:
        chat = gateway_of(app)
        worker = start_worker(build_worker(settings, sessions, client, policy, chat), worker_stop)
        log.info("chatbot is running; stop it with SIGTERM or Ctrl+C")
        shutdown.requested.wait()
    except BaseException:
        # Whatever went wrong, leave no connection or worker thread behind.
        stop(handler, conn_log, worker, worker_stop)
        raise
    return stop(handler, conn_log, worker, worker_stop)


def stop(
    handler: SocketModeHandler,
    conn_log: ConnectionLog,
    worker: threading.Thread | None,
    worker_stop: threading.Event,
) -> int:
    """Stop taking events, let listeners and the publish in hand finish, close the socket."""
    conn_log.closing = True
    worker_stop.set()
    # close() ends the connection and waits for the listeners already running.
    handler.client.close()
    status = 0
    if worker is not None:
        worker.join(SHUTDOWN_GRACE_SECONDS)
        if worker.is_alive():
            log.error(
                "the publishing worker did not stop within %.0f s; a post being published may "
                "need review at the next start",
                SHUTDOWN_GRACE_SECONDS,
            )
            status = EXIT_UNAVAILABLE
    log.info("stopped")
    return status
