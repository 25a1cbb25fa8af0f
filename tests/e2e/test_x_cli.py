"""`chatbot x whoami`, `chatbot x delete` and `chatbot worker` as processes, against the fake X."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft
from chatbot.services.publishing.state import post_of, record_post
from tests.fakes import x_server
from tests.fakes.x_server import FakeX, settings_env
from tests.publish_support import FakeClock, approved_draft, publisher_for

fake_x = x_server.fake_x


def run_cli(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args],
        env=clean | env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_whoami_prints_the_handle(fake_x: FakeX, tmp_path: Path) -> None:
    result = run_cli("x", "whoami", env=settings_env(fake_x.url), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "@HuntsCrossPri"


def test_whoami_explains_refused_credentials_without_printing_them(
    fake_x: FakeX, tmp_path: Path
) -> None:
    fake_x.fail("GET /2/users/me", 401, {"title": "Unauthorized", "detail": "Unauthorized"})
    env = settings_env(fake_x.url)
    result = run_cli("x", "whoami", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "X refused the credentials" in result.stderr
    assert "Read and Write" in result.stderr
    for secret in ("CHATBOT_X_API_SECRET", "CHATBOT_X_ACCESS_TOKEN_SECRET"):
        assert env[secret] not in result.stderr + result.stdout


def test_whoami_without_credentials_says_which_to_set(tmp_path: Path) -> None:
    result = run_cli("x", "whoami", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "CHATBOT_X_ACCESS_TOKEN_SECRET" in result.stderr


def test_delete_by_draft_id_asks_then_deletes_and_audits(
    fake_x: FakeX, database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    clock = FakeClock()
    draft_id = approved_draft(sessions, text="Oops", now=clock())
    ref = publisher_for(fake_x).create_post("Oops")
    with sessions.begin() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        draft.state = "published"
        record_post(session, draft_id, "x", ref.id, ref.url)
    env = settings_env(fake_x.url) | {"CHATBOT_DATABASE_URL": database_url}

    refused = run_cli(
        "x", "delete", str(draft_id), "--reason", "x", env=env, cwd=tmp_path, stdin="n\n"
    )
    assert refused.returncode == 1
    assert fake_x.live_posts() != []

    result = run_cli(
        "x", "delete", str(draft_id), "--reason", "wrong photo", env=env, cwd=tmp_path, stdin="y\n"
    )
    assert result.returncode == 0, result.stderr
    assert f"deleted post {ref.id} (draft #{draft_id})" in result.stdout
    assert fake_x.live_posts() == []
    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        assert draft.state == "deleted"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "x_post_deleted"))
        assert entry is not None
        assert (entry.subject, entry.reason) == (ref.id, "wrong photo")
        assert entry.actor.startswith("cli")


def test_delete_by_post_id_not_from_a_draft(
    fake_x: FakeX, database_url: str, tmp_path: Path
) -> None:
    ref = publisher_for(fake_x).create_post("Posted by hand")
    env = settings_env(fake_x.url) | {"CHATBOT_DATABASE_URL": database_url}
    result = run_cli("x", "delete", ref.id, "--reason", "by hand", "--yes", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(not from a draft)" in result.stdout
    assert fake_x.live_posts() == []


def test_delete_needs_a_reason(tmp_path: Path) -> None:
    result = run_cli("x", "delete", "12", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "--reason" in result.stderr


def test_worker_drains_the_outbox_in_dry_run_without_credentials(
    database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    draft_id = approved_draft(sessions, text="Trial", now=FakeClock()())
    env = {"CHATBOT_DATABASE_URL": database_url}
    result = run_cli("worker", "--drain", "--poll-seconds", "0.05", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "dry run" in result.stderr
    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        assert draft.state == "published"
        posted = post_of(session, draft_id)
        assert posted is not None
        assert posted.post_id.startswith("dryrun-")
