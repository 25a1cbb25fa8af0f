"""Teams speed (issue 11): a text draft's approval card, and an SLT click's invoke answer.

A real `CHATBOT_PLATFORM=teams chatbot run` process (SQLite in a temporary folder, X in dry-run)
is served by the Teams fakes of tests/fakes/teams over HTTPS with a test CA, played as Teams
by tests/e2e/teams_run_support.py. For each of ``CHATBOT_BENCH_RUNS`` (default 50) drafts:

- *message answer*: from sending the signed channel post to ``/api/messages`` until its HTTP
  answer (Teams allows 15 s);
- *message -> card*: from sending it until the approval card reaches the fake Bot Connector
  (target: p95 under 0.5 s);
- *invoke answer*: from sending SLT's ``draft_approve`` click (an ``adaptiveCard/action``
  invoke) until its HTTP answer (Teams allows 5 s; target: p95 under 1 s);
- *click -> updated*: from the click until the card's update (PUT, without its buttons)
  reaches the connector: what everyone else in the channel sees.

Three drafts first warm the process up and are not counted. The clock is this process's
time.monotonic (the fakes run in it too).

Run: `python -m benchmarks teams` or `python -m benchmarks.bench_teams`.

Measured (2 CPUs shared with other test runs, load average 10.5; SQLite; 50 drafts):

    message answer    p50  19.6 ms   p95  54.5 ms
    message -> card   p50 142.7 ms   p95 379.2 ms   (target < 500 ms)
    invoke answer     p50  29.0 ms   p95 135.8 ms   (target < 1000 ms)
    click -> updated  p50  55.1 ms   p95 215.0 ms
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.e2e.teams_run_support import (
    APPROVALS,
    SLT,
    BotProcess,
    HarnessError,
    action_with,
    bot_env,
    cards_in,
    channel_post,
    connector_of,
    execute,
    free_port,
    has_verb,
    invoke,
    person,
    posted_to,
    teams_fakes_answering,
    wait_sent,
)
from tests.fakes.teams import TeamsFakes

CARD_TARGET_S = 0.5
INVOKE_TARGET_S = 1.0
WARM_UP = 3
SUBJECTS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
PLACES = ("the museum", "the library", "the park", "the farm", "the theatre", "the beach")


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def draft_text(n: int) -> str:
    # Different every time: X refuses duplicate text, and the checks should see real variety.
    who = SUBJECTS[n % len(SUBJECTS)]
    where = PLACES[(n // len(SUBJECTS)) % len(PLACES)]
    return f"{who} enjoyed a visit to {where} today, story number {n + 1} of our busy week."


def one_draft(bot: BotProcess, fakes: TeamsFakes, n: int) -> tuple[float, float, float, float]:
    """(message answer, message -> card, invoke answer, click -> card updated) in seconds for
    the n-th draft."""
    text = draft_text(n)
    root = str(1_732_600_000_000 + n)
    activity = channel_post(fakes, root, f"<p>{text}</p>")
    token = fakes.sign()
    sent = time.monotonic()
    status, _ = bot.post(activity, token)
    answered = time.monotonic()
    if status >= 300:
        raise HarnessError(f"the post was answered {status}")
    card = wait_sent(
        fakes,
        lambda r, body: (
            posted_to(r, body, APPROVALS) and has_verb(body, "draft_approve") and text in str(body)
        ),
        f"the approval card for draft {n + 1}",
    )
    connector = connector_of(fakes)
    card_at = connector.arrived(card)
    card_id = connector.answer_id(card)
    draft_id = _draft_of(card.json())
    click = invoke(
        fakes,
        (APPROVALS, card_id),
        person(SLT, "Pat Head"),
        "adaptiveCard/action",
        execute("draft_approve", {"draft": draft_id}),
    )
    token = fakes.sign()
    clicked = time.monotonic()
    status, body = bot.post(click, token)
    invoke_s = time.monotonic() - clicked
    if status != 200:
        raise HarnessError(f"the click was answered {status}: {body}")
    # A refusal is answered as fast: the approval counts only once the card lost its buttons.
    updated = wait_sent(
        fakes,
        lambda r, body: (
            r.method == "PUT"
            and r.path.endswith(f"/activities/{card_id}")
            and not has_verb(body, "draft_approve")
        ),
        f"the approved card of draft {n + 1}",
    )
    return answered - sent, card_at - sent, invoke_s, connector.arrived(updated) - clicked


def _draft_of(body: Any) -> str:
    for card in cards_in(body):
        action = action_with(card, "verb", "draft_approve")
        if action is not None:
            return str(action["data"]["draft"])
    raise HarnessError("the card has no draft_approve button")


def measure(runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "message answer": [],
        "message -> card": [],
        "invoke answer": [],
        "click -> updated": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-teams-") as folder:
        root = Path(folder)
        with teams_fakes_answering(root / "teams") as fakes:
            env = bot_env(
                fakes,
                database_url=f"sqlite:///{root / 'bench.sqlite3'}",
                data_dir=root / "data",
                port=free_port(),
                extra={"CHATBOT_LOG_LEVEL": "WARNING"},
            )
            bot = BotProcess(env, root, root / "run.log")
            try:
                bot.wait_listening()
                for n in range(WARM_UP + runs):
                    timings = one_draft(bot, fakes, n)
                    if n >= WARM_UP:
                        for name, value in zip(results, timings, strict=True):
                            results[name].append(value)
                bot.stop()
            except HarnessError as exc:
                sys.exit(f"bench_teams: {exc}\n--- chatbot run's log ---\n{bot.log()}")
            finally:
                bot.kill()
    return results


def main() -> None:
    runs = int(os.environ.get("CHATBOT_BENCH_RUNS", "50"))
    results = measure(runs)
    targets = {"message -> card": CARD_TARGET_S, "invoke answer": INVOKE_TARGET_S}
    print(f"over {runs} drafts (load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs):")
    for name, values in results.items():
        p50, p95 = statistics.median(values) * 1000, percentile(values, 95) * 1000
        line = (
            f"  {name:16} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {max(values) * 1000:7.1f} ms"
        )
        if name in targets:
            target = targets[name] * 1000
            line += f"   (target p95 < {target:.0f} ms: {'met' if p95 < target else 'MISSED'})"
        print(line, flush=True)


if __name__ == "__main__":
    main()
