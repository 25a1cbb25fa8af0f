"""The `Publishing` worker: steps 2 and 3 of a publish (talk to the network, record the answer),
takedowns, failures and their backoff (see the package's docstring for the whole way)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.publishing import close_items, record_media, record_post
from chatbot.adapters.db.repositories import move
from chatbot.domain.drafts import DraftState
from chatbot.domain.outbox import OutboxState
from chatbot.services.ports import ChatGateway, Publisher, PublishError, PublishErrorKind
from chatbot.services.publishing.jobs import (
    Job,
    LeaseLost,
    Notice,
    PhotoJob,
    ask_a_person,
    begin_delete,
    begin_publish,
)
from chatbot.services.publishing.retention import reap_claim
from chatbot.services.publishing.retries import WAITING, backoff, try_again
from chatbot.services.publishing.state import SYSTEM, publishing_paused
from chatbot.services.publishing.takedowns import run_takedown

log = logging.getLogger(__name__)

S = DraftState
K = PublishErrorKind


class Publishing:
    """Handles outbox items one at a time. Thread-compatible: one instance per thread."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        publisher: Publisher,
        chat: ChatGateway,
        *,
        clock: Callable[[], datetime],
        worker_id: str,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 10,
        backoff_base: timedelta = timedelta(seconds=2),
        backoff_cap: timedelta = timedelta(minutes=5),
        media_reuse: timedelta = timedelta(hours=12),
        rng: random.Random | None = None,
        owner: outbox.Owner | None = None,
    ) -> None:
        self.sessions = sessions
        self.publisher = publisher
        self.chat = chat
        self.clock = clock
        self.worker_id = worker_id
        self.lease = lease
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.media_reuse = media_reuse
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not secrecy
        self.owner = owner or outbox.this_process()
        self.dry_run = bool(getattr(publisher, "is_dry_run", False))

    # -- entry points ----------------------------------------------------------------------

    def process_next(self) -> bool:
        """Claim one due item and handle it; False when nothing is due (or publishing is paused)."""
        notices: list[Notice] = []
        now = self.clock()
        with transaction(self.sessions) as session:
            if publishing_paused(session) is not None:
                return False
            item = outbox.claim_next(
                session, now=now, worker_id=self.worker_id, lease=self.lease, owner=self.owner
            )
            if item is None:
                return False
            if item.kind == "delete":
                job = begin_delete(
                    session, item, worker_id=self.worker_id, network=self.publisher.network
                )
            else:
                job = begin_publish(
                    session, item, now, notices, worker_id=self.worker_id, dry_run=self.dry_run
                )
        self.tell(notices)
        if job is not None:
            try:
                if job.kind == "delete":
                    run_takedown(self, job)
                else:
                    self._publish(job)
            except LeaseLost:
                log.warning("outbox item %s was taken over by another worker; stopped", job.item_id)
        return True

    def reap_expired(self) -> int:
        """Resolve claims whose worker stopped: retry only when provably safe.

        First those whose process on this host is gone (at start-up, a crashed predecessor's),
        without waiting for their lease; then any whose lease ran out (died elsewhere, hung).
        """
        return self.recover_dead_claims() + self._reap_leases()

    def recover_dead_claims(self) -> int:
        """Resolve the claims of processes on this host that no longer run, now."""
        notices: list[Notice] = []
        with transaction(self.sessions) as session:
            items = outbox.dead_claims(session, here=self.owner)
            for item in items:
                log.warning(
                    "outbox item %s was claimed by process %s on this host, which is no longer "
                    "running; resolving it now",
                    item.id,
                    item.owner_pid,
                )
                reap_claim(
                    session,
                    item,
                    notices,
                    now=self.clock(),
                    max_attempts=self.max_attempts,
                    network=self.publisher.limits.name,
                    died=True,
                )
        self.tell(notices)
        return len(items)

    def _reap_leases(self) -> int:
        notices: list[Notice] = []
        with transaction(self.sessions) as session:
            items = outbox.expired_claims(session, now=self.clock())
            for item in items:
                reap_claim(
                    session,
                    item,
                    notices,
                    now=self.clock(),
                    max_attempts=self.max_attempts,
                    network=self.publisher.limits.name,
                )
        self.tell(notices)
        return len(items)

    # -- steps 2 and 3: talk to the network (step 1 is in jobs.py) --------------------------

    def _save(self, job: Job, photo: PhotoJob | None = None, media_id: str | None = None) -> None:
        """Commit progress (and renew the lease) before the next call to the network."""
        with transaction(self.sessions) as session:
            if not outbox.holds_lease(
                session,
                job.item_id,
                self.worker_id,
                now=self.clock(),
                lease=self.lease,
                progress=job.progress,
            ):
                raise LeaseLost
            if photo is not None and media_id is not None:
                record_media(session, photo.photo_id, self.publisher.network, media_id)

    def _reusable(self, entry: dict[str, Any] | None) -> bool:
        if not entry or not entry.get("id"):
            return False
        uploaded = datetime.fromisoformat(str(entry.get("at")))
        return self.clock() - uploaded < self.media_reuse

    def _publish(self, job: Job) -> None:
        media: dict[str, Any] = job.progress["media"]
        try:
            media_ids = []
            for photo in job.photos:
                key = str(photo.photo_id)
                uploaded = None
                if not self._reusable(media.get(key)):
                    if photo.data is None:
                        raise PublishError(K.PERMANENT, f"photo {photo.position + 1} has no data")
                    uploaded = self.publisher.upload_photo(photo.data, photo.mime_type)
                    media[key] = {"id": uploaded, "at": self.clock().isoformat(), "alt": False}
                entry = media[key]
                altered = bool(photo.alt_text) and not entry.get("alt")
                if altered:
                    self.publisher.set_alt_text(str(entry["id"]), photo.alt_text)
                    entry["alt"] = True
                if uploaded is not None or altered:
                    # One commit per photo: dying before it costs one more upload, no more.
                    self._save(job, photo, uploaded)
                media_ids.append(str(entry["id"]))
            # The last fence: from here until the answer, the post may exist on the network.
            job.progress["post_attempt_at"] = self.clock().isoformat()
            self._save(job)
        except PublishError as error:
            self._publish_failed(job, error)
            return
        try:
            ref = self.publisher.create_post(job.text, media_ids)
        except PublishError as error:
            self._publish_failed(job, error, unclear=not job.text.strip())
            return
        try:
            self._published(job, ref.id, ref.url)
        except Exception:
            # The post exists; the reaper will ask a person. Its link (no personal data) is
            # what they need to mark it as published.
            log.error("draft %s is live at %s but recording that failed", job.draft_id, ref.url)
            raise

    def _published(self, job: Job, post_id: str, url: str) -> None:
        detail = {
            "post_id": post_id,
            "url": url,
            "dry_run": self.dry_run,
            "photos": len(job.photos),
        }
        with transaction(self.sessions) as session:
            # From needs_review too: our lease ran out mid-call and the reaper flagged the
            # draft, but now we know the answer.
            move(
                session,
                job.draft_id,
                {S.PUBLISHING, S.NEEDS_REVIEW},
                S.PUBLISHED,
                actor=SYSTEM,
                action="published",
                detail=detail,
            )
            record_post(session, job.draft_id, self.publisher.network, post_id, url)
            close_items(
                session,
                job.draft_id,
                (OutboxState.CLAIMED, OutboxState.NEEDS_REVIEW),
                OutboxState.DONE,
                "publish",
            )
        self.safe(lambda chat: chat.refresh_card(job.draft_id))
        name = self.publisher.limits.name
        if self.dry_run:
            message = (
                f"Dry run: this post would have been published now. Nothing was sent to {name} "
                f"(the bot has no {name} credentials yet)."
            )
        else:
            message = f"Published on {name}: {url}"
        self.safe(lambda chat: chat.tell_author(job.draft_id, message))

    def _publish_failed(self, job: Job, error: PublishError, *, unclear: bool = False) -> None:
        """Record a failed attempt. `unclear`: the post call failed in a way that does not
        say whether the post exists, and nothing stops a retry from posting it twice."""
        notices: list[Notice] = []
        now = self.clock()
        draft_id = job.draft_id
        reason = str(error)
        with transaction(self.sessions) as session:

            def to(state: DraftState, action: str) -> None:
                move(
                    session,
                    draft_id,
                    S.PUBLISHING,
                    state,
                    actor=SYSTEM,
                    action=action,
                    reason=reason,
                    detail={"kind": error.kind.value, "attempt": job.attempts},
                )

            def release(state: OutboxState, **kwargs: Any) -> None:
                if not outbox.release(
                    session,
                    job.item_id,
                    self.worker_id,
                    state,
                    last_error=reason,
                    progress=job.progress,
                    **kwargs,
                ):
                    raise LeaseLost

            # The network refuses a repeated text as a duplicate, which makes retrying a text post
            # after a 5xx or a timeout safe; a photo-only post has no such guard.
            unsure = unclear and error.kind is K.TRANSIENT
            again = None if unsure else self.try_again(session, job, error, now, notices)
            if unsure:
                release(OutboxState.NEEDS_REVIEW)
                to(S.NEEDS_REVIEW, "post_unclear")
                notices += ask_a_person(
                    draft_id, f"{self.publisher.limits.name} did not confirm the post ({reason})"
                )
            elif again is not None:
                release(OutboxState.QUEUED, **again)
                to(S.APPROVED, WAITING[error.kind])
            elif error.kind is K.DUPLICATE:
                release(OutboxState.NEEDS_REVIEW)
                to(S.NEEDS_REVIEW, "duplicate")
                notices.append(
                    lambda chat: chat.notify_approvers(
                        f"Draft #{draft_id}: {chat.limits.name} refused it as a duplicate, so it "
                        "is probably already on the account. Check the school's account there, "
                        "then mark it as published with its link, or change the text and Retry."
                    )
                )
                notices.append(lambda chat: chat.refresh_card(draft_id))
            else:
                release(OutboxState.FAILED)
                to(S.FAILED, "publish_failed")
                notices.append(
                    lambda chat: chat.notify_approvers(
                        f"Draft #{draft_id} could not be published after {job.attempts} "
                        f"attempt(s): {reason}. Press Retry on its card to try again."
                    )
                )
                notices.append(lambda chat: chat.refresh_card(draft_id))
        self.tell(notices)

    def try_again(
        self, session: Session, job: Job, error: PublishError, now: datetime, notices: list[Notice]
    ) -> dict[str, Any] | None:
        return try_again(
            session,
            job,
            error,
            now,
            notices,
            max_attempts=self.max_attempts,
            backoff=self.backoff,
        )

    def backoff(self, attempt: int) -> timedelta:
        return backoff(attempt, base=self.backoff_base, cap=self.backoff_cap, rng=self.rng)

    def tell(self, notices: list[Notice]) -> None:
        for notice in notices:
            self.safe(notice)

    def safe(self, notice: Notice) -> None:
        # The database is the truth; a chat outage must not undo or repeat a publish.
        try:
            notice(self.chat)
        except Exception as exc:
            log.warning("could not tell the chat about a publish: %s", type(exc).__name__)
