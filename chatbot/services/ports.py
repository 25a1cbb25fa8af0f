"""What the use cases need from the outside world; the chat and network adapters implement these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, runtime_checkable

from chatbot.domain.chat_words import ChatWords
from chatbot.domain.messages import Telling
from chatbot.domain.networks import NetworkLimits

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


class ChatGateway(Protocol):
    """The chat platform. Everything is addressed by our own ids.

    What is said is a `Telling` (domain/messages.py): a `Message` of neutral parts, or a `str` of
    plain text; the adapter renders it in its own markup.

    `limits` are the network's (bootstrap hands the publisher's to the chat platform): the core
    names the network in what it says by `limits.name`. `words` are the platform's own words
    (its compose command, its word for a shared place), for the texts that need them.
    """

    @property
    def limits(self) -> NetworkLimits: ...

    @property
    def words(self) -> ChatWords: ...

    def refresh_card(self, draft_id: int) -> None:
        """Redraw the draft's approval card from the database (buttons follow the state)."""

    def tell_author(self, draft_id: int, text: Telling) -> None:
        """Reply in the draft's thread, mentioning its author."""

    def notify_approvers(self, text: Telling) -> None:
        """Post where SLT decide on drafts."""

    def post_alert(self, alert_id: int) -> None:
        """Post (or redraw) a safeguarding alert card where the safeguarding team sees it."""

    def direct_message(self, user_id: str, text: Telling) -> None:
        """Send a direct message to one person."""

    def show_past_posts(self, review_id: int) -> None:
        """Post (or redraw in place) where SLT decide, the card listing the live posts that
        picture a pupil whose consent was withdrawn (services/past_posts.py)."""


@dataclass(frozen=True, slots=True)
class PostRef:
    """A post as the network names it: its id there and its public link (built by the
    publisher; '' when there is none, as for a dry run)."""

    id: str
    url: str


class PublishErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"  # wait until retry_after, then try again
    TRANSIENT = "transient"  # 5xx, timeouts, connection errors: back off and retry
    CREDENTIALS = "credentials"  # 401, or 403 for the app's access: pause and tell SLT
    DUPLICATE = "duplicate"  # 403 duplicate content: probably already posted
    PERMANENT = "permanent"  # anything else: a person must look


