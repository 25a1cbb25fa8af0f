"""X API v2 media upload, which tweepy 4.17 lacks (it only knows the retired v1.1 upload).

Both calls go through tweepy's own session (so the base-URL adapter, timeouts and proxy apply)
and are signed with tweepy's OAuth 1.0a handler. The bodies carry only the fields in X's API
description: `POST /2/media/upload` takes `media` and `media_category` as multipart form data,
`POST /2/media/metadata` takes `{"id": ..., "metadata": {"alt_text": {"text": ...}}}`.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.auth import AuthBase

from chatbot.adapters.x.errors import error_for_exception, error_for_response

UPLOAD_PATH = "/2/media/upload"
METADATA_PATH = "/2/media/metadata"
ALT_TEXT_MAX = 1000  # X's limit (CreateMediaMetadataMetadataAltText.maxLength)
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class MediaClient:
    def __init__(
        self, session: requests.Session, auth: AuthBase, host: str = "https://api.x.com"
    ) -> None:
        self.session = session
        self.auth = auth
        self.host = host.rstrip("/")

    def upload_image(self, data: bytes, mime_type: str = "image/jpeg") -> str:
        """Upload one image for a post in a single request; returns X's media id."""
        filename = f"photo.{_EXTENSIONS.get(mime_type, 'jpg')}"
        body = self._post(
            UPLOAD_PATH,
            files={"media": (filename, data, mime_type)},
            data={"media_category": "tweet_image"},
        )
        media_id = (body.get("data") or {}).get("id")
        if not isinstance(media_id, str) or not media_id:
            raise error_for_exception(ValueError("X's upload answer carried no media id"))
        return media_id

    def set_alt_text(self, media_id: str, text: str) -> None:
        """Attach alt text (trimmed to X's limit) to an uploaded image, before it is posted."""
        payload = {"id": media_id, "metadata": {"alt_text": {"text": text[:ALT_TEXT_MAX]}}}
        self._post(METADATA_PATH, json=payload)

    def _post(self, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.post(self.host + path, auth=self.auth, **kwargs)
        except requests.RequestException as exc:
            raise error_for_exception(exc) from exc
        with response:
            if not 200 <= response.status_code < 300:
                raise error_for_response(response)
            try:
                body = response.json()
            except ValueError as exc:
                raise error_for_exception(exc) from exc
        return body if isinstance(body, dict) else {}
