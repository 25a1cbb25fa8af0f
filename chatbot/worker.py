"""One database-polling loop: the outbox (publishing, scheduled posts, takedowns) and periodic
tasks (photo retention, reminders, safeguarding monitors).

Runs in a thread inside `chatbot run` and alone as `chatbot worker`. Several workers (processes
or threads) may run against one database: outbox rows and periodic tasks are claimed with
leases, so no two of them handle the same thing at once.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db import outbox
from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import OutboxItem, utcnow
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.messages import Telling, as_message
from chatbot.domain.networks import NetworkLimits
from chatbot.domain.outbox import OutboxState
from chatbot.services.ports import ChatGateway, Publisher
from chatbot.services.publishing.retention import purge_finished_photos
from chatbot.services.publishing.runner import Publishing
from chatbot.services.publishing.state import publishing_paused, resume_publishing

if TYPE_CHECKING:
    from chatbot.policy.model import Policy

log = logging.getLogger(__name__)

PHOTO_RETENTION = timedelta(days=30)  # until the policy file sets it


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def describe_error(exc: BaseException) -> str:
    """An exception for the log without its arguments: SQL errors carry row values (names)."""
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError):
        return f"{type(exc).__name__} ({type(exc.orig).__name__})"
    return type(exc).__name__


@dataclass(slots=True)
class _Periodic:
    name: str
    every: timedelta
    task: Callable[[], None]


class Worker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        publisher: Publisher,
        chat: ChatGateway,
        *,
        clock: Callable[[], datetime] = utcnow,
        worker_id: str | None = None,
        lease_seconds: float = 300,
        max_attempts: int = 10,
        backoff_base_seconds: float = 2,
        backoff_cap_seconds: float = 300,
        task_lease_seconds: float = 900,
        max_items_per_round: int = 50,
        rng: random.Random | None = None,
        owner: outbox.Owner | None = None,
    ) -> None:
        """`owner`: the process named on our claims (default: this one; tests pretend)."""
        self.sessions = sessions
        self.clock = clock
        self.worker_id = worker_id or default_worker_id()
        self.task_lease = timedelta(seconds=task_lease_seconds)
        self.max_items_per_round = max_items_per_round
        self.publishing = Publishing(
            sessions,
            publisher,
            chat,
            clock=clock,
            worker_id=self.worker_id,
            lease=timedelta(seconds=lease_seconds),
            max_attempts=max_attempts,
            backoff_base=timedelta(seconds=backoff_base_seconds),
            backoff_cap=timedelta(seconds=backoff_cap_seconds),
            rng=rng,
            owner=owner,
        )
        self._periodic: list[_Periodic] = []

    def add_periodic(self, name: str, every: timedelta, task: Callable[[], None]) -> None:
        """Run `task` about every `every`, in one process at a time (first run: at once)."""
        if any(p.name == name for p in self._periodic):
            raise ValueError(f"a periodic task named {name!r} is already registered")
        with transaction(self.sessions) as session:
            outbox.ensure_task(session, name, first_run=self.clock())
        self._periodic.append(_Periodic(name, every, task))

    def run_once(self) -> int:
        """Resolve dead claims and expired leases, handle due outbox items, run due periodic
        tasks. The first round of a (re)started worker thus settles what a crashed process on
        this host left in flight, before anything new is claimed.

        Returns how many outbox items and periodic tasks were handled (0: nothing to do).
        """
        done = 0
        self.publishing.reap_expired()
        while done < self.max_items_per_round and self.publishing.process_next():
            done += 1
        for periodic in self._periodic:
            done += self._run_periodic(periodic)
        return done

    def _run_periodic(self, periodic: _Periodic) -> int:
        now = self.clock()
        with transaction(self.sessions) as session:
            if not outbox.claim_task(session, periodic.name, now=now, lease=self.task_lease):
                return 0
        error = None
        try:
            periodic.task()
        except Exception as exc:
            error = describe_error(exc)
            log.error("periodic task %s failed: %s", periodic.name, error)
        finished = self.clock()
        with transaction(self.sessions) as session:
            outbox.finish_task(
                session,
                periodic.name,
                now=finished,
                next_run=finished + periodic.every,
                error=error,
            )
        return 1

    def idle(self) -> bool:
        """Nothing queued that is due and nothing claimed: what `--drain` waits for."""
        from sqlalchemy import func, or_, select

        now = self.clock()
        with transaction(self.sessions) as session:
            if publishing_paused(session) is not None:
                return True
            busy = session.scalar(
                select(func.count())
                .select_from(OutboxItem)
                .where(
                    or_(
                        OutboxItem.state == OutboxState.CLAIMED,
                        (OutboxItem.state == OutboxState.QUEUED) & (OutboxItem.due_at <= now),
                    )
                )
            )
        return not busy

    def run(self, stop: threading.Event, poll_seconds: float = 2.0, *, drain: bool = False) -> None:
        """Loop until `stop` is set (finishing the item in hand), or with `drain` until idle.

        A (re)start lifts a credentials pause: restarting is how a school applies new tokens.
        """
        if resume_publishing(self.sessions, actor="system:start"):
            log.warning("publishing was paused for X credentials; resumed at start")
        while not stop.is_set():
            try:
                handled = self.run_once()
            except Exception as exc:  # a database blip: wait and try again
                log.error("worker round failed: %s", describe_error(exc))
                handled = 0
            if handled:
                continue
            if drain and self.idle():
                return
            stop.wait(poll_seconds)


def add_publishing_tasks(worker: Worker, *, photo_retention: timedelta = PHOTO_RETENTION) -> None:
    """Register the publishing side's periodic tasks: photo retention (hourly)."""

    def purge() -> None:
        count = purge_finished_photos(worker.sessions, photo_retention, now=worker.clock())
        log.info("purged the data of %d photos", count)

    worker.add_periodic("purge_photos", timedelta(hours=1), purge)


