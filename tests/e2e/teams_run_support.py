"""Playing Teams around a real `CHATBOT_PLATFORM=teams chatbot run` process (the e2e test and
benchmarks/bench_teams.py share it).

- `teams_fakes_answering`: the Teams fakes (tests/fakes/teams) with a connector that also keeps
  what it answered (the ids of the posts the bot made) and when each request arrived;
- `bot_env` / `BotProcess`: the process as a school starts it, trusting the fakes' test CA
  through ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE``, and its HTTP endpoint;
- activities shaped as Teams sends them (a channel post, an invoke on a post), signed by the
  caller with `TeamsFakes.sign`;
- `wait_sent`: the first connector request that matches, waited for on the fake's condition
  variable with a deadline.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

from tests.fakes.teams import (
    APP_ID,
    APP_PASSWORD,
    TENANT_ID,
    FakeBotFrameworkKeys,
    FakeConnector,
    FakeTokenService,
    SigningKey,
    TeamsFakes,
    TestCA,
)
from tests.fakes.teams.http import Request, Response
from tests.fixtures.adaptive_cards import walk

DRAFTS = "19:drafts0a1b2c3d@thread.tacv2"
APPROVALS = "19:approvals4e5f@thread.tacv2"
SAFEGUARDING = "19:safe6a7b8c9d@thread.tacv2"
TEAM = "19:team00aa11bb@thread.tacv2"
AUTHOR = "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"
SLT = "2c9a7e55-4d1b-4f08-a3e6-5b7c9d0e1f2a"
START_TIMEOUT = 30.0  # a cold interpreter on a busy CI machine imports a lot
STEP_TIMEOUT = 20.0


class HarnessError(AssertionError):
    """What the bot did not do, with what it did instead (the test shows it as a failure)."""


# -- the fakes ---------------------------------------------------------------------------------


class AnsweringConnector(FakeConnector):
    """The fake connector, also keeping what it answered and when each request arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answers: dict[int, Any] = {}
        self._arrived: dict[int, float] = {}

    def handle(self, request: Request) -> Response:
        arrived = time.monotonic()
        response = super().handle(request)
        # Kept before the request is recorded, so whoever waits on it finds these too.
        self._arrived[id(request)] = arrived
        is_json = response.content_type == "application/json" and response.body
        self._answers[id(request)] = json.loads(response.body) if is_json else None
        return response

    def answer_id(self, request: Request) -> str:
        """The activity id of what `request` posted (a new conversation's or a message's)."""
        answer = self._answers[id(request)]
        return str(answer.get("activityId") or answer["id"])

    def arrived(self, request: Request) -> float:
        """When `request` reached the fake (time.monotonic, this process's clock)."""
        return self._arrived[id(request)]


@contextlib.contextmanager
def teams_fakes_answering(directory: Path) -> Iterator[TeamsFakes]:
    """As tests.fakes.teams.teams_fakes, with the connector that keeps its answers."""
    ca = TestCA(directory / "ca")
    key = SigningKey()
    keys = FakeBotFrameworkKeys(ca.server_context(), [key])
    tokens = FakeTokenService(
        ca.server_context(), tenant_id=TENANT_ID, client_id=APP_ID, client_secret=APP_PASSWORD
    )
    connector = AnsweringConnector(tokens.is_valid, tls=ca.server_context())
    with keys, tokens, connector:
        yield TeamsFakes(ca, key, keys, tokens, connector)


def connector_of(fakes: TeamsFakes) -> AnsweringConnector:
    assert isinstance(fakes.connector, AnsweringConnector)
    return fakes.connector


# -- the bot process ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(
    fakes: TeamsFakes, *, database_url: str, data_dir: Path, port: int, extra: dict[str, str]
) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env |= {
        "PYTHONUNBUFFERED": "1",
        "SSL_CERT_FILE": str(fakes.ca.ca_file),
        "REQUESTS_CA_BUNDLE": str(fakes.ca.ca_file),
        "CHATBOT_PLATFORM": "teams",
        "CHATBOT_DATA_DIR": str(data_dir),
        "CHATBOT_DATABASE_URL": database_url,
        "CHATBOT_TEAMS_APP_ID": APP_ID,
        "CHATBOT_TEAMS_APP_PASSWORD": APP_PASSWORD,
        "CHATBOT_TEAMS_TENANT_ID": TENANT_ID,
        "CHATBOT_TEAMS_PORT": str(port),
        "CHATBOT_TEAMS_OPENID_URL": fakes.keys.openid_url,
        "CHATBOT_TEAMS_AUTHORITY_URL": fakes.tokens.authority_url,
        "CHATBOT_DRAFTS_CHANNEL": DRAFTS,
        "CHATBOT_APPROVALS_CHANNEL": APPROVALS,
        "CHATBOT_SAFEGUARDING_CHANNEL": SAFEGUARDING,
        "CHATBOT_SLT_USERS": SLT,
        "CHATBOT_LOG_LEVEL": "INFO",
    }
    return env | extra


def run_cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )


