"""Publishing approved drafts to the network, exactly once, and the buttons around it.

The way of one publish (the worker calls `Publishing.process_next`):

1. One transaction claims the outbox row (a lease), re-checks the draft is still approved or
   scheduled and that every pictured pupil's Twitter consent is in force on the post's day,
   and moves the draft to `publishing`, all before any call to X.
2. Each photo is uploaded and given its alt text; every media id is saved (and the lease
   renewed) as soon as X returns it, so a retry reuses media instead of uploading again.
3. "About to post" is saved, then the post is created, then its id and URL are saved and the
   draft is `published`. X has no idempotency key: if the worker dies between "about to post"
   and the result, nobody can know whether the post exists, so the row goes to `needs_review`
   for a person, never to a blind retry. Before "about to post", a retry is safe.

A worker that dies mid-publish is found two ways: a worker starting on the same host sees at once
that the claim's process is gone (`outbox.dead_claims`); from another host, its lease runs out.
Either way the same rule applies: a retry only before "about to post", else `needs_review`.

Errors (see `PublishErrorKind`): rate limits wait for X's reset; transient errors back off
exponentially with jitter (the first retry within seconds, doubling to the cap) up to
`max_attempts`, then `failed` (SLT can Retry); credentials
pause all publishing with one alert naming the fix; duplicate content is `needs_review`.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import kv, outbox
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Draft, NetworkMedia, NetworkPost, OutboxItem, Photo
from chatbot.adapters.db.repositories import StaleState, audit, enqueue, move
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.domain.london import LONDON
from chatbot.domain.outbox import OutboxState
from chatbot.services.approval import RACED, Answer, check_may_decide, decide
from chatbot.services.ports import ChatGateway, Publisher, PublishError, PublishErrorKind

log = logging.getLogger(__name__)

S = DraftState
K = PublishErrorKind
SYSTEM = "system"
PAUSE_KEY = "publishing_paused"
RATE_LIMIT_WINDOW = timedelta(minutes=15)  # X's window, when a 429 carries no reset time
CREDENTIALS_FIX = (
    "Check the four CHATBOT_X_* tokens (API key and secret, access token and secret) and that "
    "the X app's permissions are *Read and Write* (regenerate the access token after changing "
    "them), then restart the bot or run `chatbot x resume`."
)
# The audit action for a publish that waits to be tried again, by the error's kind.
_WAITING = {
    K.RATE_LIMITED: "rate_limited",
    K.CREDENTIALS: "publishing_paused",
    K.TRANSIENT: "retry_later",
}
_STATUS_URL = re.compile(r"^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/[^/]+/status/(\d{1,19})")
# The network a link checked by `_STATUS_URL` is on. Both belong to the publisher (DESIGN.md,
# "Shape of the code"); until the mark-published form asks it, the one network is named here.
_MARKED_NETWORK = "x"


def record_post(session: Session, draft_id: int, network: str, post_id: str, url: str) -> None:
    """Store the draft's post on `network` as the publisher named it (replacing an earlier)."""
    session.merge(NetworkPost(draft_id=draft_id, network=network, post_id=post_id, url=url or None))


def post_of(session: Session, draft_id: int, network: str | None = None) -> NetworkPost | None:
    """The draft's post (on `network`, or its first on any)."""
    query = select(NetworkPost).where(NetworkPost.draft_id == draft_id)
    if network is not None:
        query = query.where(NetworkPost.network == network)
    return session.scalar(query.order_by(NetworkPost.network).limit(1))


# -- scheduling --------------------------------------------------------------------------------


