"""`chatbot consent posts` and `chatbot consent withdraw` with live posts picturing the pupil."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from chatbot.adapters.db.db import make_engine
from chatbot.adapters.db.models import (
    AuditEntry,
    Draft,
    NetworkPost,
    PastPostReview,
    PicturedPupil,
    PupilRow,
)
from chatbot.entrypoints.main import main
from chatbot.services.roster_csv import FIELDS
from tests.conftest import FIXTURES
from tests.fakes.slack_server import APPROVALS, FakeSlack, fake_slack

__all__ = ["fake_slack"]

ROSTER = FIXTURES / "roster.csv"


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CHATBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("CHATBOT_DATA_DIR", str(tmp_path / "data"))
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def live_post(engine: Engine, text: str, first_name: str, *, state: str = "published") -> int:
    with Session(engine) as session, session.begin():
        pupil = session.scalars(select(PupilRow).where(PupilRow.first_name == first_name)).one()
        draft = Draft(author_id="U0STAFF01", text=text, source_text=text, state=state)
        session.add(draft)
        session.flush()
        session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil.id))
        post_id = str(1000 + draft.id)
        url = f"https://x.com/HuntsCrossPri/status/{post_id}"
        session.add(NetworkPost(draft_id=draft.id, network="x", post_id=post_id, url=url))
        session.add(
            AuditEntry(
                actor="system",
                action="published",
                draft_id=draft.id,
                at=datetime(2026, 6, 20, 15, 5, tzinfo=UTC),  # 16:05 in London (BST)
            )
        )
        return draft.id


def test_consent_posts_lists_live_posts_with_date_excerpt_and_link(cli_env: Engine) -> None:
    run("pupils", "import", str(ROSTER))
    first = live_post(cli_env, "Year 4 painting   sunflowers\nin the art room.", "Zoë")
    live_post(cli_env, "An old post, taken down.", "Zoë", state="deleted")
    live_post(cli_env, "Year 6 at the science fair.", "Mohammed")

    result = run("consent", "posts", "Zoë Smith")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 live post on X pictures this pupil:"
    assert f"draft #{first}" in lines[1]
    assert "20 Jun 2026, 16:05" in lines[1]  # London time
    assert '"Year 4 painting sunflowers in the art room."' in lines[1]
    assert f"https://x.com/HuntsCrossPri/status/{1000 + first}" in lines[1]
    assert "science fair" not in result.stdout
    assert "taken down" not in result.stdout

    none = run("consent", "posts", "Will Brown")
    assert none.exit_code == 0
    assert none.stdout.strip() == "no live posts on X picture this pupil"
    unknown = run("consent", "posts", "Zoe Smyth")
    assert unknown.exit_code == 2
    assert 'did you mean "Zoë Smith"?' in unknown.stderr


def test_same_name_pupils_are_chosen_by_upn(cli_env: Engine, tmp_path: Path) -> None:
    twins = tmp_path / "twins.csv"
    twins.write_text(
        "upn," + ",".join(FIELDS) + "\n"
        "H341210724090,Jack,Jones,,2,2026/27,yes,yes\n"
        "A341210720029,Jack,Jones,,6,2026/27,yes,yes\n",
        encoding="utf-8",
    )
    assert run("pupils", "import", str(twins)).exit_code == 0
    ambiguous = run("consent", "posts", "Jack Jones")
    assert ambiguous.exit_code == 2
    assert '2 pupils are called "Jack Jones"' in ambiguous.stderr
    assert "UPN" in ambiguous.stderr
    by_upn = run("consent", "posts", "A341210720029")
    assert by_upn.exit_code == 0
    assert "no live posts" in by_upn.stdout


def test_withdraw_without_chat_leaves_the_card_to_the_worker(cli_env: Engine) -> None:
    run("pupils", "import", str(ROSTER))
    live_post(cli_env, "Sports day relay.", "Zoë")
    result = run("consent", "withdraw", "Zoë Smith", "--channel", "twitter", "--year", "2026/27")
    assert result.exit_code == 0, result.output
    assert "the worker will show SLT the list" in result.stdout
    with Session(cli_env) as session:
        review = session.scalars(select(PastPostReview)).one()
        assert review.announced_at is None
        assert [i.post_id for i in review.items] != []


def test_withdraw_with_slack_posts_the_card(
    cli_env: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATBOT_SLACK_BOT_TOKEN", fake_slack.bot_token)
    monkeypatch.setenv("CHATBOT_SLACK_API_URL", fake_slack.base_url)
    monkeypatch.setenv("CHATBOT_APPROVALS_CHANNEL", APPROVALS)
    run("pupils", "import", str(ROSTER))
    draft_id = live_post(cli_env, "Sports day relay.", "Zoë")
    result = run("consent", "withdraw", "Zoë Smith", "--channel", "twitter", "--year", "2026/27")
    assert result.exit_code == 0, result.output
    assert "SLT have a card" in result.stdout
    (card,) = [
        c.params for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == APPROVALS
    ]
    blocks = card["blocks"] if isinstance(card["blocks"], list) else json.loads(card["blocks"])
    assert "Sports day relay." in json.dumps(blocks)
    assert str(draft_id) in json.dumps(blocks)
    # shown once: the worker's sweep finds nothing left to show
    with Session(cli_env) as session:
        assert session.scalars(select(PastPostReview)).one().announced_at is not None