class BotProcess:
    """`python -m chatbot run` with `env`, its output in `log_path`."""

    def __init__(self, env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self.port = int(env["CHATBOT_TEAMS_PORT"])
        self.url = f"http://127.0.0.1:{self.port}/api/messages"
        self.log_path = log_path
        with log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "chatbot", "run"],
                env=env,
                cwd=cwd,  # no stray .env from the developer's checkout
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self.http = requests.Session()  # one kept-alive connection, as Teams' front end has

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_listening(self, timeout: float = START_TIMEOUT) -> None:
        """Until the port accepts a connection (or the process has ended: its log says why)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise HarnessError(f"chatbot run exited ({self.process.returncode}):\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise HarnessError(f"nothing listened on {self.port}:\n{self.log()}") from None
                time.sleep(0.1)  # the next look at the port; the deadline above bounds it

    def post(self, activity: dict[str, Any], token: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = self.http.post(self.url, json=activity, headers=headers, timeout=STEP_TIMEOUT)
        is_json = "json" in answer.headers.get("content-type", "")
        return answer.status_code, (answer.json() if answer.content and is_json else None)

    def stop(self) -> int:
        self.http.close()
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise HarnessError(f"chatbot run did not stop on SIGTERM:\n{self.log()}") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# -- playing Teams -----------------------------------------------------------------------------


def person(object_id: str, name: str) -> dict[str, str]:
    return {"id": f"29:1{object_id[:8]}", "name": name, "aadObjectId": object_id}


def activity(fakes: TeamsFakes, place: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """An activity in a channel's post `place` (channel id, root activity id), as Teams
    shapes it: the conversation is the channel with ``;messageid=<root>``."""
    channel, root = place
    base: dict[str, Any] = {
        "channelId": "msteams",
        "serviceUrl": fakes.connector.service_url,
        "timestamp": "2026-11-25T10:42:00.000Z",
        "recipient": {"id": f"28:{APP_ID}", "name": "School posts"},
        "conversation": {
            "id": f"{channel};messageid={root}",
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT_ID,
        },
        "channelData": {
            "teamsChannelId": channel,
            "teamsTeamId": TEAM,
            "channel": {"id": channel},
            "team": {"id": TEAM},
            "tenant": {"id": TENANT_ID},
        },
    }
    return base | fields


def channel_post(
    fakes: TeamsFakes, activity_id: str, html: str, photo_urls: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A new top-level post by the author in the drafts channel, photos pasted into it."""
    images = "".join(f'<p><img src="{url}" alt="image"></p>' for url in photo_urls)
    body = html + images
    attachments = [{"contentType": "image/*", "contentUrl": url} for url in photo_urls]
    return activity(
        fakes,
        (DRAFTS, activity_id),
        type="message",
        id=activity_id,
        text=body,
        textFormat="xml",
        attachments=[*attachments, {"contentType": "text/html", "content": body}],
        **{"from": person(AUTHOR, "Sam Teacher")},
    )


def invoke(
    fakes: TeamsFakes, place: tuple[str, str], who: dict[str, str], name: str, value: Any
) -> dict[str, Any]:
    """An invoke (a click, a dialog) from `who` on the post `place`."""
    return activity(
        fakes,
        place,
        type="invoke",
        id=f"f:{time.monotonic_ns()}",
        name=name,
        replyToId=place[1],
        value=value,
        **{"from": who},
    )


def execute(verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """The value of an ``adaptiveCard/action`` invoke for an ``Action.Execute`` button."""
    return {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}


# -- what the bot sent -------------------------------------------------------------------------


def cards_in(body: Any) -> list[dict[str, Any]]:
    """The Adaptive Cards of an activity (or of a new conversation's first activity)."""
    if not isinstance(body, dict):
        return []
    found = body.get("attachments") or (body.get("activity") or {}).get("attachments") or []
    return [a["content"] for a in found if isinstance(a.get("content"), dict)]


def action_with(card: Any, key: str, value: str) -> dict[str, Any] | None:
    """The first action whose own `key` or data's `key` is `value` (a verb, say)."""
    for node in walk(card):
        data = node.get("data")
        is_action = str(node.get("type", "")).startswith("Action.")
        if is_action and isinstance(data, dict) and value in (data.get(key), node.get(key)):
            return node
    return None


def has_verb(body: Any, verb: str) -> bool:
    return any(action_with(card, "verb", verb) for card in cards_in(body))


def in_thread(request: Request, channel: str, root: str) -> bool:
    """A request that posts into the thread of `root` in `channel` (either way of saying it)."""
    path = request.path
    return f"{channel};messageid={root}" in path or path.endswith(
        f"/conversations/{channel}/activities/{root}"
    )


def wait_sent(
    fakes: TeamsFakes,
    matches: Callable[[Request, Any], bool],
    what: str,
    *,
    timeout: float = STEP_TIMEOUT,
) -> Request:
    """The first connector request with a valid token that `matches`, within `timeout`."""

    def accepted(request: Request) -> bool:
        if not fakes.tokens.is_valid(request.bearer):
            return False
        try:
            return matches(request, request.json() if request.body else None)
        except (KeyError, TypeError, ValueError):
            return False

    try:
        return fakes.connector.wait_for(accepted, timeout=timeout)[0]
    except AssertionError:
        sent = [(r.method, r.path, r.body[:300]) for r in fakes.connector.requests()]
        raise HarnessError(f"the bot never sent {what}; the connector saw {sent}") from None


def posted_to(request: Request, body: Any, channel: str) -> bool:
    """A new post (or message) in `channel`: POST /v3/conversations with the channel in its
    channelData, or POST to the channel's conversation."""
    if request.method != "POST":
        return False
    return channel in request.path or channel in json.dumps((body or {}).get("channelData") or {})
