"""The one place that wires the app: settings -> policy -> database -> publisher (X or a dry run)
-> reader -> chat platform -> worker and its periodic tasks (publishing, reminders, monitors).

Every command makes a `Bootstrap` from its settings and takes what it needs. Each piece is made
on first use, so `chatbot check` imports none of it, and once, so the listeners, the worker and
the monitors share one chat gateway (one card lock). Making it registers the settings' secrets
with the log filter, so no command can log a token.

A chat platform is an adapter package with a `platform(settings, sessions, limits)` function
returning a `ChatPlatform`; adding one is its folder and one line in `PLATFORMS`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from chatbot.logs import mask_secrets

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.adapters.x.client import XPublisher
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.lifecycle import Connection
    from chatbot.policy.model import Policy
    from chatbot.services.ports import ChatGateway, SocialReader
    from chatbot.settings import Settings
    from chatbot.worker import Worker

log = logging.getLogger("chatbot.run")

# CHATBOT_PLATFORM -> the adapter module whose `platform(settings, sessions, limits)` serves it
# (`limits`: the publisher's `NetworkLimits`, which the chat's cards and intake abide by).
PLATFORMS: dict[str, str] = {
    "slack": "chatbot.adapters.slack.platform",
    "teams": "chatbot.adapters.teams.platform",
}

REMINDER_EVERY = timedelta(minutes=15)
# Past posts to review after a withdrawal made where no chat was reachable (the command line).
ANNOUNCE_EVERY = timedelta(minutes=1)


class ChatPlatform(Protocol):
    """What the wiring needs from a chat adapter."""

    def can_notify(self) -> bool:
        """Enough is configured to tell SLT things (notices, reminders, alerts)."""

    @property
    def gateway(self) -> ChatGateway:
        """The chat port for the worker and the monitors, shared with the listeners."""

    def start(self, policy: Policy, reader: Callable[[], SocialReader | None]) -> Connection:
        """Check the platform, build its app on `gateway` (its listeners read X through
        `reader`) and connect; `StartupError` if not."""


class Bootstrap:
    """One process's objects, made on first use. Close it to release the database."""

    def __init__(
        self, settings: Settings, *, sessions: sessionmaker[Session] | None = None
    ) -> None:
        """`sessions`: a database already prepared (tests); by default the configured one."""
        from pydantic import SecretStr

        self.settings = settings
        self._engine: Engine | None = None
        if sessions is not None:
            self.__dict__["sessions"] = sessions  # what the cached property would hold
        mask_secrets(
            value.get_secret_value()
            for name in type(settings).model_fields
            if isinstance(value := getattr(settings, name), SecretStr)
        )

    # -- settings -> policy -> database ----------------------------------------------------

    @cached_property
    def policy(self) -> Policy:
        """The policy file (`PolicyError` if it cannot be read)."""
        from chatbot.policy.engine import load_policy

        return load_policy(self.settings.policy_file)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions on the configured database, brought to the latest migration first
        (`DatabaseError`, its message naming the setting, if it cannot be used)."""
        from chatbot.adapters.db.db import DatabaseError, make_engine, make_sessionmaker, upgrade

        try:
            engine = make_engine(self.settings.effective_database_url)
            upgrade(engine)
        except DatabaseError:
            raise
        except Exception as exc:  # a malformed URL or a missing driver
            raise DatabaseError(f"cannot use CHATBOT_DATABASE_URL: {exc}") from None
        self._engine = engine
        return make_sessionmaker(engine)

    @property
    def engine(self) -> Engine:
        from sqlalchemy import Engine

        engine = self.sessions.kw["bind"]
        assert isinstance(engine, Engine)  # noqa: S101 (make_sessionmaker binds an engine)
        return engine

    def close(self) -> None:
        """Release the database connections this made (not those of `sessions` passed in)."""
        if self._engine is not None:
            self._engine.dispose()

    # -- the network -----------------------------------------------------------------------

    @cached_property
    def publisher(self) -> XPublisher | DryRunPublisher:
        """X when all four X credentials are set, otherwise the dry run."""
        from chatbot.adapters.x import make_publisher

        return make_publisher(self.settings)

    def dry_run_publisher(self) -> DryRunPublisher:
        """For a dry-run "post", which exists only in our audit log."""
        from chatbot.adapters.x.dryrun import DryRunPublisher

        return DryRunPublisher()

    @cached_property
    def reader(self) -> SocialReader | None:
        """What the monitors read X with; None without the X credentials."""
        if not self.settings.x_credentials_complete:
            return None
        from chatbot.adapters.x.reader import XReader

        return XReader.from_settings(self.settings)

    def social_reader(self) -> SocialReader | None:
        """`reader` as a factory, for listeners that read X on a click."""
        return self.reader

    # -- the chat platform -----------------------------------------------------------------

    @cached_property
    def chat(self) -> ChatPlatform:
        module = importlib.import_module(PLATFORMS[self.settings.platform])
        made: ChatPlatform = module.platform(self.settings, self.sessions, self.publisher.limits)
        return made

    def notices(self) -> ChatGateway:
        """The chat when it can reach people, otherwise the log."""
        if self.chat.can_notify():
            return self.chat.gateway
        from chatbot.worker import LogOnlyChat

        return LogOnlyChat(self.publisher.limits)

    # -- the worker ------------------------------------------------------------------------

    def worker(self, **kwargs: Any) -> Worker:
        """The worker with every periodic task: publishing (the policy's retry limits, photo
        retention), reminders and the safeguarding monitors when a chat can carry them.
        `kwargs` go to `Worker`."""
        from chatbot.worker import worker_for_policy

        chat = self.notices()
        worker = worker_for_policy(self.sessions, self.publisher, chat, self.policy, **kwargs)
        if not self.chat.can_notify():
            # A reminder or an alert nobody sees must not count as sent.
            log.warning(
                "reminders and safeguarding monitors are off: they need the chat platform's "
                "settings (see `chatbot check-config`)"
            )
            return worker
        worker.add_periodic("remind_pending", REMINDER_EVERY, _Reminder(self, chat))
        worker.add_periodic("announce_past_posts", ANNOUNCE_EVERY, _PastPosts(self, chat))
        self._add_monitors(worker, chat)
        return worker

    def _add_monitors(self, worker: Worker, chat: ChatGateway) -> None:
        if self.reader is None:
            log.warning("safeguarding monitors are off: they read X and need the X credentials")
            return
        from chatbot.services.monitoring.schedule import register_monitors

        register_monitors(worker, self.sessions, self.reader, chat, self.policy)
        log.info("safeguarding monitors are on")

    def start_chat(self) -> Connection:
        """`chatbot run`: the chat platform checked, its app built and connected."""
        return self.chat.start(self.policy, self.social_reader)


class _Reminder:
    """The reminders' periodic task (named, so a failure log says what it was)."""

    def __init__(self, boot: Bootstrap, chat: ChatGateway) -> None:
        self.boot = boot
        self.chat = chat

    def __call__(self) -> None:
        from chatbot.services.reminders import remind_pending

        remind_pending(self.boot.sessions, self.chat, self.boot.policy)


class _PastPosts:
    """Shows SLT the past-posts reviews no chat has shown yet (named, for the failure log)."""

    def __init__(self, boot: Bootstrap, chat: ChatGateway) -> None:
        self.boot = boot
        self.chat = chat

    def __call__(self) -> None:
        from chatbot.services.past_posts import announce

        announce(self.boot.sessions, self.chat)