def london_to_utc(day: date, at: time) -> datetime:
    """The UTC instant for a wall-clock time in London, deliberate across clock changes.

    - A time that does not exist (in the hour the clocks skip in March, e.g. 01:30) moves
      forward by that hour (02:30 BST), so a post never goes out before the time asked for.
    - A time that happens twice (in the hour repeated in October) means the first of the two
      (BST), the one a person watching the clock reaches first.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=LONDON)
    # PEP 495: with fold=0 a time in the gap takes the offset from before it (GMT), which is
    # exactly "an hour later" once it is read as BST.
    return first.astimezone(UTC)


# -- the pause flag ------------------------------------------------------------------------------


def publishing_paused(session: Session) -> dict[str, Any] | None:
    return kv.get_value(session, PAUSE_KEY)


def pause_publishing(session: Session, *, reason: str, now: datetime) -> bool:
    """Pause all X work; True only for the call that paused it (so the alert is sent once)."""
    return kv.claim_once(session, PAUSE_KEY, {"reason": reason, "since": now.isoformat()})


def resume_publishing(sessions: sessionmaker[Session], actor: str) -> bool:
    """Lift a pause (after the credentials were fixed); True if there was one."""
    with transaction(sessions) as session:
        pause = kv.get_value(session, PAUSE_KEY)
        if pause is None:
            return False
        kv.forget_value(session, PAUSE_KEY)
        audit(session, actor=actor, action="publishing_resumed", detail=pause)
    return True


# -- SLT's buttons for what happens at X -------------------------------------------------------
# Each checks who may press it (SLT, not the draft's author) in the transaction that acts; the
# answer is what to tell the person who pressed.
RETRYABLE = frozenset({S.FAILED, S.NEEDS_REVIEW})
TAKEABLE_DOWN = frozenset({S.PUBLISHED})
MARKABLE = frozenset({S.NEEDS_REVIEW})
CANCELLABLE = frozenset({S.SCHEDULED})


def _slt_act(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    allowed: frozenset[DraftState],
    *,
    act: Callable[[Session, int], object],
) -> Answer:
    decided = decide(sessions, draft_id, actor, allowed, act=lambda s, d: act(s, d.id), raced=RACED)
    if isinstance(decided, Answer):
        return decided
    chat.refresh_card(decided)
    return Answer(True)


def may_take_down(sessions: sessionmaker[Session], draft_id: int | None, actor: Actor) -> Answer:
    return check_may_decide(sessions, draft_id, actor, TAKEABLE_DOWN)


def may_mark_published(
    sessions: sessionmaker[Session], draft_id: int | None, actor: Actor
) -> Answer:
    return check_may_decide(sessions, draft_id, actor, MARKABLE)


def retry(
    sessions: sessionmaker[Session], chat: ChatGateway, draft_id: int | None, actor: Actor
) -> Answer:
    """Queue a failed or needs-review draft again, now. Media uploaded before are reused."""
    return _slt_act(
        sessions, chat, draft_id, actor, RETRYABLE, act=lambda s, i: _requeue(s, i, actor.id)
    )


def _requeue(session: Session, draft_id: int, actor: str) -> OutboxItem:
    move(session, draft_id, RETRYABLE, S.APPROVED, actor=actor, action="retry")
    previous = session.scalar(
        select(OutboxItem)
        .where(OutboxItem.draft_id == draft_id, OutboxItem.kind == "publish")
        .order_by(OutboxItem.id.desc())
        .limit(1)
    )
    session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.draft_id == draft_id,
            OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
        )
        .values(state=OutboxState.CANCELLED, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    item = enqueue(session, draft_id)
    media = ((previous.progress or {}).get("media")) if previous is not None else None
    if media:
        item.progress = {"media": media}
    session.flush()
    return item


NOT_A_POST_LINK = "that is not the link to a post on X (like https://x.com/school/status/1)"


def mark_published(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    url: str,
) -> Answer:
    """A person checked X and found the post: record its URL."""
    match = _STATUS_URL.match(url.strip())
    if not match:
        return Answer(False, NOT_A_POST_LINK)
    post_id = match.group(1)

    def act(session: Session, draft_id: int) -> None:
        move(
            session,
            draft_id,
            S.NEEDS_REVIEW,
            S.PUBLISHED,
            actor=actor.id,
            action="marked_published",
            detail={"post_id": post_id},
        )
        record_post(session, draft_id, _MARKED_NETWORK, post_id, url.strip())
        _close_items(
            session,
            draft_id,
            (OutboxState.NEEDS_REVIEW, OutboxState.QUEUED),
            OutboxState.DONE,
            kind="publish",
        )

    return _slt_act(sessions, chat, draft_id, actor, MARKABLE, act=act)


def request_takedown(
    sessions: sessionmaker[Session],
    chat: ChatGateway,
    draft_id: int | None,
    actor: Actor,
    reason: str,
) -> Answer:
    """Queue the deletion of a published draft's post; the worker deletes it from X."""
    reason = reason.strip()
    if not reason:
        return Answer(False, "a takedown needs a reason for the audit log")

    def act(session: Session, draft_id: int) -> None:
        session.get_one(Draft, draft_id)  # raises if the draft went away
        pending = session.scalar(
            select(OutboxItem).where(
                OutboxItem.draft_id == draft_id,
                OutboxItem.kind == "delete",
                OutboxItem.state.in_((OutboxState.QUEUED, OutboxState.CLAIMED)),
            )
        )
        audit(
            session,
            actor=actor.id,
            action="takedown_requested",
            draft_id=draft_id,
            reason=reason,
            detail={"post_id": post.post_id if (post := post_of(session, draft_id)) else None},
        )
        if pending is None:
            item = enqueue(session, draft_id, kind="delete")
            item.progress = {"actor": actor.id, "reason": reason}
            session.flush()

    return _slt_act(sessions, chat, draft_id, actor, TAKEABLE_DOWN, act=act)


