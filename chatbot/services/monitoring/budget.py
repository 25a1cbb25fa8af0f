"""The network charges per item read (X does): count reads per calendar month and stop at the
policy's budget.

`BudgetedReader` wraps any `SocialReader`: before a read it asks for no more items than the
budget has left, after it charges what came back. At the budget every monitor stops for the rest
of the month and SLT hear about it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.domain.academic_year import LONDON
from chatbot.domain.networks import NetworkLimits
from chatbot.services.monitoring.store import add_to_count, claim_once, get_value
from chatbot.services.ports import Account, ChatGateway, Mention, Page, SocialReader

log = logging.getLogger(__name__)

_MENTIONS_MIN = 5  # the smallest page of mentions (X's)


class BudgetExhausted(Exception):
    """The month's reads are used up; the monitors wait for next month."""


def month_of(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m")


class ReadBudget:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        monthly_limit: int,
        chat: ChatGateway,
        clock: Callable[[], datetime] = utcnow,
        *,
        network: NetworkLimits,
    ) -> None:
        """`network`: the reader's; its id begins the stored counts' keys (as it always did)."""
        self.network = network
        self.sessions = sessions
        self.limit = monthly_limit
        self.chat = chat
        self.clock = clock

    def _key(self) -> str:
        return f"{self.network.network}_reads:{month_of(self.clock())}"

    def used(self) -> int:
        with transaction(self.sessions) as session:
            value = get_value(session, self._key())
        return int(value["reads"]) if value else 0

    def remaining(self) -> int:
        return max(self.limit - self.used(), 0)

    def charge(self, items: int) -> None:
        if items <= 0:
            return
        with transaction(self.sessions) as session:
            add_to_count(session, self._key(), items)

    def require(self, wanted: int) -> int:
        """How many items the next read may ask for; raises (and tells SLT once) at the budget."""
        left = self.remaining()
        if left > 0:
            return min(wanted, left)
        month = month_of(self.clock())
        with transaction(self.sessions) as session:
            first = claim_once(
                session, f"{self.network.network}_reads_paused:{month}", {"limit": self.limit}
            )
        if first:
            name = self.network.name
            log.warning(
                "%s read budget of %d used up for %s: monitors paused", name, self.limit, month
            )
            self.chat.notify_approvers(
                f"⚠️ The safeguarding monitors have read {self.limit:,} items from {name} "
                f"this month, the budget in the policy file (monitoring.monthly_read_budget). "
                "They are paused until the 1st of next month: check new followers and "
                f"mentions in the {name} app meanwhile, or raise the budget."
            )
        raise BudgetExhausted(month)


class BudgetedReader:
    """A `SocialReader` that never reads past the month's budget."""

    def __init__(self, reader: SocialReader, budget: ReadBudget) -> None:
        self.reader = reader
        self.budget = budget
        self.limits = reader.limits

    def me(self) -> Account:
        self.budget.require(1)
        account = self.reader.me()
        self.budget.charge(1)
        return account

    def user_by_username(self, username: str) -> Account | None:
        self.budget.require(1)
        account = self.reader.user_by_username(username)
        self.budget.charge(1)
        return account

    def followers(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]:
        size = self.budget.require(max_results)
        page = self.reader.followers(user_id, pagination_token=pagination_token, max_results=size)
        self.budget.charge(len(page.items))
        return page

    def following(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]:
        size = self.budget.require(max_results)
        page = self.reader.following(user_id, pagination_token=pagination_token, max_results=size)
        self.budget.charge(len(page.items))
        return page

    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        pagination_token: str | None = None,
        max_results: int = 100,
    ) -> Page[Mention]:
        size = max(self.budget.require(max_results), _MENTIONS_MIN)
        page = self.reader.mentions(
            user_id, since_id=since_id, pagination_token=pagination_token, max_results=size
        )
        self.budget.charge(len(page.items))
        return page

    def hide_reply(self, post_id: str) -> None:
        self.reader.hide_reply(post_id)

    def mute(self, user_id: str) -> None:
        self.reader.mute(user_id)
