"""The `Publisher` port for X: tweepy's v2 `Client` with the school account's OAuth 1.0a user
context for posts, our media helper for photos, every request through the redirect adapter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from chatbot.adapters.x import LIMITS, NETWORK
from chatbot.adapters.x.connection import Connection
from chatbot.adapters.x.errors import error_for_exception
from chatbot.adapters.x.media import MediaClient
from chatbot.services.ports import PostRef, PublishError
from chatbot.settings import Settings


def post_url(post_id: str) -> str:
    """A link to a post that works without knowing the account's handle."""
    return f"https://x.com/i/status/{post_id}"


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except PublishError:
        raise
    except Exception as exc:  # tweepy and requests errors alike
        raise error_for_exception(exc) from exc


class XPublisher:
    """Publishes to X. Every method raises `PublishError` (kinds: `chatbot.adapters.x.errors`)."""

    is_dry_run = False
    network = NETWORK
    limits = LIMITS

    def __init__(self, connection: Connection) -> None:
        self._client, auth = connection.client()
        self.media = MediaClient(self._client.session, auth)

    @classmethod
    def from_settings(cls, settings: Settings) -> XPublisher:
        return cls(Connection.from_settings(settings))

    def upload_photo(self, data: bytes, mime_type: str) -> str:
        return self.media.upload_image(data, mime_type or "image/jpeg")

    def set_alt_text(self, media_id: str, text: str) -> None:
        self.media.set_alt_text(media_id, text)

    def create_post(self, text: str, media_ids: Sequence[str] = ()) -> PostRef:
        with _translated():
            body = self._client.create_tweet(
                text=text, media_ids=list(media_ids) or None, user_auth=True
            )
        post_id = str((body.get("data") or {}).get("id") or "")
        if not post_id:
            raise error_for_exception(ValueError("X's answer carried no post id"))
        return PostRef(id=post_id, url=post_url(post_id))

    def delete_post(self, post_id: str) -> None:
        """Delete one of the account's posts; a post that is already gone counts as deleted."""
        import tweepy

        try:
            with _translated():
                self._client.delete_tweet(post_id, user_auth=True)
        except PublishError as exc:
            if isinstance(exc.__cause__, tweepy.errors.NotFound):
                return
            raise

    def whoami(self) -> str:
        """The account's @handle, from `GET /2/users/me`: proves the four tokens work."""
        with _translated():
            body = self._client.get_me(user_auth=True)
        return str((body.get("data") or {}).get("username") or "")
