"""Putting the monitors on the worker's timetable (intervals from the policy file)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import utcnow
from chatbot.policy.model import Policy
from chatbot.services.monitoring.budget import BudgetedReader, ReadBudget
from chatbot.services.monitoring.context import (
    MonitorContext,
    RunReport,
    note_credentials,
    retry_unposted,
)
from chatbot.services.monitoring.followers import check_school_followers
from chatbot.services.monitoring.following import check_following
from chatbot.services.monitoring.mentions import check_mentions
from chatbot.services.monitoring.staff import check_staff_followers
from chatbot.services.ports import ChatGateway, SocialReader

log = logging.getLogger(__name__)

Monitor = Callable[[MonitorContext], RunReport]

MONITORS: dict[str, Monitor] = {
    "followers": check_school_followers,
    "staff": check_staff_followers,
    "mentions": check_mentions,
    "following": check_following,
}


class PeriodicScheduler(Protocol):
    def add_periodic(self, name: str, every: timedelta, task: Callable[[], None]) -> None: ...


def monitor_context(
    sessions: sessionmaker[Session],
    reader: SocialReader,
    chat: ChatGateway,
    policy: Policy,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> MonitorContext:
    """A context whose reader keeps within the policy's monthly read budget."""
    budget = ReadBudget(sessions, policy.monthly_read_budget, chat, clock, network=reader.limits)
    return MonitorContext(sessions, BudgetedReader(reader, budget), chat, policy, clock)


def run_monitor(ctx: MonitorContext, which: str) -> RunReport:
    retry_unposted(ctx)
    report = MONITORS[which](ctx)
    note_credentials(ctx, report)
    # Counts only: never a handle or a name in the log.
    log.log(logging.WARNING if report.stopped else logging.INFO, "%s", report.summary(which))
    return report


def register_monitors(
    worker: PeriodicScheduler,
    sessions: sessionmaker[Session],
    reader: SocialReader,
    chat: ChatGateway,
    policy: Policy,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> MonitorContext:
    """Add each monitor as a periodic task; returns the shared context (for tests)."""
    ctx = monitor_context(sessions, reader, chat, policy, clock=clock)
    settings = policy.monitoring
    every = {
        "followers": timedelta(minutes=settings.followers_interval_minutes),
        "staff": timedelta(minutes=settings.staff_followers_interval_minutes),
        "mentions": timedelta(minutes=settings.mentions_interval_minutes),
        "following": timedelta(minutes=settings.following_interval_minutes),
    }
    for which, interval in every.items():
        worker.add_periodic(f"monitor-{which}", interval, _task(ctx, which))
    return ctx


def _task(ctx: MonitorContext, which: str) -> Callable[[], None]:
    def task() -> None:
        run_monitor(ctx, which)

    return task
