"""Photo thumbnails for the approval card, as `data:` URIs.

Why a data URI and not a link: Teams fetches an image URL from its own servers, so a link would
have to be a public address serving pupils' photos without sign-in, and a school's bot usually
has no such address. A data URI keeps the photo inside the card, inside the tenant. Its cost is
the 28 KB a Teams message may weigh: each thumbnail is held to `BUDGET` characters, so four of
them and the rest of the card fit. The thumbnail is made from the prepared photo (already
stripped of metadata) and re-encoded, so nothing but pixels goes into the card.
"""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageOps

BUDGET = 4_500  # characters of data URI per photo; 4 photos leave ~10 KB for the rest
_SIDES = (200, 160, 128, 96, 72)
_QUALITIES = (70, 55, 40)


def thumbnail_uri(data: bytes, *, budget: int = BUDGET) -> str | None:
    """A small JPEG of the photo as a data URI within `budget`, or None if it cannot be read."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            image = ImageOps.exif_transpose(source).convert("RGB")
    except Exception:  # an unreadable photo gets no thumbnail; the card says so
        return None
    for side in _SIDES:
        small = image.copy()
        small.thumbnail((side, side))
        for quality in _QUALITIES:
            out = io.BytesIO()
            small.save(out, format="JPEG", quality=quality, optimize=True)
            uri = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
            if len(uri) <= budget:
                return uri
    return None
