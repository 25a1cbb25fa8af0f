"""In-memory fakes of the services' ports (services/ports.py), for service tests.

- `FakeChat`: `ChatGateway` and `DraftChat`: records what the core told whom, serves shared
  files from memory, and keeps the message links in `MemoryRefs`; `FakeBlockingChat` is also
  a `BlockRequester`.
- `MemoryRefs`: `MessageRefs` in memory, transactional like the adapters' tables: a link made
  inside a transaction counts only once it commits, and a second link of the same message
  fails with IntegrityError, as the unique constraint does.
- `FakePublisher`: `Publisher`; records uploads, posts and deletes; answers with scripted
  `PublishError`s first.

The services still take a `sessionmaker` today, so the tests that use these fakes still run
on the test database (the `sessions` fixture); a unit of work that removes the database is a
later step.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import Photo
from chatbot.adapters.slack.gateway import WORDS as SLACK_WORDS
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.messages import Message
from chatbot.domain.networks import NetworkLimits
from chatbot.services.ports import (
    ChatFile,
    FileUnavailable,
    MessageRef,
    PostRef,
    PublishError,
    PublishErrorKind,
)

__all__ = ["FakeBlockingChat", "FakeChat", "FakePublisher", "MemoryRefs", "plain"]


def plain(message: object) -> str:
    """A message as text, whether the core sent a string or message parts (a sequence of
    parts with `text`, or a person with `user_id`); the tests compare words, not markup."""
    if isinstance(message, str):
        return message
    if isinstance(message, Message):
        return message.plain
    for name in ("text", "user_id", "person", "id"):
        value = getattr(message, name, None)
        if isinstance(value, str):
            return value
    if isinstance(message, Iterable):
        return "".join(plain(part) for part in message)
    return str(message)


# -- message references ----------------------------------------------------------------------

_STAGED = "memory_refs_staged"


@dataclass
class _Links:
    drafts: dict[MessageRef, int] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # our photo id -> the platform's file


class MemoryRefs:
    """`MessageRefs` in memory; links become visible to other sessions when theirs commits."""

    def __init__(self) -> None:
        self.committed = _Links()

    def _staged(self, session: Session) -> _Links:
        staged: _Links | None = session.info.get((_STAGED, id(self)))
        if staged is None:
            staged = session.info[(_STAGED, id(self))] = _Links()
            if not session.info.get((_STAGED, "listening", id(self))):
                session.info[(_STAGED, "listening", id(self))] = True
                event.listen(session, "after_commit", self._commit)
                event.listen(session, "after_rollback", self._forget)
        return staged

    def _commit(self, session: Session) -> None:
        staged = session.info.pop((_STAGED, id(self)), None)
        if staged is not None:
            self.committed.drafts.update(staged.drafts)
            self.committed.files.update(staged.files)

    def _forget(self, session: Session) -> None:
        session.info.pop((_STAGED, id(self)), None)

    def _drafts(self, session: Session) -> dict[MessageRef, int]:
        return {**self.committed.drafts, **self._staged(session).drafts}

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        return self._drafts(session).get(ref)

    def link_draft(self, session: Session, draft_id: int, ref: MessageRef) -> None:
        drafts = self._drafts(session)
        if ref in drafts or draft_id in drafts.values():
            raise IntegrityError("link_draft", {"ref": ref}, Exception("already linked"))
        self._staged(session).drafts[ref] = draft_id

    def message_of(self, session: Session, draft_id: int) -> MessageRef | None:
        return next((r for r, d in self._drafts(session).items() if d == draft_id), None)

    def link_files(self, session: Session, photos: Sequence[tuple[int, str]]) -> None:
        self._staged(session).files.update({p: f for p, f in photos if f})

    def photo_files(self, session: Session, draft_id: int) -> list[str]:
        files = {**self.committed.files, **self._staged(session).files}
        ids = session.scalars(
            select(Photo.id).where(Photo.draft_id == draft_id).order_by(Photo.position)
        )
        return [files.get(photo_id, "") for photo_id in ids]


# -- chat ------------------------------------------------------------------------------------


@dataclass
class FakeChat:
    """What the core told people, in order: ``(method, *arguments)`` tuples in `calls`.

    Shared files are served from `files` (file id -> bytes); any other id is unavailable.
    Set `broken` to method names that should raise, to see the core carry on without them.
    """

    limits: NetworkLimits = X_LIMITS  # the publisher's, as bootstrap hands them to a chat
    words: ChatWords = SLACK_WORDS  # the words the Slack tests expect
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    memory_refs: MemoryRefs = field(default_factory=MemoryRefs)

    def _record(self, method: str, *args: Any) -> None:
        self.calls.append((method, *args))
        if method in self.broken:
            raise RuntimeError(f"{method} failed (FakeChat.broken)")

    # ChatGateway
    def refresh_card(self, draft_id: int) -> None:
        self._record("refresh_card", draft_id)

    def tell_author(self, draft_id: int, text: Any) -> None:
        self._record("tell_author", draft_id, plain(text))  # words, not markup

    def notify_approvers(self, text: Any) -> None:
        self._record("notify_approvers", plain(text))

    def post_alert(self, alert_id: int) -> None:
        self._record("post_alert", alert_id)

    def direct_message(self, user_id: str, text: Any) -> None:
        self._record("direct_message", user_id, plain(text))

    def show_past_posts(self, review_id: int) -> None:
        self._record("show_past_posts", review_id)

    # DraftChat
    @property
    def refs(self) -> MemoryRefs:
        return self.memory_refs

    def post_checks(self, draft_id: int, notices: Sequence[Any] = ()) -> None:
        self._record("post_checks", draft_id, tuple(notices))

    def fetch_file(self, file: ChatFile, max_bytes: int) -> bytes:
        self._record("fetch_file", file.id)
        data = self.files.get(file.id)
        if data is None:
            raise FileUnavailable(f"{file.name or 'a file'} could not be downloaded.")
        if len(data) > max_bytes:
            raise FileUnavailable(f"{file.name or 'a file'} is too large.")
        return data

    # -- reading ---------------------------------------------------------------------------

    def named(self, method: str) -> list[tuple[Any, ...]]:
        """The arguments of each call of `method`."""
        return [call[1:] for call in self.calls if call[0] == method]

    def told(self, draft_id: int) -> list[str]:
        """What the author of `draft_id` was told in its thread, as text."""
        return [plain(text) for d, text in self.named("tell_author") if d == draft_id]

    def approvers_told(self) -> list[str]:
        return [plain(text) for (text,) in self.named("notify_approvers")]

    def checks(self, draft_id: int) -> list[list[str]]:
        """The notices of each `post_checks` of the draft."""
        return [
            [plain(n) for n in notices] for d, notices in self.named("post_checks") if d == draft_id
        ]

    def redraws(self, draft_id: int) -> int:
        return self.named("refresh_card").count((draft_id,))


@dataclass
class FakeBlockingChat(FakeChat):
    """`FakeChat` that is also a `BlockRequester` (the monitors then ask with a button)."""

    def ask_to_block(self, alert_id: int, user_id: str, text: Any) -> None:
        self._record("ask_to_block", alert_id, user_id, plain(text))


# -- the social network ----------------------------------------------------------------------


@dataclass
class FakePublisher:
    """A `Publisher` in memory. `errors` are raised, in order, by the next calls of `create_post`
    (or of `upload_photo` / `delete_post` when queued in `upload_errors` / `delete_errors`)."""

    network: str = "fake"
    limits: NetworkLimits = X_LIMITS
    errors: list[PublishError] = field(default_factory=list)
    upload_errors: list[PublishError] = field(default_factory=list)
    delete_errors: list[PublishError] = field(default_factory=list)
    posts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (text, media ids)
    attempts: int = 0  # create_post calls, failed ones included
    uploads: list[tuple[str, bytes, str]] = field(default_factory=list)  # (media id, data, mime)
    alt_texts: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))

    def _next_id(self) -> str:
        return str(next(self._ids))

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        if self.upload_errors:
            raise self.upload_errors.pop(0)
        media_id = f"m{self._next_id()}"
        self.uploads.append((media_id, data, mime_type))
        return media_id

    def set_alt_text(self, media_id: str, text: str) -> None:
        self.alt_texts[media_id] = text

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        post_id = self._next_id()
        self.posts.append((text, tuple(media_ids)))
        return PostRef(id=post_id, url=f"https://social.example/posts/{post_id}")

    def delete_post(self, post_id: str) -> None:
        if self.delete_errors:
            raise self.delete_errors.pop(0)
        self.deleted.append(post_id)

    def fail_next(self, kind: PublishErrorKind, times: int = 1, **kwargs: Any) -> None:
        """Queue `times` errors of `kind` for the next posts."""
        self.errors.extend(
            PublishError(kind, f"scripted {kind.value}", **kwargs) for _ in range(times)
        )
