"""Verification: a prepared file holds nothing but pixels."""

import io
from typing import TYPE_CHECKING

from PIL import Image

from chatbot.images.limits import JPEG_INFO_KEYS, PNG_CHUNKS, MetadataNotRemoved

if TYPE_CHECKING:
    pass


def verify_no_metadata(data: bytes) -> tuple[int, int]:
    """Re-read a prepared file; raise MetadataNotRemoved if anything but pixels is in it.

    Returns the image's (width, height).
    """
    problem, size = _metadata_problem(data)
    if problem:
        raise MetadataNotRemoved(
            "The bot could not remove hidden details (such as where the photo was taken) "
            f"from this photo ({problem}), so it will not post it: take a screenshot of the "
            "photo and attach that instead."
        )
    return size


def _metadata_problem(data: bytes) -> tuple[str | None, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as im:
        size = im.size
        if len(im.getexif()):
            return "EXIF", size
        if im.format == "JPEG":
            extra = {str(key) for key in im.info} - JPEG_INFO_KEYS
            markers: set[str] = {marker for marker, _ in getattr(im, "applist", [])}
            extra |= markers - {"APP0"}
            return (", ".join(sorted(extra)) or None), size
        if im.format == "PNG":
            return _png_problem(data), size
        return f"unexpected format {im.format}", size


def _png_problem(data: bytes) -> str | None:
    """Walk the chunks: only pixel data and transparency may be present (no text, eXIf, iTXt)."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind not in PNG_CHUNKS:
            return f"PNG {kind.decode('latin-1')} chunk"
        pos += 12 + length
    return None
