"""What every Teams route shares: its dependencies, who is acting, background work, answers.

Teams waits 15 s for a message's HTTP answer and 5 s for an invoke's, and the SDK answers only
after the whole turn: so a route does the quick work (the decision's transaction), answers, and
leaves the slow work (downloads, checks, posting and redrawing cards) to `Background`, which runs
it in threads, in order per key (one message's receive, then its edit), and logs failures
without their text.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.hosting.core import TurnContext
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.teams.dialogs import action_message
from chatbot.adapters.teams.gateway import TeamsGateway
from chatbot.domain.actors import Actor
from chatbot.policy.model import Policy
from chatbot.services.failures import log_failure
from chatbot.services.ports import SocialReader
from chatbot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
Json = dict[str, Any]
ReaderFactory = Callable[[], "SocialReader | None"]

# Teams gives an invoke 5 s; the turn also fetches a token (cached) and the answer must travel.
INVOKE_BUDGET = 3.0
SORRY = "Sorry, something went wrong and nothing was saved. Please try again in a minute."
STILL_WORKING = "Still working on it: the card will show the result in a moment."


class Background:
    """Work after the answer: threads, in order per key, awaited at shutdown.

    `wait_idle` lets a caller in another thread (a test) wait until nothing is left to do.
    """

    def __init__(self) -> None:
        self._last: dict[Hashable, asyncio.Future[Any]] = {}
        self._pending = 0
        self._idle = threading.Condition()
        self._tasks: set[asyncio.Task[None]] = set()

    def run(
        self,
        key: Hashable,
        work: Callable[[], object],
        what: str,
        *,
        after: asyncio.Future[Any] | None = None,
    ) -> None:
        """Run `work` in a thread after the earlier work under the same key, and after `after`
        (not at all if that failed: the failure is logged instead)."""
        before = self._last.get(key)
        task = asyncio.get_running_loop().create_task(self._run(before, after, work, what))
        self._last[key] = task
        with self._idle:
            self._pending += 1
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._done(key, t))

    async def _run(
        self,
        before: asyncio.Future[Any] | None,
        after: asyncio.Future[Any] | None,
        work: Callable[[], object],
        what: str,
    ) -> None:
        waits = [f for f in (before, after) if f is not None]
        if waits:
            await asyncio.wait(waits)
        if after is not None and (after.cancelled() or after.exception() is not None):
            failed = after.exception() if not after.cancelled() else None
            if failed is not None:  # also when the answer had already gone: never silent
                log_failure(log, what, failed)
            return
        try:
            await asyncio.to_thread(work)
        except Exception as exc:
            log_failure(log, what, exc)

    def _done(self, key: Hashable, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._last.get(key) is task:
            del self._last[key]
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 20.0) -> None:
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout=timeout):
                raise TimeoutError(f"{self._pending} background job(s) still running")

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks))


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    gateway: TeamsGateway
    policy: Policy
    background: Background
    make_reader: ReaderFactory
    invoke_budget: float = INVOKE_BUDGET

    def actor(self, activity: Mapping[str, Any]) -> Actor:
        """The person acting: their Entra object id, SLT if CHATBOT_SLT_USERS names it, the
        office if CHATBOT_OFFICE_USERS does, and their name as Teams sends it in every activity
        (for the audit log)."""
        user = sender_id(activity)
        slt = {u.lower() for u in self.settings.slt_users}
        office = {u.lower() for u in self.settings.office_users}
        known = bool(user)
        return Actor(
            user,
            is_slt=known and user.lower() in slt,
            is_office=known and user.lower() in office,
            name=sender_name(activity),
        )


def sender_id(activity: Mapping[str, Any]) -> str:
    sender = activity.get("from") or {}
    found = sender.get("aadObjectId") if isinstance(sender, Mapping) else None
    return found if isinstance(found, str) else ""


def sender_name(activity: Mapping[str, Any]) -> str | None:
    """`from.name`: the person's display name in the tenant, None if Teams left it out."""
    sender = activity.get("from") or {}
    found = sender.get("name") if isinstance(sender, Mapping) else None
    return (found.strip() or None) if isinstance(found, str) else None


def raw(context: TurnContext) -> Json:
    """The activity as Teams sent it (camelCase), for code that reads plain dicts."""
    return context.activity.model_dump(mode="json", by_alias=True, exclude_none=True)


def value_of(activity: Mapping[str, Any]) -> Json:
    found = activity.get("value")
    return found if isinstance(found, dict) else {}


async def answer(context: TurnContext, body: object, status: int = 200) -> None:
    """The invoke's HTTP answer (the SDK sends it once the turn ends)."""
    await context.send_activity(
        Activity(type="invokeResponse", value=InvokeResponse(status=status, body=body))
    )


async def within_budget(
    deps: Deps, key: Hashable, work: Callable[[], T], then: Callable[[T], object], what: str
) -> T | None:
    """`work` in a thread, waited for at most `deps.invoke_budget` seconds; `then(result)` in
    the background once it is done. None if it is still running (it goes on; `then` follows)."""
    task: asyncio.Future[T] = asyncio.ensure_future(asyncio.to_thread(work))
    deps.background.run(key, lambda: then(task.result()), what, after=task)
    done, _ = await asyncio.wait([task], timeout=deps.invoke_budget)
    if not done:
        return None
    return task.result()  # raises the work's own exception, for the route's guard


def refusal(text: str) -> Json:
    """An `adaptiveCard/action` answer told only to the clicker."""
    return action_message(text)


__all__ = [
    "INVOKE_BUDGET",
    "SORRY",
    "STILL_WORKING",
    "Background",
    "Deps",
    "ReaderFactory",
    "answer",
    "raw",
    "refusal",
    "sender_id",
    "sender_name",
    "value_of",
    "within_budget",
]
