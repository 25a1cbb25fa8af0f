"""`chatbot run` is back within seconds when the network drops its Socket Mode link (issue 13).

The fake Slack reaches the bot through a TCP relay that can end a link the way networks do: a
FIN or a RST with no WebSocket close frame, or silence (nothing gets through, pings go
unanswered); Slack itself may ask for a new connection (``disconnect``). Each time the bot must
be connected again within 10 s, using little CPU meanwhile (its own counters, from /proc), and a
draft delivered then, and delivered again as Slack does when unsure, makes one card.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

from tests.e2e.test_run_socket_mode import AUTHOR, START_TIMEOUT, _assert_no_secrets, _has_action
from tests.e2e.test_run_socket_mode import slack as slack  # noqa: PLC0414 (fixture)
from tests.e2e.test_run_socket_mode import start_bot as start_bot  # noqa: PLC0414 (fixture)
from tests.fakes.cpu import process_cpu_seconds
from tests.fakes.slack_server import APPROVALS, DRAFTS, FakeSlack

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CPU time read from /proc"),
]

BACK_WITHIN_S = 10.0
# The built-in client spun a core for the whole outage (about 50 CPU s); an idle wait is ~0.
CPU_WHILE_AWAY_S = 1.0


def _draft(fake: FakeSlack, ts: str, event_id: str) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "event_id": event_id,
        "event": {
            "type": "message",
            "channel": DRAFTS,
            "user": AUTHOR,
            "text": "Year 4 made a wonderful model of a Roman villa this afternoon.",
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
            "team": fake.team_id,
            "blocks": [],
        },
    }


@pytest.mark.parametrize("how", ["fin", "rst", "disconnect", "silent"])
def test_back_within_seconds_with_one_card_per_draft(
    start_bot: Any, slack: FakeSlack, how: str
) -> None:
    bot = start_bot()
    slack.wait_connected(timeout=START_TIMEOUT)
    # Start-up (imports, the worker) is done: from here the bot only waits.
    bot.wait_for_log("chatbot is running", timeout=START_TIMEOUT)
    count = slack.connection_count()
    cpu_before = process_cpu_seconds(bot.process.pid)
    started = time.monotonic()
    if how == "disconnect":
        assert slack.send_disconnect("refresh_requested") == 1
    else:
        assert slack.cut_socket_connections(how) == 1  # type: ignore[arg-type]
    slack.wait_connection_count(count + 1, timeout=BACK_WITHIN_S)
    away = time.monotonic() - started
    cpu_used = process_cpu_seconds(bot.process.pid) - cpu_before
    assert away < BACK_WITHIN_S
    assert cpu_used < CPU_WHILE_AWAY_S, f"{cpu_used:.2f} CPU s used in {away:.1f} s away"

    # Slack delivers the draft on the new connection, then again (a retry): one card.
    draft_ts = "1700000700.000100"
    envelope = _draft(slack, draft_ts, "Ev0RECONNECT")
    assert "envelope_id" in slack.send_socket_event(envelope)
    slack.wait_for(
        "chat.postMessage",
        timeout=15,
        where=lambda c: c.params.get("channel") == APPROVALS and _has_action(c, "draft_approve"),
    )
    again = {"type": "events_api", "payload": envelope, "retry_attempt": 1}
    again["retry_reason"] = "timeout"
    slack.send_socket_event(again)
    bot.wait_for_log(f"message {draft_ts} in {DRAFTS} is already a draft", timeout=15)
    cards = [
        c
        for c in slack.calls("chat.postMessage")
        if c.params.get("channel") == APPROVALS and _has_action(c, "draft_approve")
    ]
    assert len(cards) == 1

    log = bot.log()
    assert log.count("reconnected to Slack (Socket Mode) after") == 1
    if how == "disconnect":
        assert "Slack asked for a new connection (refresh_requested)" in log
        assert "connection lost" not in log
        slack.wait_open_socket_count(1)  # the bot closed the old connection itself
    else:
        assert log.count("Socket Mode connection lost") == 1
    _assert_no_secrets(log, slack)