def worker_for_policy(
    sessions: sessionmaker[Session],
    publisher: Publisher,
    chat: ChatGateway,
    policy: Policy,
    **kwargs: Any,
) -> Worker:
    """A worker with the policy file's retry limits and photo retention (its [publishing] and
    [retention] tables), the publishing tasks registered; `kwargs` go to `Worker`."""
    worker = Worker(
        sessions,
        publisher,
        chat,
        max_attempts=policy.publishing.max_attempts,
        backoff_base_seconds=policy.publishing.backoff_base_seconds,
        backoff_cap_seconds=policy.publishing.backoff_max_seconds,
        **kwargs,
    )
    add_publishing_tasks(worker, photo_retention=timedelta(days=policy.retention_days))
    return worker


class LogOnlyChat:
    """A `ChatGateway` for `chatbot worker` without Slack: notices go to the log only."""

    words = ChatWords(compose="the compose form", room="channel", thread="thread")

    def __init__(self, limits: NetworkLimits) -> None:
        self.limits = limits

    def refresh_card(self, draft_id: int) -> None:
        log.info("draft %s changed (no chat to update)", draft_id)

    # Texts from other use cases may name people: only our own notices are logged in full.
    def tell_author(self, draft_id: int, text: Telling) -> None:
        log.info("a message for the author of draft %s (not shown)", draft_id)

    def notify_approvers(self, text: Telling) -> None:
        log.warning("to approvers: %s", as_message(text).plain)

    def post_alert(self, alert_id: int) -> None:
        log.warning("safeguarding alert %s (no chat to post it)", alert_id)

    def direct_message(self, user_id: str, text: Telling) -> None:
        log.info("a direct message to %s (not shown)", user_id)

    def show_past_posts(self, review_id: int) -> None:
        log.warning("past posts to review after a withdrawal (review %s; no chat)", review_id)
