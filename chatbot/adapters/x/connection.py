"""One way to talk to X: the school account's tokens, tweepy's `Client` on a redirected session,
and the library loggers kept quiet. `XPublisher` and `XReader` both start here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from requests.auth import AuthBase

from chatbot.adapters.x import redirect
from chatbot.logs import quieten_payload_loggers
from chatbot.settings import X_API_DEFAULT, Settings


# These log whole requests and answers at DEBUG: headers (tokens), post text, followers' bios.
@dataclass(frozen=True, slots=True)
class Connection:
    """Where and as whom to reach X. `repr` hides the secrets (it may end up in a traceback)."""

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str
    bearer_token: str | None = None
    api_url: str = X_API_DEFAULT
    proxy_url: str | None = None
    timeout: float | tuple[float, float] = redirect.DEFAULT_TIMEOUT

    def __repr__(self) -> str:
        return f"Connection(api_url={self.api_url!r})"

    @classmethod
    def from_settings(cls, settings: Settings) -> Connection:
        if not settings.x_credentials_complete:
            raise ValueError("X credentials are incomplete (see `chatbot check-config`)")

        def secret(value: Any) -> str:
            return value.get_secret_value() if value is not None else ""

        return cls(
            consumer_key=secret(settings.x_api_key),
            consumer_secret=secret(settings.x_api_secret),
            access_token=secret(settings.x_access_token),
            access_token_secret=secret(settings.x_access_token_secret),
            bearer_token=secret(settings.x_bearer_token) or None,
            api_url=settings.x_api_url,
            proxy_url=settings.proxy_url,
        )

    def client(self) -> tuple[Any, AuthBase]:
        """tweepy's v2 `Client` (answers as dicts) whose every request goes to `api_url`, and
        the OAuth 1.0a signer for requests tweepy does not make itself (media upload)."""
        import tweepy

        quieten_payload_loggers()
        client = tweepy.Client(
            bearer_token=self.bearer_token,
            consumer_key=self.consumer_key,
            consumer_secret=self.consumer_secret,
            access_token=self.access_token,
            access_token_secret=self.access_token_secret,
            return_type=dict,
        )
        auth = tweepy.OAuth1UserHandler(
            self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret
        ).apply_auth()
        redirect.install(
            client.session,
            self.api_url,
            signer=auth,
            timeout=self.timeout,
            proxy_url=self.proxy_url,
        )
        return client, auth
