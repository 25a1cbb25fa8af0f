"""The outbox worker end to end: real database, real tweepy, the fake X server, a fake clock."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import make_engine, make_sessionmaker
from chatbot.adapters.db.models import (
    AuditEntry,
    ConsentRow,
    Draft,
    KeyValue,
    NetworkMedia,
    OutboxItem,
    PeriodicTask,
    Photo,
    utcnow,
)
from chatbot.adapters.db.repositories import StaleState
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.adapters.x.dryrun import DryRunPublisher, is_dry_run_post
from chatbot.domain.actors import Actor
from chatbot.domain.messages import as_message
from chatbot.services.ports import PostRef, Publisher
from chatbot.services.publishing import commands, retention
from chatbot.services.publishing import state as pub_state
from chatbot.worker import Worker, add_publishing_tasks
from tests.fakes import x_server
from tests.fakes.x_server import FakeX
from tests.publish_support import FakeClock, RecordingChat, approved_draft, publisher_for

HEAD = Actor("U0SLT0001", is_slt=True)
DEPUTY = Actor("U0SLT0002", is_slt=True)

fake_x = x_server.fake_x


def make_worker(
    sessions: sessionmaker[Session],
    publisher: Publisher,
    chat: RecordingChat,
    clock: FakeClock,
    **kwargs: object,
) -> Worker:
    return Worker(
        sessions,
        publisher,
        chat,
        clock=clock,
        rng=random.Random(5),
        **kwargs,  # type: ignore[arg-type]
    )


def state(sessions: sessionmaker[Session], draft_id: int) -> str:
    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        return draft.state


def item(sessions: sessionmaker[Session], draft_id: int) -> OutboxItem:
    with sessions() as session:
        row = session.scalars(
            select(OutboxItem).where(OutboxItem.draft_id == draft_id).order_by(OutboxItem.id.desc())
        ).first()
        assert row is not None
        return row


def actions(sessions: sessionmaker[Session], draft_id: int) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.draft_id == draft_id)
                .order_by(AuditEntry.id)
            )
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


def test_happy_path_uploads_sets_alt_text_posts_and_tells_people(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(
        sessions,
        text="Year 4 planted bulbs today #HuntsCross",
        now=clock(),
        photos=2,
        alts=("Children planting bulbs",),
        pupils=(True, True),
    )
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    assert worker.run_once() == 1

    [post] = fake_x.live_posts()
    assert post.text == "Year 4 planted bulbs today #HuntsCross"
    assert len(post.media_ids) == 2
    assert fake_x.media[post.media_ids[0]]["alt_text"] == "Children planting bulbs"
    assert fake_x.media[post.media_ids[1]]["alt_text"] is None  # no alt text, no metadata call
    assert len(fake_x.calls("POST /2/media/metadata")) == 1
    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        posted = pub_state.post_of(session, draft_id, "x")
        assert posted is not None
        assert (draft.state, posted.post_id) == ("published", post.id)
        assert posted.url == f"https://x.com/i/status/{post.id}"
        media = session.scalars(
            select(NetworkMedia.media_id)
            .join(Photo, Photo.id == NetworkMedia.photo_id)
            .where(NetworkMedia.network == "x")
            .order_by(Photo.position)
        ).all()
        assert list(media) == post.media_ids
    assert item(sessions, draft_id).state == "done"
    assert actions(sessions, draft_id) == ["publishing", "published"]
    assert chat.named("refresh_card") == [(draft_id,)]
    assert chat.named("tell_author") == [(draft_id, f"Published on X: {posted.url}")]
    assert worker.run_once() == 0


def policy_worker(
    sessions: sessionmaker[Session], publisher: Publisher, chat: RecordingChat, clock: FakeClock
) -> Worker:
    """A worker with the shipped policy's [publishing] settings."""
    from chatbot.policy.engine import load_policy
    from chatbot.worker import worker_for_policy

    return worker_for_policy(
        sessions, publisher, chat, load_policy(), clock=clock, rng=random.Random(5)
    )


