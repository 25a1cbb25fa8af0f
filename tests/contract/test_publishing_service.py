"""The publishing worker against the `Publisher` port itself (tests/fakes/ports.py), no HTTP:
what each kind of `PublishError` does to the draft, the publisher and the people told.

test_publishing_worker.py runs the same worker through the X adapter and the fake X; this
module pins the port's meaning, which any network's publisher relies on.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft
from chatbot.services.ports import PublishErrorKind
from chatbot.services.publishing import state as publishing
from chatbot.worker import Worker
from tests.fakes.ports import FakeChat, FakePublisher
from tests.publish_support import FakeClock, approved_draft


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def worker(
    sessions: sessionmaker[Session], publisher: FakePublisher, chat: FakeChat, clock: FakeClock
) -> Worker:
    return Worker(sessions, publisher, chat, clock=clock, rng=random.Random(5))


def state(sessions: sessionmaker[Session], draft_id: int) -> str:
    with sessions() as session:
        return session.get_one(Draft, draft_id).state


def test_an_approved_draft_is_posted_once_and_its_author_told(
    sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    publisher, chat = FakePublisher(), FakeChat()
    draft_id = approved_draft(sessions, text="Sports day", now=clock(), photos=1, alts=("Race",))
    run = worker(sessions, publisher, chat, clock)
    assert run.run_once() == 1
    assert run.run_once() == 0
    [(text, media)] = publisher.posts
    assert (text, len(media), publisher.alt_texts[media[0]]) == ("Sports day", 1, "Race")
    assert state(sessions, draft_id) == "published"
    with sessions() as session:
        posted = publishing.post_of(session, draft_id, publisher.network)
        assert posted is not None
    [said] = chat.told(draft_id)
    assert said.endswith(posted.url)
    assert chat.redraws(draft_id) == 1
    assert chat.approvers_told() == []


def test_a_transient_error_retries_soon_reusing_the_uploaded_photo(
    sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    publisher, chat = FakePublisher(), FakeChat()
    publisher.fail_next(PublishErrorKind.TRANSIENT)
    draft_id = approved_draft(sessions, text="Harvest festival", now=clock(), photos=1)
    run = worker(sessions, publisher, chat, clock)
    run.run_once()
    assert state(sessions, draft_id) == "approved"
    clock.advance(minutes=5)  # past any first backoff
    run.run_once()
    assert state(sessions, draft_id) == "published"
    assert (publisher.attempts, len(publisher.posts), len(publisher.uploads)) == (2, 1, 1)
    assert chat.approvers_told() == []


def test_a_duplicate_needs_a_person_and_is_never_posted_again(
    sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    publisher, chat = FakePublisher(), FakeChat()
    publisher.fail_next(PublishErrorKind.DUPLICATE)
    draft_id = approved_draft(sessions, text="Our new library is open!", now=clock())
    run = worker(sessions, publisher, chat, clock)
    run.run_once()
    clock.advance(hours=1)
    run.run_once()
    assert state(sessions, draft_id) == "needs_review"
    assert publisher.attempts == 1
    [notice] = chat.approvers_told()
    assert "duplicate" in notice
    assert chat.redraws(draft_id) == 1


def test_refused_credentials_pause_publishing_with_one_notice_until_resumed(
    sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    publisher, chat = FakePublisher(), FakeChat()
    publisher.fail_next(PublishErrorKind.CREDENTIALS)
    first = approved_draft(sessions, text="Sports day", now=clock())
    second = approved_draft(sessions, text="Sports day results", now=clock())
    run = worker(sessions, publisher, chat, clock)
    run.run_once()
    clock.advance(hours=1)
    run.run_once()
    assert publisher.attempts == 1  # paused after the first refusal
    assert [state(sessions, d) for d in (first, second)] == ["approved", "approved"]
    assert len(chat.approvers_told()) == 1
    assert publishing.resume_publishing(sessions, "cli:head") is True
    run.run_once()
    assert [state(sessions, d) for d in (first, second)] == ["published", "published"]
    assert len(chat.approvers_told()) == 1
