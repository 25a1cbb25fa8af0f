"""How fast the Socket Mode connection comes back after a network drop, and at what CPU cost.

Issue 13. A Socket Mode client runs in a child process (a Bolt app that acks every envelope)
against the fake Slack (tests/fakes/slack_server.py), which reaches it through a TCP relay. For
each way a connection ends, the parent cuts it and measures the time until the fake has sent
``hello`` on a new connection (time.monotonic) and the CPU seconds the child used meanwhile
(its utime + stime from /proc, so Linux only). Then one envelope is sent on the new connection
and must be acked. The ways: ``fin`` (a plain TCP close, no close frame), ``rst`` (a reset),
``disconnect`` (Slack's ``disconnect`` message, ``refresh_requested``, the old link left
open) and ``silent`` (nothing gets through any more: pings go unanswered).

Clients: ``ours`` (chatbot/adapters/slack/socket_mode.py, what `chatbot run` uses) and ``builtin``
(slack_sdk's built-in client, what Bolt uses by default; about a minute per FIN case).
Choose with ``CHATBOT_BENCH_CLIENTS=builtin,ours`` (default ``ours``) and the number of runs
per case with ``CHATBOT_BENCH_RUNS`` (default 3); medians are printed.

Run: `python -m benchmarks reconnect` or `python -m benchmarks.bench_reconnect`.

Measured (2 CPUs, Linux, slack_sdk 3.48, websockets 17.4; medians; before: 3 runs, after: 5):

    case        builtin: back in  CPU used     ours: back in  CPU used
    fin                  49.8 s   48.6 s               <0.01 s  <0.01 s
    rst                   9.9 s    0.04 s              <0.01 s  <0.01 s
    disconnect            0.02 s   0.02 s              <0.01 s  <0.01 s
    silent               51.2 s    0.05 s               6.0 s   <0.01 s
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from typing import Any

from tests.fakes.cpu import process_cpu_seconds
from tests.fakes.slack_server import FakeSlack

CASES = ("fin", "rst", "disconnect", "silent")
GIVE_UP_S = 180.0
TARGET_S = 10.0


def _child(kind: str, base_url: str, app_token: str, bot_token: str) -> None:
    """The child process: connect, ack every envelope, stop when stdin closes."""
    import logging

    from slack_bolt import App
    from slack_sdk import WebClient

    logging.basicConfig(level=logging.WARNING)
    client = WebClient(token=bot_token, base_url=base_url)
    app = App(client=client, token_verification_enabled=False)

    @app.command("/tweet")
    def tweet(ack: Any) -> None:
        ack()

    handler: Any
    if kind == "builtin":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(app, app_token, web_client=client)
    else:
        from chatbot.adapters.slack.socket_mode import SocketModeHandler as Ours

        handler = Ours(app, app_token, web_client=client)
    handler.connect()
    sys.stdin.read()
    handler.close()


def _cut(fake: FakeSlack, case: str) -> None:
    if case == "disconnect":
        assert fake.send_disconnect("refresh_requested") >= 1
    else:
        assert fake.cut_socket_connections(case) >= 1  # type: ignore[arg-type]


def measure(kind: str, runs: int) -> dict[str, list[tuple[float, float]]]:
    """(reconnect seconds, CPU seconds) of each run of each case, for client `kind`."""
    results: dict[str, list[tuple[float, float]]] = {case: [] for case in CASES}
    with FakeSlack() as fake:
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_reconnect", "--child", kind, fake.base_url],
            stdin=subprocess.PIPE,
            env={**os.environ, "APP_TOKEN": fake.app_token, "BOT_TOKEN": fake.bot_token},
        )
        try:
            fake.wait_connected(timeout=30)
            for case in CASES:
                for _ in range(runs):
                    count = fake.connection_count()
                    cpu = process_cpu_seconds(child.pid)
                    start = time.monotonic()
                    _cut(fake, case)
                    fake.wait_connection_count(count + 1, timeout=GIVE_UP_S)
                    away = time.monotonic() - start
                    used = process_cpu_seconds(child.pid) - cpu
                    results[case].append((away, used))
                    fake.send_socket_event(
                        {"command": "/tweet", "text": "", "user_id": "U1"}, timeout=10
                    )
                    print(
                        f"  {kind:8} {case:10} back in {away:7.3f} s, CPU {used:6.2f} s",
                        flush=True,
                    )
        finally:
            assert child.stdin is not None
            child.stdin.close()
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return results


def main() -> None:
    kinds = os.environ.get("CHATBOT_BENCH_CLIENTS", "ours").split(",")
    runs = int(os.environ.get("CHATBOT_BENCH_RUNS", "3"))
    table: list[tuple[str, str, float, float]] = []
    for kind in kinds:
        for case, values in measure(kind.strip(), runs).items():
            seconds = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            table.append((kind, case, seconds, cpu))
    print(f"\nmedians over {runs} run(s):")
    print(f"  {'client':8} {'case':10} {'reconnect s':>11} {'CPU s':>7}")
    for kind, case, seconds, cpu in table:
        flag = "" if seconds <= TARGET_S else f"  (over the {TARGET_S:.0f} s target)"
        print(f"  {kind:8} {case:10} {seconds:11.3f} {cpu:7.2f}{flag}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3], os.environ["APP_TOKEN"], os.environ["BOT_TOKEN"])
    else:
        main()
