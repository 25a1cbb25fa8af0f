"""Publishing worker: overhead per publish without the network, and outbox claims per second
with 10,000 queued rows, on SQLite and (when reachable) PostgreSQL.

    python -m benchmarks publishing

PostgreSQL: CHATBOT_TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres if
something answers there; a scratch schema is created and dropped.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import (
    make_engine,
    make_sessionmaker,
    normalise_url,
    scratch_schema,
    upgrade,
)
from chatbot.adapters.db.models import Draft, OutboxItem, Photo, utcnow
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.adapters.x import NETWORK as X_NETWORK
from chatbot.services.ports import PostRef
from chatbot.worker import Worker

PUBLISHES = 300
QUEUED = 10_000
CLAIMS = 2_000
JPEG = b"\xff\xd8\xff" + b"\0" * 200_000  # a prepared photo's size, roughly


class NullPublisher:
    is_dry_run = False
    network = X_NETWORK  # the Publisher port names its network in network_posts...
    limits = X_LIMITS  # ...and what one post may hold there

    def __init__(self) -> None:
        self.n = 0

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        self.n += 1
        return str(self.n)

    def set_alt_text(self, media_id: str, text: str) -> None:
        return None

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        self.n += 1
        return PostRef(str(self.n), f"https://x.com/i/status/{self.n}")

    def delete_post(self, post_id: str) -> None:
        return None


class NullChat:
    def refresh_card(self, draft_id: int) -> None: ...
    def tell_author(self, draft_id: int, text: str) -> None: ...
    def notify_approvers(self, text: str) -> None: ...
    def post_alert(self, alert_id: int) -> None: ...
    def direct_message(self, user_id: str, text: str) -> None: ...


def _queue(sessions: sessionmaker[Session], count: int, photos: int = 0) -> None:
    now = utcnow()
    tag = uuid.uuid4().hex[:8]
    with sessions.begin() as session:
        first = (session.scalar(text("SELECT COALESCE(MAX(id), 0) FROM drafts")) or 0) + 1
        ids = range(first, first + count)
        session.execute(
            insert(Draft),
            [
                {"id": i, "channel_id": "C0BENCH01", "message_ts": f"{tag}.{i}",
                 "author_id": "U0BENCH01", "text": f"Post {i}", "source_text": f"Post {i}",
                 "state": "approved", "no_pupils": True, "declared": True}
                for i in ids
            ],
        )  # fmt: skip
        if photos:
            session.execute(
                insert(Photo),
                [
                    {"draft_id": i, "position": p, "data": JPEG, "mime_type": "image/jpeg",
                     "alt_text": "A photo"}
                    for i in ids for p in range(photos)
                ],
            )  # fmt: skip
        session.execute(
            insert(OutboxItem),
            [{"draft_id": i, "kind": "publish", "state": "queued", "due_at": now} for i in ids],
        )


def bench_publish(sessions: sessionmaker[Session], photos: int) -> float:
    """Milliseconds of worker overhead (DB, bookkeeping) per publish, X answering at once."""
    _queue(sessions, PUBLISHES, photos)
    worker = Worker(sessions, NullPublisher(), NullChat(), max_items_per_round=PUBLISHES)
    started = time.perf_counter()
    done = worker.run_once()
    elapsed = time.perf_counter() - started
    assert done == PUBLISHES, done
    return elapsed / done * 1000


def bench_claims(sessions: sessionmaker[Session]) -> float:
    """Claims per second (claim + finish, one transaction each) with 10,000 rows queued."""
    _queue(sessions, QUEUED)
    lease = timedelta(minutes=5)
    started = time.perf_counter()
    for _ in range(CLAIMS):
        with sessions.begin() as session:
            item = outbox.claim_next(session, now=utcnow(), worker_id="bench", lease=lease)
            assert item is not None
            outbox.release(session, item.id, "bench", "done")
    return CLAIMS / (time.perf_counter() - started)


@contextmanager
def _sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def _postgres_url() -> str | None:
    url = os.environ.get("CHATBOT_TEST_DATABASE_URL")
    if url:
        return url
    candidate = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        engine = create_engine(normalise_url(candidate), connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return None
    return candidate


def _run(label: str, url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        text_only = bench_publish(sessions, photos=0)
        with_photos = bench_publish(sessions, photos=2)
        claims = bench_claims(sessions)
    finally:
        engine.dispose()
    print(f"{label:10} publish overhead: {text_only:6.2f} ms (text only), "
          f"{with_photos:6.2f} ms (2 photos with alt text)")  # fmt: skip
    print(f"{label:10} claims with {QUEUED:,} queued: {claims:8.0f} per second")


def main() -> None:
    with _sqlite() as url:
        _run("SQLite", url)
    pg = _postgres_url()
    if pg is None:
        print("PostgreSQL: not reachable, skipped (set CHATBOT_TEST_DATABASE_URL)")
        return
    with scratch_schema(pg, prefix="bench") as url:
        _run("PostgreSQL", url)


if __name__ == "__main__":
    main()