class PublishError(Exception):
    def __init__(
        self, kind: PublishErrorKind, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


class Publisher(Protocol):
    """The social network. Raises `PublishError` for anything that went wrong.

    `network` names it in the core's `network_posts` and `network_media` tables; the
    core stores the ids and links it returns and never builds or parses them itself.
    """

    network: str
    limits: NetworkLimits  # what one post may hold there, and how its posts are linked

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        """Upload one prepared photo; returns the media id."""

    def set_alt_text(self, media_id: str, text: str) -> None: ...

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef: ...

    def delete_post(self, post_id: str) -> None: ...


# -- drafts arriving from chat -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChatFile:
    """A file shared with a draft, as the chat platform describes it (before downloading)."""

    id: str
    name: str = ""
    mimetype: str = ""
    size: int | None = None
    url: str | None = None  # where to download it; None while the platform is still processing


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message as the chat platform names it, opaque to the core.

    `place` is where it is (the platform's conversation, up to 100+ characters) and `id` which
    message there; each adapter's refs module says what they are on its platform.
    """

    place: str
    id: str


class MessageRefs(Protocol):
    """The chat adapter's own table linking its messages and files to our drafts and photos.

    Every method runs inside the caller's transaction, on its `session`; none commits.

    The contract that makes intake idempotent: `link_draft` must fail with
    `sqlalchemy.exc.IntegrityError` when `ref` is already linked to a draft (a unique
    constraint on the platform's key, so that two deliveries of one message racing in two
    processes cannot both win). Intake creates the draft and links it in one transaction, so
    the loser's draft is rolled back and the delivery is treated as a redelivery.
    """

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        """Our draft made from this message, if any."""

    def link_draft(self, session: Session, draft_id: int, ref: MessageRef) -> None:
        """Record that the draft came from this message; IntegrityError if it is linked."""

    def message_of(self, session: Session, draft_id: int) -> MessageRef | None:
        """The message the draft came from (its thread is where the author is answered)."""

    def link_files(self, session: Session, photos: Sequence[tuple[int, str]]) -> None:
        """Record (our photo id, the platform's file id) pairs, replacing earlier ones."""

    def photo_files(self, session: Session, draft_id: int) -> list[str]:
        """The platform's file id of each of the draft's photos, by position ('' if unknown)."""


class FileUnavailable(Exception):
    """A shared file could not be downloaded; str(exc) says why in a teacher's words."""


class DraftChat(ChatGateway, Protocol):
    """What intake needs beyond ChatGateway: the draft's thread and its files.

    `refs` is the adapter's `MessageRefs`: intake finds and links drafts through it. Photos are
    held to `limits`, the publisher's.
    """

    @property
    def refs(self) -> MessageRefs: ...

    def post_checks(self, draft_id: int, notices: Sequence[Telling] = ()) -> None:
        """Reply in the draft's thread with its findings (and the declare button if needed)."""

    def fetch_file(self, file: ChatFile, max_bytes: int) -> bytes:
        """Download one shared file, or raise FileUnavailable."""


# -- reading the social network (safeguarding monitors) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Account:
    """An account on the network as the monitors see it: read, judged, never stored as a profile."""

    id: str
    username: str
    name: str = ""
    description: str = ""
    created_at: datetime | None = None
    followers_count: int = 0
    following_count: int = 0
    post_count: int = 0
    has_profile_image: bool = True  # False for the network's default avatar


@dataclass(frozen=True, slots=True)
class Mention:
    """A post that mentions or replies to the school account."""

    id: str
    author_id: str
    author_username: str
    text: str
    conversation_id: str | None = None
    in_reply_to_user_id: str | None = None

    @property
    def is_reply(self) -> bool:
        return self.in_reply_to_user_id is not None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_token: str | None = None
    newest_id: str | None = None  # for mentions: the cursor to ask `since_id` next time


class ReadErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"  # wait until retry_after
    TRANSIENT = "transient"  # 5xx, timeouts: try at the next run
    CREDENTIALS = "credentials"  # 401: the keys are wrong or revoked
    NOT_AVAILABLE = "not_available"  # the network refuses this endpoint at the app's access level
    PERMANENT = "permanent"  # anything else


class ReadError(Exception):
    def __init__(self, kind: ReadErrorKind, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


class EndpointNotAvailable(ReadError):
    """The network refuses the endpoint for self-serve apps (X: 403 client-not-enrolled, 453)."""

    def __init__(self, message: str) -> None:
        super().__init__(ReadErrorKind.NOT_AVAILABLE, message)


class SocialReader(Protocol):
    """What the safeguarding monitors need from the network. Raises `ReadError`.

    `max_results` lets the caller keep within the monthly read budget (X charges per item read).
    `limits` name the network read (its name for texts, its id for what the monitors store).
    """

    limits: NetworkLimits

    def me(self) -> Account: ...

    def user_by_username(self, username: str) -> Account | None:
        """None when no such account exists (or it is suspended)."""

    def followers(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]: ...

    def following(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]: ...

    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        pagination_token: str | None = None,
        max_results: int = 100,
    ) -> Page[Mention]: ...

    def hide_reply(self, post_id: str) -> None: ...

    def mute(self, user_id: str) -> None: ...


@runtime_checkable
class BlockRequester(Protocol):
    """A chat gateway that can ask a member of staff, privately, to block an account.

    Optional: without it the monitors send a plain `ChatGateway.direct_message`.
    """

    def ask_to_block(self, alert_id: int, user_id: str, text: Telling) -> None:
        """Direct message `text` to `user_id` with an "I have blocked them" button."""