def cancel_schedule(
    sessions: sessionmaker[Session], chat: ChatGateway, draft_id: int | None, actor: Actor
) -> Answer:
    """Take a scheduled draft back to SLT before its time (refused if it is too late)."""

    def act(session: Session, draft_id: int) -> None:
        # Lock the outbox row before the draft, in the worker's order: no deadlock, and a
        # worker claiming at this moment skips the row (SKIP LOCKED).
        session.execute(
            select(OutboxItem.id)
            .where(OutboxItem.draft_id == draft_id, OutboxItem.state == OutboxState.QUEUED)
            .with_for_update()
        ).all()
        move(
            session,
            draft_id,
            S.SCHEDULED,
            S.PENDING_APPROVAL,
            actor=actor.id,
            action="schedule_cancelled",
            values={"not_before": None},
        )
        _close_items(
            session, draft_id, (OutboxState.QUEUED,), OutboxState.CANCELLED, kind="publish"
        )

    return _slt_act(sessions, chat, draft_id, actor, CANCELLABLE, act=act)


def _close_items(
    session: Session,
    draft_id: int,
    states: Iterable[OutboxState],
    new: OutboxState,
    kind: str | None = None,
) -> None:
    conditions = [OutboxItem.draft_id == draft_id, OutboxItem.state.in_(tuple(states))]
    if kind is not None:
        conditions.append(OutboxItem.kind == kind)
    session.execute(
        update(OutboxItem)
        .where(*conditions)
        .values(state=new, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def delete_now(
    sessions: sessionmaker[Session],
    publisher: Publisher,
    *,
    post_id: str,
    draft_id: int | None,
    actor: str,
    reason: str,
) -> None:
    """Delete a post from X at once (the CLI's takedown) and record it; raises PublishError."""
    publisher.delete_post(post_id)
    with transaction(sessions) as session:
        if draft_id is not None:
            # The draft may have moved on (the worker deleted it); the deletion is audited anyway.
            with contextlib.suppress(StaleState):
                move(
                    session,
                    draft_id,
                    S.PUBLISHED,
                    S.DELETED,
                    actor=actor,
                    action="deleted_from_x",
                    reason=reason,
                    detail={"post_id": post_id},
                )
            _close_items(
                session, draft_id, (OutboxState.QUEUED,), OutboxState.CANCELLED, kind="delete"
            )
        audit(
            session,
            actor=actor,
            action="x_post_deleted",
            draft_id=draft_id,
            subject=post_id,
            reason=reason,
        )


# -- retention ---------------------------------------------------------------------------------

_FINISHED = (S.PUBLISHED, S.DELETED, S.REJECTED, S.WITHDRAWN)


def purge_photos(
    sessions: sessionmaker[Session], older_than: timedelta, *, now: datetime | None = None
) -> int:
    """Delete the image data of finished drafts untouched for `older_than`; returns how many."""
    now = now or datetime.now(UTC)
    with transaction(sessions) as session:
        finished = select(Draft.id).where(
            Draft.state.in_([s.value for s in _FINISHED]), Draft.updated_at < now - older_than
        )
        result = session.execute(
            update(Photo)
            .where(Photo.draft_id.in_(finished), Photo.data.is_not(None))
            .values(data=None, purged_at=now)
            .execution_options(synchronize_session=False)
        )
        count = int(result.rowcount)  # type: ignore[attr-defined]
        if count:
            audit(session, actor=SYSTEM, action="photos_purged", detail={"photos": count})
    return count


# -- the publishing itself -----------------------------------------------------------------------


class LeaseLost(Exception):
    """Another worker took the item over: stop before touching X again."""


@dataclass(slots=True)
class _PhotoJob:
    photo_id: int
    position: int
    data: bytes | None
    mime_type: str
    alt_text: str


@dataclass(slots=True)
class _Job:
    item_id: int
    draft_id: int
    kind: str
    attempts: int
    text: str = ""
    post_id: str | None = None
    photos: list[_PhotoJob] = field(default_factory=list)
    progress: dict[str, Any] = field(default_factory=dict)


Notice = Callable[[ChatGateway], None]


def _ask_a_person(draft_id: int, why: str) -> list[Notice]:
    """Whether the post exists is unknown: SLT look on X and decide from the card."""
    text = (
        f"Draft #{draft_id} needs a person: {why}, so it may or may not be on the account. "
        "Check @HuntsCrossPri, then mark it as published with its link, or press Retry if it "
        "is not there."
    )
    return [lambda chat: chat.notify_approvers(text), lambda chat: chat.refresh_card(draft_id)]


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
        """Claim one due item and handle it; False when nothing is due (or X work is paused)."""
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
                job = self._begin_delete(session, item)
            else:
                job = self._begin_publish(session, item, now, notices)
        self._tell(notices)
        if job is not None:
            try:
                if job.kind == "delete":
                    self._delete(job)
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
                self._reap(session, item, notices, died=True)
        self._tell(notices)
        return len(items)

    def _reap_leases(self) -> int:
        notices: list[Notice] = []
        with transaction(self.sessions) as session:
            items = outbox.expired_claims(session, now=self.clock())
            for item in items:
                self._reap(session, item, notices)
        self._tell(notices)
        return len(items)

    # -- step 1: claim and check, before anything goes to X -------------------------------

    def _begin_publish(
        self, session: Session, item: OutboxItem, now: datetime, notices: list[Notice]
    ) -> _Job | None:
        draft = session.get(Draft, item.draft_id)
        state = draft.state if draft is not None else None
        if draft is None or state not in (S.APPROVED.value, S.SCHEDULED.value):
            # Withdrawn, edited, cancelled or handled elsewhere since it was queued.
            outbox.release(
                session,
                item.id,
                self.worker_id,
                OutboxState.CANCELLED,
                last_error=f"draft is {state}",
            )
            return None
        if draft.not_before is not None and draft.not_before > now:
            outbox.release(
                session,
                item.id,
                self.worker_id,
                OutboxState.QUEUED,
                due_at=draft.not_before,
                refund_attempt=True,
            )
            return None
        move(
            session,
            draft.id,
            {S.APPROVED, S.SCHEDULED},
            S.PUBLISHING,
            actor=SYSTEM,
            action="publishing",
            detail={"outbox": item.id, "attempt": item.attempts, "dry_run": self.dry_run},
        )
        session.refresh(draft)
        problem = self._consent_problem(session, draft, now)
        if problem is not None:
            move(
                session,
                draft.id,
                S.PUBLISHING,
                S.FAILED,
                actor=SYSTEM,
                action="consent_withdrawn",
                reason=problem,
            )
            outbox.release(
                session, item.id, self.worker_id, OutboxState.CANCELLED, last_error=problem
            )
            draft_id = draft.id
            notices.append(
                lambda chat: chat.notify_approvers(
                    f"Draft #{draft_id} was *not* published: {problem}. Consent is checked again "
                    "just before posting. Remove the photo (the author edits the draft) or "
                    "record consent, then press Retry."
                )
            )
            notices.append(lambda chat: chat.refresh_card(draft_id))
            notices.append(
                lambda chat: chat.tell_author(
                    draft_id,
                    "This post was stopped before publishing: a pictured pupil no longer has "
                    "Twitter consent. Please edit the draft to remove or replace the photo.",
                )
            )
            return None
        progress = dict(item.progress or {})
        progress.setdefault("media", {})
        return _Job(
            item_id=item.id,
            draft_id=draft.id,
            kind="publish",
            attempts=item.attempts,
            text=draft.text,
            photos=[
                _PhotoJob(
                    photo_id=photo.id,
                    position=photo.position,
                    data=photo.data,
                    mime_type=photo.mime_type or "image/jpeg",
                    alt_text=(photo.alt_text or "").strip(),
                )
                for photo in draft.photos
            ],
            progress=progress,
        )

    def _consent_problem(self, session: Session, draft: Draft, now: datetime) -> str | None:
        """Why the photos may not go out today, or None (no pupil names in the answer)."""
        if not draft.photos or draft.no_pupils:
            return None
        if not draft.declared:
            return "nobody has declared who is pictured in the photos"
        from chatbot.services.registers import twitter_consent

        day = now.astimezone(LONDON).date()
        consent = twitter_consent(session, [p.pupil_id for p in draft.pictured], on=day)
        missing = sum(1 for given in consent.values() if not given)
        if not missing:
            return None
        pupils = "pupil" if missing == 1 else "pupils"
        return (
            f"Twitter consent is not in force on {day.isoformat()} for {missing} pictured {pupils}"
        )

    def _begin_delete(self, session: Session, item: OutboxItem) -> _Job | None:
        draft = session.get(Draft, item.draft_id)
        post = post_of(session, item.draft_id, self.publisher.network)
        if draft is None or draft.state != S.PUBLISHED.value or post is None:
            state = draft.state if draft is not None else None
            outbox.release(
                session,
                item.id,
                self.worker_id,
                OutboxState.CANCELLED,
                last_error=f"draft is {state}",
            )
            return None
        return _Job(
            item_id=item.id,
            draft_id=draft.id,
            kind="delete",
            attempts=item.attempts,
            post_id=post.post_id,
            progress=dict(item.progress or {}),
        )

    # -- steps 2 and 3: talk to X ----------------------------------------------------------

    def _save(self, job: _Job, photo: _PhotoJob | None = None, media_id: str | None = None) -> None:
        """Commit progress (and renew the lease) before the next call to X."""
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
                session.merge(
                    NetworkMedia(
                        photo_id=photo.photo_id,
                        network=self.publisher.network,
                        media_id=media_id,
                    )
                )

    def _reusable(self, entry: dict[str, Any] | None) -> bool:
        if not entry or not entry.get("id"):
            return False
        uploaded = datetime.fromisoformat(str(entry.get("at")))
        return self.clock() - uploaded < self.media_reuse

    def _publish(self, job: _Job) -> None:
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
            # The last fence: from here until the answer, the post may exist on X.
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
            log.error("draft %s is on X at %s but recording that failed", job.draft_id, ref.url)
            raise

    def _published(self, job: _Job, post_id: str, url: str) -> None:
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
            _close_items(
                session,
                job.draft_id,
                (OutboxState.CLAIMED, OutboxState.NEEDS_REVIEW),
                OutboxState.DONE,
                "publish",
            )
        self._safe(lambda chat: chat.refresh_card(job.draft_id))
        if self.dry_run:
            message = (
                "Dry run: this post would have been published now. Nothing was sent to X "
                "(the bot has no X credentials yet)."
            )
        else:
            message = f"Published on X: {url}"
        self._safe(lambda chat: chat.tell_author(job.draft_id, message))

    def _publish_failed(self, job: _Job, error: PublishError, *, unclear: bool = False) -> None:
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

            # X refuses a repeated text as a duplicate (403), which makes retrying a text post
            # after a 5xx or a timeout safe; a photo-only post has no such guard.
            unsure = unclear and error.kind is K.TRANSIENT
            again = None if unsure else self._try_again(session, job, error, now, notices)
            if unsure:
                release(OutboxState.NEEDS_REVIEW)
                to(S.NEEDS_REVIEW, "post_unclear")
                notices += _ask_a_person(draft_id, f"X did not confirm the post ({reason})")
            elif again is not None:
                release(OutboxState.QUEUED, **again)
                to(S.APPROVED, _WAITING[error.kind])
            elif error.kind is K.DUPLICATE:
                release(OutboxState.NEEDS_REVIEW)
                to(S.NEEDS_REVIEW, "duplicate")
                notices.append(
                    lambda chat: chat.notify_approvers(
                        f"Draft #{draft_id}: X refused it as a duplicate, so it is probably "
                        "already on the account. Check @HuntsCrossPri, then mark it as "
                        "published with its link, or change the text and Retry."
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
        self._tell(notices)

    def _delete(self, job: _Job) -> None:
        post_id = job.post_id or ""
        actor = str(job.progress.get("actor") or SYSTEM)
        reason = str(job.progress.get("reason") or "")
        try:
            self.publisher.delete_post(post_id)
        except PublishError as error:
            self._delete_failed(job, error)
            return
        with transaction(self.sessions) as session:
            with contextlib.suppress(StaleState):  # deleted meanwhile from the command line
                move(
                    session,
                    job.draft_id,
                    S.PUBLISHED,
                    S.DELETED,
                    actor=actor,
                    action="deleted_from_x",
                    reason=reason,
                    detail={"post_id": job.post_id},
                )
            if not outbox.release(session, job.item_id, self.worker_id, OutboxState.DONE):
                raise LeaseLost
        self._safe(lambda chat: chat.refresh_card(job.draft_id))
        self._safe(
            lambda chat: chat.notify_approvers(f"Draft #{job.draft_id}'s post was deleted from X.")
        )

    def _delete_failed(self, job: _Job, error: PublishError) -> None:
        notices: list[Notice] = []
        now = self.clock()
        reason = str(error)
        with transaction(self.sessions) as session:
            again = self._try_again(session, job, error, now, notices)
            kwargs: dict[str, Any] = {"last_error": reason, **(again or {})}
            if again is not None:
                state = OutboxState.QUEUED
            else:
                state = OutboxState.FAILED
                audit(
                    session,
                    actor=SYSTEM,
                    action="delete_failed",
                    draft_id=job.draft_id,
                    reason=reason,
                    detail={"post_id": job.post_id},
                )
                notices.append(
                    lambda chat: chat.notify_approvers(
                        f"Draft #{job.draft_id}'s post could not be deleted from X ({reason}). "
                        "Delete it by hand on X, or try `chatbot x delete` later."
                    )
                )
            if not outbox.release(session, job.item_id, self.worker_id, state, **kwargs):
                raise LeaseLost
        self._tell(notices)

    def _try_again(
        self,
        session: Session,
        job: _Job,
        error: PublishError,
        now: datetime,
        notices: list[Notice],
    ) -> dict[str, Any] | None:
        """When to try `job` again (`outbox.release` arguments), or None if not by itself.

        Rate limits and credentials do not count as attempts; credentials also pause all X
        work, and only the call that paused it tells SLT.
        """
        if error.kind is K.RATE_LIMITED:
            wait = error.retry_after or RATE_LIMIT_WINDOW.total_seconds()
            return {"due_at": now + timedelta(seconds=wait), "refund_attempt": True}
        if error.kind is K.CREDENTIALS:
            reason = str(error)
            if pause_publishing(session, reason=reason, now=now):
                notices.append(
                    lambda chat: chat.notify_approvers(
                        f"Publishing to X is paused: X refused the credentials ({reason}). "
                        f"{CREDENTIALS_FIX} Approved posts and takedowns wait until then."
                    )
                )
            return {"due_at": now, "refund_attempt": True}
        if error.kind is K.TRANSIENT and job.attempts < self.max_attempts:
            return {"due_at": now + self.backoff(job.attempts)}
        return None

    def backoff(self, attempt: int) -> timedelta:
        """Exponential backoff with "equal jitter": half fixed, half random, capped."""
        ceiling = min(
            self.backoff_cap.total_seconds(),
            self.backoff_base.total_seconds() * 2 ** max(0, attempt - 1),
        )
        return timedelta(seconds=ceiling / 2 + self.rng.uniform(0, ceiling / 2))

    # -- leases that ran out ---------------------------------------------------------------

    def _reap(
        self, session: Session, item: OutboxItem, notices: list[Notice], *, died: bool = False
    ) -> None:
        """Resolve a claim whose worker stopped; `died`: its process is known to be gone
        (found at once on its host), else its lease ran out."""
        draft = session.get(Draft, item.draft_id)
        draft_id = item.draft_id
        if died:
            note = "worker died: its process stopped while handling this item"
            action = "worker_died"
        else:
            note = "lease expired: the worker stopped while handling this item"
            action = "lease_expired"
        if item.kind == "delete":
            # Deleting twice is harmless (a post already gone counts as deleted).
            outbox.release(session, item.id, None, OutboxState.QUEUED, last_error=note)
            return
        if draft is None or draft.state != S.PUBLISHING.value:
            outbox.release(session, item.id, None, OutboxState.CANCELLED, last_error=note)
            return
        if (item.progress or {}).get("post_attempt_at"):
            outbox.release(session, item.id, None, OutboxState.NEEDS_REVIEW, last_error=note)
            move(
                session,
                draft_id,
                S.PUBLISHING,
                S.NEEDS_REVIEW,
                actor=SYSTEM,
                action=action,
                reason=note + " after sending the post to X",
            )
            notices += _ask_a_person(draft_id, "the bot stopped while sending it to X")
        elif item.attempts >= self.max_attempts:
            outbox.release(session, item.id, None, OutboxState.FAILED, last_error=note)
            move(
                session,
                draft_id,
                S.PUBLISHING,
                S.FAILED,
                actor=SYSTEM,
                action=action,
                reason=note,
            )
            notices.append(
                lambda chat: chat.notify_approvers(
                    f"Draft #{draft_id} could not be published: the bot stopped while preparing "
                    "it, too many times. Nothing was posted. Press Retry on its card."
                )
            )
            notices.append(lambda chat: chat.refresh_card(draft_id))
        else:
            # Nothing was sent as a post yet: a retry is safe (and reuses uploaded media).
            outbox.release(
                session, item.id, None, OutboxState.QUEUED, due_at=self.clock(), last_error=note
            )
            move(
                session,
                draft_id,
                S.PUBLISHING,
                S.APPROVED,
                actor=SYSTEM,
                action=action + "_retry",
                reason=note,
            )

    # -- telling people --------------------------------------------------------------------

    def _tell(self, notices: list[Notice]) -> None:
        for notice in notices:
            self._safe(notice)

    def _safe(self, notice: Notice) -> None:
        # The database is the truth; a chat outage must not undo or repeat a publish.
        try:
            notice(self.chat)
        except Exception as exc:
            log.warning("could not tell the chat about a publish: %s", type(exc).__name__)
