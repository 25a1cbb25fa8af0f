"""The `Publisher` port for X: tweepy's v2 `Client` with the school account's OAuth 1.0a user
context for posts, our media helper for photos, every request through the redirect adapter."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from chatbot.services.ports import PostRef, PublishError
from chatbot.settings import X_API_DEFAULT, Settings
from chatbot.x import redirect
from chatbot.x.errors import error_for_exception
from chatbot.x.media import MediaClient

# These libraries log whole requests at DEBUG: headers (tokens) and bodies (post text).
_CHATTY_LOGGERS = ("tweepy", "requests_oauthlib", "oauthlib", "urllib3")


def post_url(post_id: str) -> str:
    """A link to a post that works without knowing the account's handle."""
    return f"https://x.com/i/status/{post_id}"


def _quieten_libraries() -> None:
    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET too: the root may be lowered to DEBUG later
            logger.setLevel(logging.INFO)


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except PublishError:
        raise
    except Exception as exc:  # tweepy and requests errors alike
        raise error_for_exception(exc) from exc


class XPublisher:
    """Publishes to X. Every method raises `PublishError` (see `chatbot.x.errors` for kinds)."""

    is_dry_run = False

    def __init__(
        self,
        *,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_token_secret: str,
        api_url: str = X_API_DEFAULT,
        proxy_url: str | None = None,
        timeout: float | tuple[float, float] = redirect.DEFAULT_TIMEOUT,
    ) -> None:
        import tweepy

        _quieten_libraries()
        self._client: Any = tweepy.Client(
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            access_token=access_token,
            access_token_secret=access_token_secret,
            return_type=dict,
        )
        auth = tweepy.OAuth1UserHandler(
            consumer_key, consumer_secret, access_token, access_token_secret
        ).apply_auth()
        session = self._client.session
        redirect.install(session, api_url, signer=auth, timeout=timeout, proxy_url=proxy_url)
        self.media = MediaClient(session, auth)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> XPublisher:
        if not settings.x_credentials_complete:
            raise ValueError("X credentials are incomplete (see `chatbot check-config`)")
        secrets = [
            secret.get_secret_value() if secret is not None else ""
            for secret in (
                settings.x_api_key,
                settings.x_api_secret,
                settings.x_access_token,
                settings.x_access_token_secret,
            )
        ]
        return cls(
            consumer_key=secrets[0],
            consumer_secret=secrets[1],
            access_token=secrets[2],
            access_token_secret=secrets[3],
            api_url=settings.x_api_url,
            proxy_url=settings.proxy_url,
            **kwargs,
        )

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
