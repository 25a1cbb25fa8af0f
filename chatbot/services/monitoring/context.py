"""What every monitor needs: the collaborators, the school's account, and posting new alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Register
from chatbot.policy.model import Policy
from chatbot.services.monitoring.budget import BudgetExhausted
from chatbot.services.monitoring.store import (
    claim_once,
    forget_value,
    get_value,
    locked_value,
    set_value,
)
from chatbot.services.ports import (
    Account,
    ChatGateway,
    ReadError,
    ReadErrorKind,
    SocialReader,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 1000  # the largest page of followers (X's)

# What ends a run early without being a bug: the next run carries on.
STOPS = (ReadError, BudgetExhausted)


def only_this_account(exc: Exception) -> bool:
    """The network refused one account (protected, suspended), not the app: read the others."""
    return isinstance(exc, ReadError) and exc.kind in {
        ReadErrorKind.PERMANENT,
        ReadErrorKind.NOT_AVAILABLE,
    }


def describe_stop(exc: Exception, network: str) -> str:
    """Why a run stopped early; `network`: the reader's name."""
    if isinstance(exc, BudgetExhausted):
        return "the month's read budget is used up"
    if isinstance(exc, ReadError) and exc.kind is ReadErrorKind.RATE_LIMITED:
        wait = f" for {exc.retry_after:.0f} s" if exc.retry_after is not None else ""
        return f"{network}'s rate limit{wait}"
    if isinstance(exc, ReadError):
        log.warning("%s refused a read (%s): %s", network, exc.kind, exc)
        return f"{network} refused ({exc.kind}): {exc}"
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
    credentials_refused: bool = False  # the network answered 401: the keys are wrong or revoked

    def stop(self, exc: Exception, network: str) -> RunReport:
        """End the run early because of `exc` (one of `STOPS`); `network`: the reader's name."""
        self.stopped = describe_stop(exc, network)
        self.account_only = only_this_account(exc)
        self.credentials_refused = (
            isinstance(exc, ReadError) and exc.kind is ReadErrorKind.CREDENTIALS
        )
        return self

    def stop_like(self, other: RunReport) -> None:
        """Carry another run's early stop over (staff accounts are read one after another)."""
        self.stopped = other.stopped
        self.account_only = other.account_only
        self.credentials_refused = self.credentials_refused or other.credentials_refused

    def summary(self, what: str) -> str:
        line = f"{what}: read {self.read}, checked {self.checked} new, {len(self.alerts)} alert(s)"
        return f"{line}; stopped early ({self.stopped})" if self.stopped else line


def school_account(ctx: MonitorContext) -> Account:
    """The school's own account, asked of the network once and remembered (each ask is a paid
    read); its key begins with the network's id, as it always did."""
    key = f"{ctx.reader.limits.network}_me"
    with transaction(ctx.sessions) as session:
        known = get_value(session, key)
    if known:
        return Account(id=str(known["id"]), username=str(known["username"]))
    me = ctx.reader.me()
    with transaction(ctx.sessions) as session:
        set_value(session, key, {"id": me.id, "username": me.username})
    return me


def current_register(ctx: MonitorContext) -> Register:
    from chatbot.services.registers import load_register

    with transaction(ctx.sessions) as session:
        return load_register(session, AcademicYear.at(ctx.clock()))


def credentials_key(ctx: MonitorContext) -> str:
    """Stored while the network refuses the monitors' keys (the network's id first)."""
    return f"{ctx.reader.limits.network}_read_credentials_refused"


def note_credentials(ctx: MonitorContext, report: RunReport) -> None:
    """Tell SLT once when the network refuses the monitors' keys; once it answers again, forget
    it (so a later revocation is told too)."""
    limits = ctx.reader.limits
    if report.credentials_refused:
        with transaction(ctx.sessions) as session:
            first = claim_once(session, credentials_key(ctx))
        if first:
            ctx.chat.notify_approvers(
                f"⚠️ The safeguarding monitors cannot read {limits.name}: {limits.name} "
                f"refused the credentials (401). Check {limits.credentials or 'its credentials'} "
                f"({limits.name} developer portal > your app > Keys and tokens), then restart "
                "the bot. Until then nobody checks new followers, pupils following staff or "
                f"mentions: look at them in the {limits.name} app."
            )
    elif report.read:  # the network answered with data (not a run with nothing to read)
        with transaction(ctx.sessions) as session:
            forget_value(session, credentials_key(ctx))


UNPOSTED_KEY = "alerts_unposted"


def queue_cards(session: Session, alert_ids: Collection[int]) -> None:
    """Note, in the transaction that creates the alerts, that their cards are still to post:
    a crash (or the chat down) between the commit and the card leaves the id here for next run."""
    if alert_ids:
        _change_unposted(session, add=alert_ids)


def post_alerts(ctx: MonitorContext, alert_ids: Iterable[int]) -> None:
    """Post the cards of queued alerts; an id leaves the queue only once its card is posted."""
    posted = []
    for alert_id in alert_ids:
        try:
            ctx.chat.post_alert(alert_id)
        except Exception:
            log.exception("could not post the card for alert %d; trying again next run", alert_id)
        else:
            posted.append(alert_id)
    if posted:
        with transaction(ctx.sessions) as session:
            _change_unposted(session, remove=posted)


def retry_unposted(ctx: MonitorContext) -> None:
    """Cards not posted before (the chat down, a crash): an alert must not go unseen."""
    with transaction(ctx.sessions) as session:
        ids = [int(i) for i in (get_value(session, UNPOSTED_KEY) or {}).get("ids", [])]
    post_alerts(ctx, ids)


def _change_unposted(
    session: Session, *, add: Iterable[int] = (), remove: Iterable[int] = ()
) -> None:
    # Locked: two processes (chatbot run, chatbot monitor) may change the list at once.
    row = locked_value(session, UNPOSTED_KEY, {"ids": []})
    ids = ({int(i) for i in row.value.get("ids", [])} | set(add)) - set(remove)
    row.value, row.updated_at = {"ids": sorted(ids)}, utcnow()
