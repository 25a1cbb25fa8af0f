"""Refusing early: what is not a photo, too big, or damaged, told in a teacher's words."""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PIL import Image, ImageFile, UnidentifiedImageError

from chatbot.images.limits import (
    ACCEPTED_FORMATS,
    HEIF_BRANDS,
    MAX_HEADER_PIXELS,
    MAX_INPUT_BYTES,
    MAX_PIXELS,
    PhotoRejected,
)

if TYPE_CHECKING:
    pass


def check_bytes(data: bytes) -> None:
    if not data:
        raise PhotoRejected("This file is empty (0 bytes): attach the photo again.")
    if len(data) > MAX_INPUT_BYTES:
        raise PhotoRejected(
            f"This file is {len(data) / 1_048_576:.0f} MB, over the "
            f"{MAX_INPUT_BYTES // 1_048_576} MB limit for photos: save or export it smaller "
            "(for example as a JPEG) and attach it again."
        )


def open_image(data: bytes, filename: str) -> Image.Image:
    """Read the header only: format and size, no pixels yet."""
    formats: tuple[str, ...] = ACCEPTED_FORMATS
    if _is_heif(data):
        _register_heif()
        formats = ("HEIF",)
    try:
        # Only the formats we accept: Pillow's other, rarer decoders are never reached.
        im: Image.Image = Image.open(io.BytesIO(data), formats=formats)
    except UnidentifiedImageError:
        raise PhotoRejected(_not_an_image(data, filename)) from None
    except Image.DecompressionBombError:
        raise PhotoRejected(_too_many_pixels_message(None)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoRejected(_DAMAGED) from exc
    check_pixels(im.size, limit=MAX_HEADER_PIXELS if im.format in ("JPEG", "MPO") else None)
    return im


def check_pixels(size: tuple[int, int], limit: int | None = None) -> None:
    width, height = size
    if width * height > (limit or MAX_PIXELS):
        raise PhotoRejected(_too_many_pixels_message(size))


def _too_many_pixels_message(size: tuple[int, int] | None) -> str:
    claimed = f" ({size[0]} × {size[1]} pixels)" if size else ""
    return (
        f"This image is far too large{claimed}: the limit is "
        f"{MAX_PIXELS // 1_000_000} megapixels. Resize it and attach it again."
    )


_DAMAGED = (
    "This photo is damaged or incomplete (perhaps it did not finish uploading or copying): "
    "attach it again, or export a fresh copy."
)


@contextmanager
def refuse_bad_pixels() -> Iterator[None]:
    """Decoder errors on a file whose header looked fine mean a damaged or hostile file."""
    # LOAD_TRUNCATED_IMAGES would silently fill a truncated photo with grey: never post that.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        yield
    except Image.DecompressionBombError:
        raise PhotoRejected(_too_many_pixels_message(None)) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise PhotoRejected(_DAMAGED) from exc


def _not_an_image(data: bytes, filename: str) -> str:
    head = data[:64]
    name = filename.lower()
    if _is_heif(data):
        return (
            "This HEIC photo could not be read (some iPhone formats are not supported): "
            "set the camera to Most Compatible or share the photo as a JPEG, and attach it again."
        )
    other_image = _other_image_format(head)
    if other_image:
        return (
            f"This file is {other_image} image, which the bot does not take: "
            "save it as a JPEG or PNG and attach it again."
        )
    if head.startswith(b"%PDF") or name.endswith(".pdf"):
        kind = "a PDF"
    elif head[4:8] == b"ftyp" or head.startswith(b"\x1aE\xdf\xa3") or name.endswith(_VIDEO_EXT):
        kind = "a video"  # MP4 and QuickTime start with an ftyp box; WebM/MKV with EBML
    elif head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        kind = "a document (Word, PowerPoint or similar)"
    elif _looks_like_text(data[:4096]):
        kind = "text"
    else:
        return "This file is not a photo the bot can read: attach a JPEG, PNG, HEIC, WebP or GIF."
    return f"This file is {kind}, not a photo: attach a JPEG or PNG."


def _other_image_format(head: bytes) -> str | None:
    """Image formats we deliberately do not decode (rare on phones, large attack surface)."""
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "an AVIF"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF"  # also most camera RAW files
    if head.startswith(b"BM"):
        return "a BMP"
    if head.startswith(b"8BPS"):
        return "a Photoshop"
    return None


_VIDEO_EXT = (".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv", ".3gp")


def _looks_like_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _is_heif(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS


_heif_lock = threading.Lock()
_heif_registered = False


def _register_heif() -> None:
    """Teach Pillow HEIC only when one arrives: pillow-heif costs ~30 ms to import."""
    global _heif_registered  # noqa: PLW0603 - a once-only flag
    with _heif_lock:
        if not _heif_registered:
            import pillow_heif

            pillow_heif.register_heif_opener()
            _heif_registered = True
