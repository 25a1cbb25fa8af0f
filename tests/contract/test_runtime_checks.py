"""`chatbot run`'s start-up checks and log hygiene, in-process against the fake Slack."""

from __future__ import annotations

import io
import logging
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from chatbot import lifecycle
from chatbot.adapters.slack import runtime
from chatbot.adapters.slack.runtime import ConnectionLog, SocketModeConnection, check_slack
from chatbot.bootstrap import Bootstrap
from chatbot.lifecycle import EXIT_CONFIG, EXIT_UNAVAILABLE, Shutdown, StartupError
from chatbot.logs import (
    PAYLOAD_LOGGERS,
    LogLevelError,
    RedactingFilter,
    configure_logging,
    redact,
)
from chatbot.settings import Settings, load_settings
from tests.fakes.slack_server import (
    APPROVALS,
    DRAFTS,
    SAFEGUARDING,
    FakeSlack,
    add_school_channels,
)


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:
    add_school_channels(fake_slack)
    return fake_slack


def _settings(fake: FakeSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": fake.bot_token,
        "slack_app_token": fake.app_token,
        "slack_api_url": fake.base_url,
        "drafts_channel": DRAFTS,
        "approvals_channel": APPROVALS,
        "safeguarding_channel": SAFEGUARDING,
        "slt_users": "U0SLT0001",
    }
    values.update(overrides)
    return load_settings(**values)


def _check(fake: FakeSlack, **overrides: Any) -> runtime.SlackIdentity:
    settings = _settings(fake, **overrides)
    return check_slack(runtime.make_client(settings), settings)


def test_all_good_names_the_bot(slack: FakeSlack) -> None:
    identity = _check(slack)
    assert identity.bot_user_id == slack.bot_user_id
    assert identity.bot_name == "chatbot"
    # the app token was tried with apps.connections.open, with the app token only
    assert [c.token for c in slack.calls("apps.connections.open")] == [slack.app_token]


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth", "account_inactive"])
def test_refused_bot_token_names_the_setting_and_the_fix(slack: FakeSlack, error: str) -> None:
    slack.respond("auth.test", {"ok": False, "error": error})
    with pytest.raises(StartupError) as exc:
        _check(slack)
    message = str(exc.value)
    assert message.startswith(f"CHATBOT_SLACK_BOT_TOKEN was refused by Slack ({error})")
    assert "Bot User OAuth Token" in message
    assert "xoxb-test" not in message
    assert exc.value.exit_code == EXIT_CONFIG


def test_wrong_app_token_names_its_setting(slack: FakeSlack) -> None:
    with pytest.raises(StartupError) as exc:
        _check(slack, slack_app_token="xapp-1-someone-elses")
    message = str(exc.value)
    assert "CHATBOT_SLACK_APP_TOKEN was refused by Slack (invalid_auth)" in message
    assert "connections:write" in message
    assert "someone-elses" not in message


def test_every_channel_problem_is_listed_at_once(slack: FakeSlack) -> None:
    slack.channels[APPROVALS]["is_member"] = False
    del slack.channels[SAFEGUARDING]
    slack.channels[DRAFTS]["is_archived"] = True
    with pytest.raises(StartupError) as exc:
        _check(slack)
    lines = str(exc.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"CHATBOT_DRAFTS_CHANNEL ({DRAFTS}) is #tweet-drafts, which is")
    assert lines[1] == (
        f"the bot is not a member of #tweet-approvals (CHATBOT_APPROVALS_CHANNEL = {APPROVALS}): "
        "invite the bot: /invite @chatbot in #tweet-approvals"
    )
    assert lines[2].startswith(f"CHATBOT_SAFEGUARDING_CHANNEL ({SAFEGUARDING}) was not found:")


def test_the_three_channels_must_differ(slack: FakeSlack) -> None:
    with pytest.raises(StartupError) as exc:
        _check(slack, safeguarding_channel=DRAFTS)
    assert str(exc.value) == (
        "CHATBOT_DRAFTS_CHANNEL and CHATBOT_SAFEGUARDING_CHANNEL are the same channel "
        f"({DRAFTS}): the bot needs three separate channels for drafts, approvals and "
        "safeguarding alerts"
    )


def test_missing_scope_says_update_from_the_manifest(slack: FakeSlack) -> None:
    slack.respond("conversations.info", {"ok": False, "error": "missing_scope"})
    with pytest.raises(StartupError, match=r"manifest\.yml .*channels:read"):
        _check(slack)


