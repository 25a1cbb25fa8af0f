"""Redirects and a bearer token: urllib copies every header, Authorization included, to wherever
a redirect points, so each adapter that downloads with a token uses this guard."""

from __future__ import annotations

import urllib.request
from http.client import HTTPMessage
from typing import IO
from urllib.parse import urlsplit


class TokenStaysOnHost(urllib.request.HTTPRedirectHandler):
    """Follow a redirect, but send the token only to the host it was meant for."""

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).hostname != urlsplit(req.full_url).hostname:
            new.remove_header("Authorization")
        return new


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the 3xx comes back as an HTTPError, and the token never follows it."""

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None