def test_a_passing_outage_delays_a_post_by_seconds_and_reuses_uploaded_media(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Harvest festival", now=clock(), photos=1)
    fake_x.fail("POST /2/tweets", 503, {"title": "Service Unavailable"}, times=2)
    worker = policy_worker(sessions, publisher_for(fake_x), chat, clock)
    started = clock()

    worker.run_once()
    first = item(sessions, draft_id)
    assert (state(sessions, draft_id), first.state, first.attempts) == ("approved", "queued", 1)
    first_wait = first.due_at - clock()
    assert timedelta(seconds=1) <= first_wait <= timedelta(seconds=2)  # base, equal jitter
    assert worker.run_once() == 0  # not before it is due

    clock.advance(seconds=first_wait.total_seconds())
    worker.run_once()
    second = item(sessions, draft_id)
    second_wait = second.due_at - clock()
    assert timedelta(seconds=2) <= second_wait <= timedelta(seconds=4)  # doubled

    clock.advance(seconds=second_wait.total_seconds())
    worker.run_once()
    assert state(sessions, draft_id) == "published"
    assert clock() - started <= timedelta(seconds=6)  # two 503s cost seconds, not a minute
    assert len(fake_x.calls("POST /2/media/upload")) == 1  # the media id was reused
    assert len(fake_x.calls("POST /2/tweets")) == 3
    assert chat.named("notify_approvers") == []


def test_a_long_outage_backs_off_doubling_to_the_cap_then_publishes(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    from chatbot.policy.engine import load_policy

    settings = load_policy().publishing
    failures = settings.max_attempts - 1  # the last attempt goes through
    draft_id = approved_draft(sessions, text="Sports day results", now=clock())
    fake_x.fail("POST /2/tweets", 503, {"title": "Service Unavailable"}, times=failures)
    worker = policy_worker(sessions, publisher_for(fake_x), chat, clock)

    waits = []
    for attempt in range(1, failures + 1):
        worker.run_once()
        row = item(sessions, draft_id)
        assert (row.state, row.attempts) == ("queued", attempt)
        wait = (row.due_at - clock()).total_seconds()
        ceiling = min(
            settings.backoff_max_seconds, settings.backoff_base_seconds * 2 ** (attempt - 1)
        )
        assert ceiling / 2 <= wait <= ceiling, (attempt, wait)
        waits.append(wait)
        clock.advance(seconds=wait)
    worker.run_once()

    assert state(sessions, draft_id) == "published"
    assert waits[0] <= 5  # the first retry within a few seconds
    assert waits[-1] >= settings.backoff_max_seconds / 2  # grown to the cap...
    assert max(waits) <= settings.backoff_max_seconds  # ...and never past it
    assert len(fake_x.calls("POST /2/tweets")) == settings.max_attempts


def test_the_card_never_says_queued_for_a_post_x_did_not_confirm(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    from chatbot.adapters.slack.cards import draft_card
    from chatbot.services.draft_view import load_view

    unclear = approved_draft(sessions, text="Maybe posted", now=clock())
    waiting = approved_draft(sessions, text="Not yet tried", now=clock() + timedelta(seconds=1))
    fake_x.fail("POST /2/tweets", 503, {"title": "Service Unavailable"})
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)
    worker.publishing.process_next()  # the first draft: X answers 503 to the post itself

    def status(draft_id: int) -> str:
        with sessions() as session:
            view = load_view(session, draft_id, now=clock(), limits=X_LIMITS)
        assert view is not None
        return repr(draft_card(view, now=clock(), dry_run=False).blocks_json())

    assert state(sessions, unclear) == "approved"
    assert "queued" not in status(unclear)
    assert "may already be posted" in status(unclear)
    assert "checking" in status(unclear)
    assert "queued to post on X" in status(waiting)  # nothing was sent for this one


def test_a_photo_only_post_is_not_retried_blindly_after_an_unclear_failure(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    """Without text X's duplicate check cannot catch a second copy: a person decides."""
    draft_id = approved_draft(sessions, text="", now=clock(), photos=1, no_pupils=True)
    fake_x.fail("POST /2/tweets", 503, {"title": "Service Unavailable"})
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    worker.run_once()
    clock.advance(hours=2)
    worker.run_once()

    assert (state(sessions, draft_id), item(sessions, draft_id).state) == (
        "needs_review",
        "needs_review",
    )
    assert len(fake_x.calls("POST /2/tweets")) == 1
    [notice] = chat.named("notify_approvers")
    assert "may or may not" in notice[0]
    assert chat.named("refresh_card") == [(draft_id,)]


def test_after_max_attempts_it_fails_and_retry_publishes(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Christmas fair", now=clock())
    fake_x.fail("POST /2/tweets", 500, {"title": "Internal Server Error"}, times=3)
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock, max_attempts=3)

    for _ in range(3):
        worker.run_once()
        clock.advance(hours=2)

    assert state(sessions, draft_id) == "failed"
    assert item(sessions, draft_id).state == "failed"
    [notice] = chat.named("notify_approvers")
    assert "after 3 attempt(s)" in notice[0]
    assert "Retry" in notice[0]

    assert commands.retry(sessions, chat, draft_id, HEAD).ok
    worker.run_once()

    assert state(sessions, draft_id) == "published"
    assert actions(sessions, draft_id)[-3:] == ["retry", "publishing", "published"]
    with sessions() as session:
        retried = session.scalar(select(AuditEntry).where(AuditEntry.action == "retry"))
        assert retried is not None
        assert retried.actor == "U0SLT0001"


def test_rate_limit_waits_for_the_reset_without_counting_an_attempt(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Book week", now=clock())
    reset = int(datetime.now(UTC).timestamp()) + 900
    fake_x.rate_limit("POST /2/tweets", reset)
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    worker.run_once()

    row = item(sessions, draft_id)
    assert (row.state, row.attempts) == ("queued", 0)
    assert timedelta(seconds=880) <= row.due_at - clock() <= timedelta(seconds=900)
    clock.advance(seconds=600)
    assert worker.run_once() == 0
    clock.advance(seconds=300)
    worker.run_once()
    assert state(sessions, draft_id) == "published"


def test_credentials_pause_publishing_with_one_alert_until_resumed(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    first = approved_draft(sessions, text="Sports day", now=clock())
    second = approved_draft(sessions, text="Sports day results", now=clock())
    fake_x.fail("POST /2/tweets", 401, {"title": "Unauthorized", "detail": "Unauthorized"})
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    worker.run_once()
    worker.run_once()

    assert [state(sessions, d) for d in (first, second)] == ["approved", "approved"]
    assert len(fake_x.calls("POST /2/tweets")) == 1  # paused after the first refusal
    [alert] = chat.named("notify_approvers")
    assert "CHATBOT_X_" in alert[0]
    assert "Read and Write" in alert[0]
    with sessions() as session:
        assert session.get(KeyValue, pub_state.PAUSE_KEY) is not None

    assert pub_state.resume_publishing(sessions, "cli:head") is True
    worker.run_once()
    assert [state(sessions, d) for d in (first, second)] == ["published", "published"]
    assert len(chat.named("notify_approvers")) == 1


def test_a_restart_lifts_the_pause(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Parents evening", now=clock())
    with sessions.begin() as session:
        pub_state.pause_publishing(session, reason="X answered 401", now=clock())
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)
    assert worker.run_once() == 0

    stop = threading.Event()
    worker.run(stop, poll_seconds=0, drain=True)

    assert state(sessions, draft_id) == "published"


def test_duplicate_content_needs_review_then_mark_published(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    publisher = publisher_for(fake_x)
    earlier = publisher.create_post("Our new library is open!")
    draft_id = approved_draft(sessions, text="Our new library is open!", now=clock())
    worker = make_worker(sessions, publisher, chat, clock)

    worker.run_once()

    assert state(sessions, draft_id) == "needs_review"
    assert item(sessions, draft_id).state == "needs_review"
    [notice] = chat.named("notify_approvers")
    assert "duplicate" in notice[0]
    assert chat.named("refresh_card") == [(draft_id,)]

    url = f"https://x.com/HuntsCrossPri/status/{earlier.id}"
    assert commands.mark_published(sessions, chat, draft_id, HEAD, url, limits=X_LIMITS).ok
    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        posted = pub_state.post_of(session, draft_id)
        assert posted is not None
        assert (draft.state, posted.post_id, posted.url) == ("published", earlier.id, url)
    refused = commands.mark_published(
        sessions, chat, draft_id, HEAD, "https://example.com/x", limits=X_LIMITS
    )
    assert not refused.ok
    assert "link to a post" in refused.message


def test_consent_withdrawn_after_approval_stops_the_post(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(
        sessions, text="Class trip to the museum", now=clock(), photos=1, pupils=(True, True)
    )
    with sessions.begin() as session:
        consent = session.scalars(select(ConsentRow).order_by(ConsentRow.id)).first()
        assert consent is not None
        consent.withdrawn_at = clock()
        consent.withdrawn_by = "office"
        name = consent.pupil.first_name
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    worker.run_once()

    assert fake_x.requests == []  # nothing went to X, not even the photo
    assert state(sessions, draft_id) == "failed"
    assert item(sessions, draft_id).state == "cancelled"
    assert actions(sessions, draft_id) == ["publishing", "consent_withdrawn"]
    [notice] = chat.named("notify_approvers")
    assert "consent" in notice[0]
    assert "1 pictured pupil" in notice[0]
    assert all(name not in str(call) for call in chat.calls)  # never a pupil's name
    assert chat.named("refresh_card") == [(draft_id,)]


def test_missing_consent_record_or_undeclared_photos_stop_it_too(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    no_record = approved_draft(sessions, text="Choir", now=clock(), photos=1, pupils=(None,))
    undeclared = approved_draft(sessions, text="Art", now=clock(), photos=1, declared=False)
    nobody = approved_draft(sessions, text="Our garden", now=clock(), photos=1, no_pupils=True)
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    worker.run_once()

    assert state(sessions, no_record) == "failed"
    assert state(sessions, undeclared) == "failed"
    assert state(sessions, nobody) == "published"


def test_consent_is_for_the_academic_year_of_the_post_day(
    sessions: sessionmaker[Session], fake_x: FakeX, chat: RecordingChat
) -> None:
    clock = FakeClock(datetime(2027, 8, 31, 22, 30, tzinfo=UTC))  # 23:30 in London, 2026/27
    draft_id = approved_draft(
        sessions,
        text="Summer",
        now=clock(),
        photos=1,
        pupils=(True,),
        not_before=datetime(2027, 8, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 September in London
    )
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)
    clock.advance(hours=1)

    worker.run_once()

    assert state(sessions, draft_id) == "failed"  # the consent was for 2026/27 only


def test_scheduled_posts_wait_and_can_be_cancelled(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    tomorrow = pub_state.london_to_utc(
        (clock() + timedelta(days=1)).date(), datetime.min.time().replace(hour=8)
    )
    later = approved_draft(sessions, text="Good morning!", now=clock(), not_before=tomorrow)
    cancelled = approved_draft(sessions, text="Never mind", now=clock(), not_before=tomorrow)
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)

    assert worker.run_once() == 0
    assert commands.cancel_schedule(sessions, chat, cancelled, HEAD).ok
    assert state(sessions, cancelled) == "pending_approval"
    assert item(sessions, cancelled).state == "cancelled"

    clock.now = tomorrow - timedelta(seconds=1)
    assert worker.run_once() == 0
    clock.now = tomorrow
    assert worker.run_once() == 1

    assert state(sessions, later) == "published"
    assert state(sessions, cancelled) == "pending_approval"
    assert [p.text for p in fake_x.live_posts()] == ["Good morning!"]
    too_late = commands.cancel_schedule(sessions, chat, later, HEAD)
    assert not too_late.ok
    assert as_message(too_late.message).plain.startswith("Already approved by")


class _Died(BaseException):
    """The process died here (nothing in our code catches a BaseException)."""


class DiesAt:
    """A Publisher that forwards to X and dies at one step, as a killed process would."""

    def __init__(self, inner: Publisher, step: str, *, after: bool, nth: int = 1) -> None:
        self.inner = inner
        self.network = inner.network
        self.limits = inner.limits
        self.step = step
        self.after = after
        self.countdown = nth

    def _die_if(self, step: str, *, after: bool) -> None:
        if step == self.step and after == self.after:
            self.countdown -= 1
            if self.countdown == 0:
                raise _Died(step)

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        self._die_if("upload_photo", after=False)
        media_id = self.inner.upload_photo(data, mime_type)
        self._die_if("upload_photo", after=True)
        return media_id

    def set_alt_text(self, media_id: str, text: str) -> None:
        self._die_if("set_alt_text", after=False)
        self.inner.set_alt_text(media_id, text)
        self._die_if("set_alt_text", after=True)

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        self._die_if("create_post", after=False)
        ref = self.inner.create_post(text, media_ids)
        self._die_if("create_post", after=True)
        return ref

    def delete_post(self, post_id: str) -> None:
        self.inner.delete_post(post_id)


def test_lease_expiry_after_sending_the_post_needs_review_never_a_retry(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Gone mid-call", now=clock(), photos=1)
    dying = make_worker(
        sessions, DiesAt(publisher_for(fake_x), "create_post", after=True), chat, clock
    )
    with pytest.raises(_Died):
        dying.run_once()
    assert state(sessions, draft_id) == "publishing"

    survivor = make_worker(sessions, publisher_for(fake_x), chat, clock, lease_seconds=300)
    assert survivor.run_once() == 0  # the lease still runs
    clock.advance(seconds=301)
    survivor.run_once()

    assert state(sessions, draft_id) == "needs_review"
    assert item(sessions, draft_id).state == "needs_review"
    assert len(fake_x.calls("POST /2/tweets")) == 1
    [notice] = chat.named("notify_approvers")
    assert "may or may not be on the account" in notice[0]
    assert chat.named("refresh_card") == [(draft_id,)]


def test_lease_expiry_before_the_post_retries_and_reuses_media(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(
        sessions, text="Died uploading the second photo", now=clock(), photos=2, alts=("A", "B")
    )
    dying = make_worker(
        sessions, DiesAt(publisher_for(fake_x), "upload_photo", after=False, nth=2), chat, clock
    )
    with pytest.raises(_Died):
        dying.run_once()

    clock.advance(minutes=6)
    make_worker(sessions, publisher_for(fake_x), chat, clock).run_once()

    assert state(sessions, draft_id) == "published"
    assert len(fake_x.calls("POST /2/media/upload")) == 2  # the first photo was not sent again
    assert len(fake_x.calls("POST /2/media/metadata")) == 2  # nor its alt text
    assert "lease_expired_retry" in actions(sessions, draft_id)
    [post] = fake_x.live_posts()
    assert [fake_x.media[m]["alt_text"] for m in post.media_ids] == ["A", "B"]


# -- a restart on the same host: claims of processes that no longer run ------------------------

needs_proc = pytest.mark.skipif(
    outbox.start_stamp(os.getpid()) is None, reason="needs /proc to tell processes apart"
)


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A live process on this host (it runs until its stdin is closed)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def owner_of(process: subprocess.Popen[bytes]) -> outbox.Owner:
    return outbox.Owner(socket.gethostname(), process.pid, outbox.start_stamp(process.pid))


def end(process: subprocess.Popen[bytes]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    assert process.wait(timeout=30) == 0


def dies_posting(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    chat: RecordingChat,
    clock: FakeClock,
    owner: outbox.Owner,
    *,
    step: str = "create_post",
    after: bool = True,
    nth: int = 1,
) -> None:
    """A worker whose claims name `owner` dies at `step` (by default: the post is on X)."""
    dying = make_worker(
        sessions,
        DiesAt(publisher_for(fake_x), step, after=after, nth=nth),
        chat,
        clock,
        owner=owner,
    )
    with pytest.raises(_Died):
        dying.run_once()


def test_a_dead_process_on_this_host_needs_review_at_start_without_waiting_for_the_lease(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    clock: FakeClock,
    chat: RecordingChat,
    child: subprocess.Popen[bytes],
) -> None:
    draft_id = approved_draft(sessions, text="Killed mid-call", now=clock(), photos=1)
    owner = owner_of(child)
    dies_posting(sessions, fake_x, chat, clock, owner)
    with sessions() as session:
        row = session.get(OutboxItem, item(sessions, draft_id).id)
        assert row is not None
        assert (row.owner_host, row.owner_pid) == (owner.host, owner.pid)
    end(child)  # the process that held the claim is gone; its lease still runs 5 minutes

    restarted = make_worker(sessions, publisher_for(fake_x), chat, clock, lease_seconds=300)
    restarted.run_once()  # the first round, at the same instant: no lease ran out

    assert state(sessions, draft_id) == "needs_review"
    assert item(sessions, draft_id).state == "needs_review"
    assert "worker_died" in actions(sessions, draft_id)
    assert "lease_expired" not in actions(sessions, draft_id)
    assert len(fake_x.calls("POST /2/tweets")) == 1  # never retried blindly
    [notice] = chat.named("notify_approvers")
    assert f"Draft #{draft_id} needs a person" in notice[0]
    assert chat.named("refresh_card") == [(draft_id,)]
    clock.advance(minutes=10)
    restarted.run_once()
    assert len(fake_x.calls("POST /2/tweets")) == 1


def test_a_dead_process_before_the_post_is_retried_at_start_reusing_media(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    clock: FakeClock,
    chat: RecordingChat,
    child: subprocess.Popen[bytes],
) -> None:
    draft_id = approved_draft(
        sessions, text="Killed uploading", now=clock(), photos=2, alts=("A", "B")
    )
    owner = owner_of(child)
    dies_posting(sessions, fake_x, chat, clock, owner, step="upload_photo", after=False, nth=2)
    end(child)

    make_worker(sessions, publisher_for(fake_x), chat, clock).run_once()

    assert state(sessions, draft_id) == "published"  # nothing had been posted: safe to retry
    assert "worker_died_retry" in actions(sessions, draft_id)
    assert len(fake_x.calls("POST /2/media/upload")) == 2  # the first photo was not sent again
    assert len(fake_x.calls("POST /2/tweets")) == 1


@needs_proc
def test_a_zombie_or_a_reused_pid_counts_as_dead(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    clock: FakeClock,
    chat: RecordingChat,
    child: subprocess.Popen[bytes],
) -> None:
    here = outbox.this_process()
    assert here.started is not None
    boot_and_namespace, ticks = here.started.rsplit("/", 1)
    # Our own pid, but started at another time: the pid was given to a later process.
    reused = outbox.Owner(here.host, here.pid, f"{boot_and_namespace}/{int(ticks) + 1}")
    assert outbox.owner_is_dead(reused, here=here)
    assert not outbox.owner_is_dead(here, here=here)
    rebooted = outbox.Owner(here.host, here.pid, f"another-boot/{ticks}")
    assert outbox.owner_is_dead(rebooted, here=here)

    owner = owner_of(child)
    assert not outbox.owner_is_dead(owner, here=here)
    child.kill()
    # Wait until it has exited, without collecting it: a zombie, as after a kill under a
    # parent that has not noticed yet.
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    assert outbox.owner_is_dead(owner, here=here)

    draft_id = approved_draft(sessions, text="Reused pid", now=clock())
    dies_posting(sessions, fake_x, chat, clock, reused)
    make_worker(sessions, publisher_for(fake_x), chat, clock).run_once()
    assert state(sessions, draft_id) == "needs_review"


def test_a_claim_by_a_live_process_is_left_alone(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    clock: FakeClock,
    chat: RecordingChat,
    child: subprocess.Popen[bytes],
) -> None:
    draft_id = approved_draft(sessions, text="Still at work", now=clock())
    dies_posting(sessions, fake_x, chat, clock, owner_of(child))  # hung, in effect: alive

    other = make_worker(sessions, publisher_for(fake_x), chat, clock, lease_seconds=300)
    assert other.run_once() == 0
    assert state(sessions, draft_id) == "publishing"
    assert item(sessions, draft_id).state == "claimed"
    assert chat.named("notify_approvers") == []

    end(child)  # and once it is gone, the next round settles it
    other.run_once()
    assert state(sessions, draft_id) == "needs_review"


def test_a_claim_from_another_host_is_left_to_its_lease(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Posted from elsewhere", now=clock())
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer runs here, but the claim names another machine
    dies_posting(sessions, fake_x, chat, clock, outbox.Owner("another-host", gone.pid, None))

    survivor = make_worker(sessions, publisher_for(fake_x), chat, clock, lease_seconds=300)
    assert survivor.run_once() == 0
    assert state(sessions, draft_id) == "publishing"
    clock.advance(seconds=301)
    survivor.run_once()
    assert state(sessions, draft_id) == "needs_review"
    assert "lease_expired" in actions(sessions, draft_id)
    assert "worker_died" not in actions(sessions, draft_id)


class AfterPost:
    """X, with `then` run between the post and its answer (what happens while it is in flight)."""

    network = "x"
    limits = X_LIMITS

    def __init__(self, fake_x: FakeX, then: Callable[[], None]) -> None:
        self.inner = publisher_for(fake_x)
        self.then = then

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        ref = self.inner.create_post(text)
        self.then()
        return ref


def test_a_late_answer_after_the_reaper_still_records_the_post(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Slow network", now=clock())
    reaper = make_worker(sessions, publisher_for(fake_x), chat, clock)

    def lease_runs_out() -> None:
        """The answer comes only after the lease ran out and another worker flagged the draft."""
        clock.advance(minutes=10)
        reaper.run_once()

    slow = make_worker(sessions, AfterPost(fake_x, lease_runs_out), chat, clock)  # type: ignore[arg-type]
    slow.run_once()

    assert state(sessions, draft_id) == "published"
    assert actions(sessions, draft_id) == ["publishing", "lease_expired", "published"]


def test_a_post_that_cannot_be_recorded_logs_its_link_for_the_person_who_checks(
    sessions: sessionmaker[Session],
    fake_x: FakeX,
    clock: FakeClock,
    chat: RecordingChat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    draft_id = approved_draft(sessions, text="Lost answer", now=clock())

    def meddle() -> None:
        """The draft is moved on behind the worker's back while the post is in flight."""
        with sessions.begin() as session:
            session.execute(update(Draft).where(Draft.id == draft_id).values(state="failed"))

    worker = make_worker(sessions, AfterPost(fake_x, meddle), chat, clock)  # type: ignore[arg-type]
    with pytest.raises(StaleState):
        worker.run_once()

    [post] = fake_x.live_posts()
    assert f"https://x.com/i/status/{post.id}" in caplog.text
    assert "Lost answer" not in caplog.text


def test_takedown_deletes_from_x_and_records_who_and_why(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Wrong photo", now=clock())
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)
    worker.run_once()

    head = Actor(HEAD.id, is_slt=True, name="Ann Head")
    assert commands.request_takedown(sessions, chat, draft_id, head, "parent asked").ok
    assert commands.request_takedown(sessions, chat, draft_id, DEPUTY, "parent asked again").ok
    clock.now = utcnow()  # queued at the real time
    worker.run_once()

    assert fake_x.live_posts() == []
    assert len(fake_x.calls("DELETE /2/tweets/{id}")) == 1
    assert state(sessions, draft_id) == "deleted"
    with sessions() as session:
        deleted = session.scalar(select(AuditEntry).where(AuditEntry.action == "deleted_from_x"))
        assert deleted is not None
        # done later by the worker, on behalf of who asked, and named so
        assert (deleted.actor, deleted.actor_name, deleted.reason) == (
            "U0SLT0001",
            "Ann Head",
            "parent asked",
        )
    refused = commands.request_takedown(sessions, chat, draft_id, HEAD, " ")
    assert not refused.ok
    assert "reason" in refused.message


def test_a_takedown_refused_for_credentials_pauses_once_and_waits(
    sessions: sessionmaker[Session], fake_x: FakeX, clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Wrong date", now=clock())
    worker = make_worker(sessions, publisher_for(fake_x), chat, clock)
    worker.run_once()
    assert commands.request_takedown(sessions, chat, draft_id, HEAD, "wrong date").ok
    fake_x.fail("DELETE /2/tweets/{id}", 401, {"title": "Unauthorized"}, times=1)
    clock.now = utcnow()

    worker.run_once()
    worker.run_once()  # paused: not asked again

    assert len(fake_x.calls("DELETE /2/tweets/{id}")) == 1
    assert (state(sessions, draft_id), item(sessions, draft_id).state) == ("published", "queued")
    assert item(sessions, draft_id).attempts == 0  # a pause is not an attempt
    [alert] = chat.named("notify_approvers")
    assert "paused" in alert[0]
    assert "CHATBOT_X_" in alert[0]

    pub_state.resume_publishing(sessions, "cli:head")
    worker.run_once()
    assert state(sessions, draft_id) == "deleted"
    assert fake_x.live_posts() == []


def test_dry_run_publishes_into_the_audit_log_only(
    sessions: sessionmaker[Session], clock: FakeClock, chat: RecordingChat
) -> None:
    draft_id = approved_draft(sessions, text="Trial run", now=clock(), photos=1, no_pupils=True)
    worker = make_worker(sessions, DryRunPublisher(), chat, clock)

    worker.run_once()

    with sessions() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        assert draft.state == "published"
        posted = pub_state.post_of(session, draft_id)
        assert posted is not None
        assert is_dry_run_post(posted.post_id)
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "published"))
        assert entry is not None
        assert entry.detail is not None
        assert entry.detail["dry_run"] is True
    assert "Dry run" in chat.named("tell_author")[0][1]


def test_two_workers_never_publish_the_same_draft(
    database_url: str, sessions: sessionmaker[Session], fake_x: FakeX
) -> None:
    now = utcnow()
    drafts = [approved_draft(sessions, text=f"Post {n}", now=now) for n in range(24)]
    start = threading.Barrier(2)
    handled: dict[str, int] = {}
    errors: list[BaseException] = []

    def run(name: str) -> None:
        engine = make_engine(database_url)  # a process of its own, as far as the DB can tell
        try:
            worker = Worker(
                make_sessionmaker(engine), publisher_for(fake_x), RecordingChat(), worker_id=name
            )
            start.wait()
            count = 0
            while (done := worker.run_once()) > 0:
                count += done
            handled[name] = count
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(f"w{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(handled.values()) == len(drafts)
    assert sorted(p.text for p in fake_x.live_posts()) == sorted(f"Post {n}" for n in range(24))
    assert len(fake_x.calls("POST /2/tweets")) == len(drafts)  # no duplicate attempts
    assert {state(sessions, d) for d in drafts} == {"published"}


def test_periodic_tasks_run_once_per_period_across_workers(
    sessions: sessionmaker[Session], clock: FakeClock, chat: RecordingChat
) -> None:
    runs: list[str] = []
    first = make_worker(sessions, DryRunPublisher(), chat, clock, worker_id="a")
    second = make_worker(sessions, DryRunPublisher(), chat, clock, worker_id="b")
    first.add_periodic("tick", timedelta(minutes=10), lambda: runs.append("a"))
    second.add_periodic("tick", timedelta(minutes=10), lambda: runs.append("b"))

    first.run_once()
    second.run_once()
    clock.advance(minutes=9)
    first.run_once()
    second.run_once()
    clock.advance(minutes=1)
    second.run_once()
    first.run_once()

    assert runs == ["a", "b"]
    with pytest.raises(ValueError, match="already registered"):
        first.add_periodic("tick", timedelta(minutes=1), lambda: None)


def test_a_failing_periodic_task_is_recorded_and_does_not_stop_the_worker(
    sessions: sessionmaker[Session], clock: FakeClock, chat: RecordingChat
) -> None:
    worker = make_worker(sessions, DryRunPublisher(), chat, clock)

    def broken() -> None:
        raise RuntimeError("Ada Pupil is not a number")

    worker.add_periodic("broken", timedelta(minutes=5), broken)
    assert worker.run_once() == 1
    with sessions() as session:
        task = session.get(PeriodicTask, "broken")
        assert task is not None
        assert task.last_error == "RuntimeError"  # the message may name people: not kept
        assert task.next_run_at == clock() + timedelta(minutes=5)
        assert task.lease_until is None


def test_photos_are_purged_after_the_retention_period(
    sessions: sessionmaker[Session], clock: FakeClock, chat: RecordingChat
) -> None:
    published = approved_draft(sessions, text="Old news", now=clock(), photos=2, no_pupils=True)
    waiting = approved_draft(
        sessions, text="Still waiting", now=clock(), photos=1, no_pupils=True,
        not_before=clock() + timedelta(days=90),
    )  # fmt: skip
    worker = make_worker(sessions, DryRunPublisher(), chat, clock)
    add_publishing_tasks(worker, photo_retention=timedelta(days=30))
    worker.run_once()

    assert retention.purge_finished_photos(sessions, timedelta(days=30), now=clock()) == 0
    clock.advance(days=31)
    # updated_at is the real time of the publish; judge from a month after it.
    later = datetime.now(UTC) + timedelta(days=31)
    assert retention.purge_finished_photos(sessions, timedelta(days=30), now=later) == 2
    with sessions() as session:
        photos = {p.draft_id: p for p in session.scalars(select(Photo))}
        assert photos[published].data is None
        assert photos[published].purged_at is not None
        assert photos[waiting].data is not None


def test_the_policy_file_sets_retries_backoff_and_photo_retention(
    sessions: sessionmaker[Session], chat: RecordingChat
) -> None:
    from chatbot.policy.engine import load_policy
    from chatbot.worker import worker_for_policy

    policy = load_policy()
    worker = worker_for_policy(sessions, DryRunPublisher(), chat, policy)

    assert worker.publishing.max_attempts == policy.publishing.max_attempts
    assert worker.publishing.backoff_base.total_seconds() == policy.publishing.backoff_base_seconds
    assert worker.publishing.backoff_cap.total_seconds() == policy.publishing.backoff_max_seconds
    with sessions() as session:
        assert session.get(PeriodicTask, "purge_photos") is not None


def test_cancelling_while_the_worker_claims_is_either_too_late_or_not_posted(
    database_url: str, sessions: sessionmaker[Session], fake_x: FakeX
) -> None:
    due = utcnow()
    drafts = [
        approved_draft(sessions, text=f"Race {n}", now=due, not_before=due) for n in range(12)
    ]
    start = threading.Barrier(2)
    too_late: set[int] = set()
    errors: list[BaseException] = []

    def work() -> None:
        engine = make_engine(database_url)
        try:
            worker = Worker(make_sessionmaker(engine), publisher_for(fake_x), RecordingChat())
            start.wait()
            while worker.run_once():
                pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    def cancel() -> None:
        engine = make_engine(database_url)
        try:
            own = make_sessionmaker(engine)
            start.wait()
            for draft_id in reversed(drafts):
                if not commands.cancel_schedule(own, RecordingChat(), draft_id, HEAD).ok:
                    too_late.add(draft_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work), threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    posted = {p.text for p in fake_x.live_posts()}
    for n, draft_id in enumerate(drafts):
        if draft_id in too_late:
            assert state(sessions, draft_id) == "published"
            assert f"Race {n}" in posted
        else:
            assert state(sessions, draft_id) == "pending_approval"
            assert f"Race {n}" not in posted