def test_public_safeguarding_channel_is_a_warning(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.channels[SAFEGUARDING]["is_private"] = False
    with caplog.at_level(logging.WARNING, logger="chatbot.run"):
        _check(slack)
    assert "CHATBOT_SAFEGUARDING_CHANNEL (#safeguarding) is a public channel" in caplog.text


def test_slt_usergroup_problems(slack: FakeSlack) -> None:
    with pytest.raises(StartupError, match=r"CHATBOT_SLT_USERGROUP \(S0SLTGRP1\) \(no_such"):
        _check(slack, slt_users="", slt_usergroup="S0SLTGRP1")
    slack.set_usergroup("S0SLTGRP1", [])
    with pytest.raises(StartupError, match="nobody could approve"):
        _check(slack, slt_users="", slt_usergroup="S0SLTGRP1")
    _check(slack, slt_usergroup="S0SLTGRP1")  # the SLT_USERS list is enough
    slack.respond("usergroups.users.list", {"ok": False, "error": "paid_teams_only"})
    with pytest.raises(StartupError, match="paid Slack plan"):
        _check(slack, slt_usergroup="S0SLTGRP1")


def test_unreachable_slack_is_exit_1_and_mentions_the_proxy(slack: FakeSlack) -> None:
    settings = _settings(slack, slack_api_url="http://127.0.0.1:9/api/")
    with pytest.raises(StartupError) as exc:
        check_slack(runtime.make_client(settings), settings)
    assert exc.value.exit_code == EXIT_UNAVAILABLE
    assert "cannot reach Slack at http://127.0.0.1:9/api/" in str(exc.value)
    assert "CHATBOT_PROXY_URL" in str(exc.value)


def test_the_proxy_setting_is_used_and_its_password_never_shown(slack: FakeSlack) -> None:
    settings = _settings(slack, proxy_url="http://staff:s3cret@127.0.0.1:9")
    client = runtime.make_client(settings)
    assert client.proxy == "http://staff:s3cret@127.0.0.1:9"
    with pytest.raises(StartupError) as exc:
        check_slack(client, settings)
    assert "through CHATBOT_PROXY_URL" in str(exc.value)
    assert "s3cret" not in str(exc.value)


# -- logging ---------------------------------------------------------------------------------


def test_redact_tokens_passwords_and_typed_searches() -> None:
    text = (
        "token xoxb-123-456-abcDEF and xapp-1-A0-99-ff, user xoxp-1-2 "
        "proxy http://staff:pa55@proxy.school:8080 "
        "Unhandled request ({'type': 'block_suggestion', 'value': 'Amelia Sm'})"
    )
    cleaned = redact(text)
    for secret in ("123-456", "A0-99", "xoxp-1-2", "pa55", "Amelia"):
        assert secret not in cleaned
    assert "xoxb-(redacted)" in cleaned
    assert "http://(redacted)@proxy.school:8080" in cleaned


@pytest.fixture
def captured_root() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def test_filter_covers_arguments_and_tracebacks(captured_root: io.StringIO) -> None:
    logger = logging.getLogger("tests.runtime")
    logger.warning("calling with %s", "xoxb-999-secret")
    try:
        raise SlackApiError("bad token xapp-1-A2-secret", {"ok": False})  # type: ignore[no-untyped-call]
    except SlackApiError:
        logger.exception("failed")
    output = captured_root.getvalue()
    assert "secret" not in output
    assert "xoxb-(redacted)" in output
    assert "xapp-(redacted)" in output


def test_configure_logging_keeps_slack_libraries_off_debug() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("debug")
        assert root.level == logging.DEBUG
        assert logging.getLogger("slack_bolt").level == logging.INFO
        assert logging.getLogger("slack_sdk").level == logging.INFO
        assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in root.handlers)
        with pytest.raises(LogLevelError, match="CHATBOT_LOG_LEVEL"):
            configure_logging("chatty")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_connection_log_says_each_drop_and_reconnect_once_with_the_time_away(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    conn = ConnectionLog(clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="chatbot.run"):
        conn.on_message('{"type": "hello", "num_connections": 1}')
        conn.on_message('{"type": "events_api", "payload": {"text": "\\"hello\\" Amelia"}}')
        conn.on_message('{"type": "disconnect", "reason": "refresh_requested"}')
        now[0] += 0.25
        conn.on_message('{"type": "hello"}')
        conn.on_lost("closed by the network without a close frame")
        now[0] += 2
        conn.on_error(ConnectionRefusedError("xapp-1-A0-secret"))
        conn.on_error(ConnectionRefusedError())  # the same outage: said once
        now[0] += 3
        conn.on_message('{"type": "hello"}')
        conn.closing = True
        conn.on_lost("closed by the bot, code 1000")
    assert conn.connections == 3
    assert conn.connected.is_set()
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "connected to Slack (Socket Mode)"),
        ("INFO", "Slack asked for a new connection (refresh_requested); reconnecting"),
        ("INFO", "reconnected to Slack (Socket Mode) after 0.2 s, connection 2"),
        (
            "WARNING",
            "Socket Mode connection lost (closed by the network without a close frame); "
            "reconnecting",
        ),
        (
            "WARNING",
            "cannot reconnect to Slack yet (ConnectionRefusedError); retrying, up to every 30 s",
        ),
        ("WARNING", "reconnected to Slack (Socket Mode) after 5.0 s, connection 3"),
    ]
    assert "Amelia" not in caplog.text
    assert "secret" not in caplog.text


