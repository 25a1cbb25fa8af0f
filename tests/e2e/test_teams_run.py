"""The real `CHATBOT_PLATFORM=teams chatbot run` process, from a draft with a photo to one post.

The process is started as a school would start it (`python -m chatbot run` with CHATBOT_*
settings). Around it: Bot Framework's OpenID/JWKS documents and Entra's token endpoint over
HTTPS with a test CA (given to the process through ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE``),
a fake Bot Connector at the activity's ``serviceUrl``, and the fake X with real credentials.
The test plays Teams (tests/e2e/teams_run_support.py): it POSTs activities signed with the test
key to ``/api/messages`` and waits on what the bot sent to the connector, on the fakes'
condition variables with deadlines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PHOTOS
from tests.e2e.teams_run_support import (
    APPROVALS,
    AUTHOR,
    DRAFTS,
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
    in_thread,
    invoke,
    person,
    posted_to,
    run_cli,
    teams_fakes_answering,
    wait_sent,
)
from tests.fakes.teams import APP_PASSWORD, SigningKey, TeamsFakes
from tests.fakes.x_server import settings_env
from tests.fakes.x_social import SocialX
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)
from tests.fixtures.adaptive_cards import inputs

pytestmark = pytest.mark.slow

ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "roster.csv"
PUPIL = "Zoë Smith"  # on the register with Twitter consent
TEXT = "Year 4 built a Roman shield wall in the playground this afternoon."
ALT = "Children holding painted cardboard shields in the playground"


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[TeamsFakes]:
    with teams_fakes_answering(tmp_path / "teams") as started:
        yield started


@pytest.fixture
def bot(
    fakes: TeamsFakes, social_x: SocialX, database_url: str, tmp_path: Path
) -> Iterator[BotProcess]:
    env = bot_env(
        fakes,
        database_url=database_url,
        data_dir=tmp_path / "data",
        port=free_port(),
        extra=settings_env(social_x.url),
    )
    imported = run_cli(env, tmp_path, "pupils", "import", str(ROSTER))
    assert imported.returncode == 0, imported.stderr
    started = BotProcess(env, tmp_path, tmp_path / "run.log")
    try:
        started.wait_listening()
        yield started
    except HarnessError as exc:
        pytest.fail(str(exc))
    finally:
        started.kill()
        # Shown by pytest only when the test failed: what the bot said meanwhile.
        print(f"--- chatbot run's log ---\n{started.log()[-20_000:]}")


def _ok(status: int, body: Any) -> None:
    assert status == 200, body


def _declare(bot: BotProcess, fakes: TeamsFakes, root: str, declare: dict[str, Any]) -> None:
    """The author opens the dialog (task/fetch), names the pupil and describes the photo
    (task/submit); the dialog closes without errors."""
    author = person(AUTHOR, "Sam Teacher")
    fetch = {"type": "task/fetch", "data": declare["data"]}
    status, opened = bot.post(
        invoke(fakes, (DRAFTS, root), author, "task/fetch", fetch), fakes.sign()
    )
    _ok(status, opened)
    assert opened["task"]["type"] == "continue"
    dialog = opened["task"]["value"]["card"]["content"]
    fields = inputs(dialog)
    assert {"pictured_pupils", "no_pupils", "alt_text_0"} <= set(fields)
    [pupil_id] = [
        c["value"] for c in fields["pictured_pupils"]["choices"] if c["title"].startswith(PUPIL)
    ]
    submit = action_with(dialog, "verb", "declare_photos")
    assert submit is not None
    assert submit["data"]["draft"] == declare["data"]["draft"]
    answers = submit["data"] | {
        "pictured_pupils": pupil_id,
        "no_pupils": "false",
        "alt_text_0": ALT,
    }
    if "photo_source" in fields:
        answers["photo_source"] = "staff"
    value = {"type": "task/submit", "data": answers}
    status, closed = bot.post(
        invoke(fakes, (DRAFTS, root), author, "task/submit", value), fakes.sign()
    )
    _ok(status, closed)
    assert (closed or {}).get("task", {}).get("type") != "continue", closed  # no errors shown


def test_draft_with_a_photo_to_declaration_approval_and_one_post(
    bot: BotProcess, fakes: TeamsFakes, social_x: SocialX
) -> None:
    photo_url = fakes.connector.add_attachment((PHOTOS / "one-face.jpg").read_bytes())
    root = "1732531320000"

    # A request signed by another key does nothing.
    stranger = SigningKey(kid=fakes.key.kid).sign(
        app_id=fakes.tokens.client_id, service_url=fakes.connector.service_url
    )
    status, _ = bot.post(channel_post(fakes, root, f"<p>{TEXT}</p>", (photo_url,)), stranger)
    assert status == 401
    assert fakes.connector.requests() == []

    # 1. Staff post a draft with a photo: the bot downloads it and asks who is pictured.
    status, _ = bot.post(channel_post(fakes, root, f"<p>{TEXT}</p>", (photo_url,)), fakes.sign())
    assert status in (200, 201, 202)
    question = wait_sent(
        fakes,
        lambda r, body: (
            r.method == "POST" and in_thread(r, DRAFTS, root) and has_verb(body, "draft_declare")
        ),
        "the question who is pictured in the draft's reply chain",
    )
    declare = next(
        a for c in cards_in(question.json()) if (a := action_with(c, "verb", "draft_declare"))
    )
    assert declare["type"] == "Action.Submit"
    assert declare["data"]["msteams"] == {"type": "task/fetch"}
    draft_id = declare["data"]["draft"]

    # 2. The declaration dialog.
    _declare(bot, fakes, root, declare)

    # 3. The approval card arrives in the approvals channel with the contract's verbs.
    posted = wait_sent(
        fakes,
        lambda r, body: posted_to(r, body, APPROVALS) and has_verb(body, "draft_approve"),
        "the approval card to the approvals channel",
    )
    card_id = connector_of(fakes).answer_id(posted)
    card = cards_in(posted.json())[0]
    approve = action_with(card, "verb", "draft_approve")
    assert approve is not None
    assert approve["type"] == "Action.Execute"
    assert approve["data"] == {"draft": draft_id}
    assert TEXT in json.dumps(card, ensure_ascii=False)
    # The photo was fetched from the service URL's host, with the bot's token.
    downloads = [r for r in fakes.connector.requests("GET") if r.path.endswith("/views/original")]
    assert downloads
    assert all(fakes.tokens.is_valid(r.bearer) for r in downloads)

    # 4. The author may not approve their own draft: told privately, nothing published.
    click = execute("draft_approve", approve["data"])
    author = person(AUTHOR, "Sam Teacher")
    status, refused = bot.post(
        invoke(fakes, (APPROVALS, card_id), author, "adaptiveCard/action", click), fakes.sign()
    )
    _ok(status, refused)
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert social_x.calls("POST /2/tweets") == []

    # 5. SLT approve: answered in the response; the card updated in place for everyone.
    slt = person(SLT, "Pat Head")
    status, answer = bot.post(
        invoke(fakes, (APPROVALS, card_id), slt, "adaptiveCard/action", click), fakes.sign()
    )
    _ok(status, answer)
    assert answer["statusCode"] == 200
    wait_sent(
        fakes,
        lambda r, body: (
            r.method == "PUT"
            and r.path.endswith(f"/activities/{card_id}")
            and not has_verb(body, "draft_approve")
        ),
        "the approval card updated without its buttons",
    )

    # 6. The worker (in the same process) publishes once, with the photo and its alt text.
    assert social_x.wait_for("POST /2/tweets", timeout=20)
    [tweet] = social_x.calls("POST /2/tweets")
    assert tweet.json["text"] == TEXT
    assert len(tweet.json["media"]["media_ids"]) == 1
    assert len(social_x.live_posts()) == 1

    assert bot.stop() == 0
    log = bot.log()
    assert APP_PASSWORD not in log
    for token in fakes.tokens.issued():
        assert token not in log
    for word in ("Zoë", "Smith", "shield"):
        assert word not in log


def test_text_draft_rejected_with_a_reason_tells_the_author_and_posts_nothing(
    bot: BotProcess, fakes: TeamsFakes, social_x: SocialX
) -> None:
    root = "1732531330000"
    text = "Our choir sang beautifully at the care home this morning."
    status, _ = bot.post(channel_post(fakes, root, f"<p>{text}</p>"), fakes.sign())
    assert status in (200, 201, 202)
    posted = wait_sent(
        fakes,
        lambda r, body: posted_to(r, body, APPROVALS) and has_verb(body, "draft_reject"),
        "the approval card of a text draft",
    )
    card_id = connector_of(fakes).answer_id(posted)
    reject = action_with(cards_in(posted.json())[0], "verb", "draft_reject")
    assert reject is not None
    assert reject["type"] == "Action.Execute"
    # Teams sends the card's inputs (the reason under "Reject…") merged into the data.
    reason = "Please name the care home's permission first."
    click = execute("draft_reject", reject["data"] | {"reason": reason})
    slt = person(SLT, "Pat Head")
    status, answer = bot.post(
        invoke(fakes, (APPROVALS, card_id), slt, "adaptiveCard/action", click), fakes.sign()
    )
    _ok(status, answer)
    wait_sent(
        fakes,
        lambda r, body: (
            r.method == "PUT"
            and r.path.endswith(f"/activities/{card_id}")
            and not has_verb(body, "draft_approve")
        ),
        "the rejected card updated in place",
    )
    told = wait_sent(
        fakes,
        lambda r, _body: (
            r.method == "POST" and in_thread(r, DRAFTS, root) and reason in r.body.decode()
        ),
        "the reason to the author in the draft's reply chain",
    )
    assert AUTHOR in told.body.decode()  # the author is @mentioned
    assert social_x.calls("POST /2/tweets") == []
    assert bot.stop() == 0
    assert "care home" not in bot.log()


def test_a_wrong_client_secret_stops_start_up_naming_the_settings(
    fakes: TeamsFakes, database_url: str, tmp_path: Path
) -> None:
    wrong = "Qx8~a-secret-value-that-is-not-this-apps"
    env = bot_env(
        fakes,
        database_url=database_url,
        data_dir=tmp_path / "data",
        port=free_port(),
        extra={"CHATBOT_TEAMS_APP_PASSWORD": wrong},
    )
    bot = BotProcess(env, tmp_path, tmp_path / "run.log")
    try:
        status = bot.process.wait(timeout=60)
    finally:
        bot.kill()
    log = bot.log()
    assert status == 2, log
    assert "CHATBOT_TEAMS_APP_PASSWORD" in log
    assert wrong not in log
    assert "Traceback" not in log
    assert fakes.connector.requests() == []
