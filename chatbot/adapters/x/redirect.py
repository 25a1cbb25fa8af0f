"""Send every X request to one base URL (`CHATBOT_X_API_URL`), with timeouts and re-signing.

tweepy hard-codes ``api.twitter.com`` (and tweepy's v1.1 API ``upload.twitter.com``); our media
helper uses ``api.x.com``. A transport adapter mounted on the session sees every request after
tweepy has built it, so it is the one place that can point them all somewhere else: at X's
current host in production, at a local fake X server in the tests, or at a school's gateway.

OAuth 1.0a signs the scheme, host and path, so a request whose URL changes here is signed again
for the URL it is really sent to; otherwise X would refuse it with 401.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

# Every host tweepy 4.17 and our media helper talk to.
X_HOSTS = frozenset({"api.twitter.com", "api.x.com", "upload.twitter.com", "upload.x.com"})

# (connect, read) seconds: tweepy passes no timeout, and a hung call must not hold a lease.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)


def rewrite_url(url: str, base_url: str) -> str:
    """`url` moved onto `base_url` (scheme, host and any path prefix), keeping path and query.

    URLs for other hosts are returned unchanged.
    """
    parts = urlsplit(url)
    if parts.hostname not in X_HOSTS:
        return url
    base = urlsplit(base_url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


class RedirectAdapter(HTTPAdapter):
    """Rewrites X URLs to `base_url`, re-signs OAuth 1.0a requests, and applies a timeout."""

    def __init__(
        self,
        base_url: str,
        *,
        signer: AuthBase | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.signer = signer
        self.timeout = timeout

    def send(  # noqa: PLR0917 - requests' signature
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        new_url = rewrite_url(url, self.base_url)
        if new_url != url:
            request.url = new_url
            authorization = request.headers.get("Authorization", "")
            if isinstance(authorization, bytes):  # tweepy's OAuth1 handler signs with bytes
                authorization = authorization.decode("latin-1")
            if self.signer is not None and authorization.startswith("OAuth "):
                # oauthlib would fold the old header's parameters into the new signature.
                del request.headers["Authorization"]
                self.signer(request)
        return super().send(
            request,
            stream=stream,
            timeout=self.timeout if timeout is None else timeout,
            verify=verify,
            cert=cert,
            proxies=proxies,
        )


def install(
    session: requests.Session,
    base_url: str,
    *,
    signer: AuthBase | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    proxy_url: str | None = None,
) -> RedirectAdapter:
    """Mount the adapter for every http(s) URL on `session`; set the outbound proxy if any."""
    adapter = RedirectAdapter(base_url, signer=signer, timeout=timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    if proxy_url:
        session.proxies.update({"http": proxy_url, "https": proxy_url})
    return adapter