def test_second_signal_stops_at_once() -> None:
    forced = threading.Event()
    shutdown = Shutdown(forced.set)
    shutdown(signal.SIGTERM, None)
    assert shutdown.requested.is_set()
    assert not forced.is_set()
    shutdown(signal.SIGINT, None)
    assert forced.is_set()


def test_make_client_points_at_the_configured_slack(slack: FakeSlack) -> None:
    client: WebClient = runtime.make_client(_settings(slack))
    assert client.base_url == slack.base_url
    assert client.token == slack.bot_token


def test_socket_mode_goes_through_the_proxy_setting(slack: FakeSlack) -> None:
    from slack_bolt import App

    settings = _settings(slack, proxy_url="http://proxy.school.local:8080")
    client = runtime.make_client(settings)
    app = App(client=client, token_verification_enabled=False)
    handler = runtime.socket_mode_handler(app, settings, ConnectionLog())
    try:
        assert handler.client.proxy == "http://proxy.school.local:8080"
        assert handler.client.web_client.base_url == slack.base_url
        assert handler.client.app_token == slack.app_token
    finally:
        handler.client.close()


def test_the_socket_mode_connection_itself_uses_the_proxy(slack: FakeSlack) -> None:
    from slack_bolt import App

    # The Web API directly, the WebSocket through a proxy that is not there: it must fail.
    direct = WebClient(token=slack.bot_token, base_url=slack.base_url)
    app = App(client=direct, token_verification_enabled=False)
    settings = _settings(slack, proxy_url="http://staff:s3cret@127.0.0.1:9")
    handler = runtime.socket_mode_handler(app, settings, ConnectionLog())
    try:
        with pytest.raises(ConnectionRefusedError):
            handler.client.connect()
        assert slack.calls("apps.connections.open")
        assert slack.connection_count() == 0
    finally:
        handler.client.close()


class _FakeSocketClient:
    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        self.closed.set()


class _FakeHandler:
    def __init__(self) -> None:
        self.client = _FakeSocketClient()


def test_stop_closes_the_socket_and_waits_for_the_publish_in_hand() -> None:
    handler = _FakeHandler()
    worker_stop = threading.Event()
    publishing = threading.Event()
    may_finish = threading.Event()
    finished: list[str] = []

    def worker_loop() -> None:
        publishing.set()
        may_finish.wait(10)  # a publish in progress
        finished.append("published")
        worker_stop.wait(10)

    worker = threading.Thread(target=worker_loop)
    worker.start()
    assert publishing.wait(5)
    conn_log = ConnectionLog()
    result: list[int] = []
    stopper = threading.Thread(
        target=lambda: result.append(
            lifecycle.stop(
                SocketModeConnection(handler, conn_log),  # type: ignore[arg-type]
                worker,
                worker_stop,
            )
        )
    )
    stopper.start()
    # The socket is closed and the worker told to stop, but stop() waits for the publish.
    assert handler.client.closed.wait(5)
    assert worker_stop.is_set()
    assert conn_log.closing
    assert result == []
    may_finish.set()
    stopper.join(10)
    assert result == [0]
    assert finished == ["published"]


def test_stop_reports_a_worker_that_does_not_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "SHUTDOWN_GRACE_SECONDS", 0.01)
    release = threading.Event()
    worker = threading.Thread(target=lambda: release.wait(10))
    worker.start()
    try:
        status = lifecycle.stop(
            SocketModeConnection(_FakeHandler(), ConnectionLog()),  # type: ignore[arg-type]
            worker,
            threading.Event(),
        )
        assert status == EXIT_UNAVAILABLE
    finally:
        release.set()
        worker.join()


_WITH_X = {
    "x_api_key": "x-api-key-0001",
    "x_api_secret": "x-api-secret-0001",
    "x_access_token": "x-access-token-0001",
    "x_access_token_secret": "x-access-token-secret-0001",
    "x_api_url": "http://127.0.0.1:9",
}


def _tasks(boot: Bootstrap) -> set[str]:
    return {p.name for p in boot.worker()._periodic}


def test_worker_gets_reminders_and_monitors_only_with_x_credentials(
    slack: FakeSlack, sessions: Any
) -> None:
    dry = Bootstrap(_settings(slack), sessions=sessions)
    assert dry.worker().publishing.dry_run
    names = _tasks(dry)
    assert {"purge_photos", "remind_pending"} <= names
    assert not any(name.startswith("monitor-") for name in names)

    live = Bootstrap(_settings(slack, **_WITH_X), sessions=sessions)
    worker = live.worker()
    assert not worker.publishing.dry_run
    assert {"monitor-followers", "monitor-mentions"} <= {p.name for p in worker._periodic}
    # One gateway for the listeners, the worker and the monitors: one card lock.
    assert worker.publishing.chat is live.chat.gateway


def test_without_chat_settings_the_worker_sends_no_reminders_or_alerts_nobody_sees(
    sessions: Any,
) -> None:
    boot = Bootstrap(load_settings(**_WITH_X), sessions=sessions)
    names = _tasks(boot)
    assert "purge_photos" in names
    assert "remind_pending" not in names
    assert not any(name.startswith("monitor-") for name in names)
