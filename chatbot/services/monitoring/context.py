"""What every monitor needs: the collaborators, the school's account, and posting new alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Register
from chatbot.policy.model import Policy
from chatbot.services.monitoring.budget import BudgetExhausted
from chatbot.services.monitoring.store import get_value, set_value
from chatbot.services.ports import (
    Account,
    ChatGateway,
    ReadError,
    ReadErrorKind,
    SocialReader,
)
from chatbot.store.db import transaction
from chatbot.store.models import utcnow

log = logging.getLogger(__name__)

PAGE_SIZE = 1000  # X's largest page of followers

# What ends a run early without being a bug: the next run carries on.
STOPS = (ReadError, BudgetExhausted)


def only_this_account(exc: Exception) -> bool:
    """X refused one account (a protected or suspended one), not the app: read the others."""
    return isinstance(exc, ReadError) and exc.kind in {
        ReadErrorKind.PERMANENT,
        ReadErrorKind.NOT_AVAILABLE,
    }


def describe_stop(exc: Exception) -> str:
    if isinstance(exc, BudgetExhausted):
        return "the month's read budget is used up"
    if isinstance(exc, ReadError) and exc.kind is ReadErrorKind.RATE_LIMITED:
        wait = f" for {exc.retry_after:.0f} s" if exc.retry_after is not None else ""
        return f"X's rate limit{wait}"
    if isinstance(exc, ReadError):
        log.warning("X refused a read (%s): %s", exc.kind, exc)
        return f"X refused ({exc.kind}): {exc}"
    return type(exc).__name__


@dataclass
class MonitorContext:
    sessions: sessionmaker[Session]
    reader: SocialReader  # already budgeted (see budget.BudgetedReader)
    chat: ChatGateway
    policy: Policy
    clock: Callable[[], datetime] = utcnow


@dataclass
class RunReport:
    """What one run did, for the run-once commands and the logs (counts only, no names)."""

    read: int = 0
    checked: int = 0
    alerts: list[int] = field(default_factory=list)
    complete: bool = False
    stopped: str | None = None  # why it stopped early: "budget", "rate limited", ...
    # Only this account could not be read (protected, suspended): the others can still be.
    account_only: bool = False

    def summary(self, what: str) -> str:
        line = f"{what}: read {self.read}, checked {self.checked} new, {len(self.alerts)} alert(s)"
        return f"{line}; stopped early ({self.stopped})" if self.stopped else line


def school_account(ctx: MonitorContext) -> Account:
    """The school's own account, asked of X once and remembered (each ask is a paid read)."""
    with transaction(ctx.sessions) as session:
        known = get_value(session, "x_me")
    if known:
        return Account(id=str(known["id"]), username=str(known["username"]))
    me = ctx.reader.me()
    with transaction(ctx.sessions) as session:
        set_value(session, "x_me", {"id": me.id, "username": me.username})
    return me


def current_register(ctx: MonitorContext) -> Register:
    from chatbot.services.registers import load_register

    with transaction(ctx.sessions) as session:
        return load_register(session, AcademicYear.at(ctx.clock()))


UNPOSTED_KEY = "alerts_unposted"


def post_alerts(ctx: MonitorContext, alert_ids: Iterable[int]) -> None:
    """Post cards for alerts already committed; a failure is kept and tried again next run."""
    failed = []
    for alert_id in alert_ids:
        try:
            ctx.chat.post_alert(alert_id)
        except Exception:
            log.exception("could not post the card for alert %d; trying again next run", alert_id)
            failed.append(alert_id)
    if failed:
        with transaction(ctx.sessions) as session:
            known = (get_value(session, UNPOSTED_KEY) or {}).get("ids", [])
            set_value(session, UNPOSTED_KEY, {"ids": sorted({*known, *failed})})


def retry_unposted(ctx: MonitorContext) -> None:
    """Cards that could not be posted before (Slack down): an alert must not go unseen."""
    with transaction(ctx.sessions) as session:
        ids = (get_value(session, UNPOSTED_KEY) or {}).get("ids", [])
        if ids:
            set_value(session, UNPOSTED_KEY, {"ids": []})
    if ids:
        post_alerts(ctx, [int(i) for i in ids])
