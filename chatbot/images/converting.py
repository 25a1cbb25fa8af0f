"""Decoding and converting: orientation, size, colour profile, and the encoded file."""

import io
import math
import struct
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageCms, ImageOps

from chatbot.images.limits import JPEG_QUALITY, MAX_EDGE, MAX_OUTPUT_BYTES, PhotoRejected

if TYPE_CHECKING:
    pass


def draft_if_huge(im: Image.Image, max_edge: int = MAX_EDGE) -> None:
    """Let libjpeg decode a huge JPEG at 1/2, 1/4 or 1/8 scale, never below what we post."""
    if im.format not in ("JPEG", "MPO") or max(im.size) < 2 * max_edge:
        return
    scale = max_edge / max(im.size)
    im.draft(im.mode, (math.ceil(im.width * scale), math.ceil(im.height * scale)))


def orient(im: Image.Image) -> None:
    """Turn the pixels the way the camera says they should stand (EXIF orientation)."""
    # Unreadable EXIF: post the photo as stored (the EXIF itself is dropped anyway).
    with suppress(OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        ImageOps.exif_transpose(im, in_place=True)


def fit(im: Image.Image, max_edge: int = MAX_EDGE) -> Image.Image:
    if max(im.size) <= max_edge:
        return im
    scale = max_edge / max(im.size)
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    # reducing_gap: a fast box reduce first, then Lanczos; visually the same as Lanczos alone
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert to sRGB (or grey) pixels with no profile, alpha kept when it is really used."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 256).convert("L")  # 16-bit grey: keep the tones, not clip
        icc = None
    alpha = _has_alpha(im)
    target = "RGBA" if alpha else ("L" if im.mode in ("L", "1") else "RGB")
    if icc:
        converted = _convert_profile(im, icc, target)
        if converted is not None:
            return converted
    return im if im.mode == target else im.convert(target)


def _convert_profile(im: Image.Image, icc: bytes, target: str) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).lower():
            return None  # already sRGB: dropping the tag changes nothing
        if im.mode not in ("RGB", "RGBA", "CMYK", "L"):
            im = im.convert("RGBA" if target == "RGBA" else "RGB")
        out_mode = "RGBA" if target == "RGBA" else "RGB"
        srgb = ImageCms.createProfile("sRGB")
        result = ImageCms.profileToProfile(im, source, srgb, outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None  # a broken profile: plain conversion is the best we can do
    return result


def _has_alpha(im: Image.Image) -> bool:
    if im.mode in ("RGBA", "LA", "RGBa", "La", "PA"):
        extrema = im.getchannel("A").getextrema()
        return bool(extrema[0] < 255)  # type: ignore[operator]
    if "transparency" in im.info:
        return _has_alpha(im.convert("RGBA"))
    return False


def encode(im: Image.Image, max_bytes: int = MAX_OUTPUT_BYTES) -> tuple[bytes, str]:
    im.info = {}  # nothing from the source may ride along (Pillow re-uses icc, comment, exif)
    if im.mode == "RGBA":
        png = _save(im, "PNG")
        if len(png) < max_bytes:
            return png, "image/png"
        im = flatten(im)
    quality = JPEG_QUALITY
    for _ in range(8):
        out = _save(im, "JPEG", quality=quality)
        if len(out) < max_bytes:
            return out, "image/jpeg"
        if quality > 75:
            quality = 75  # a little less quality is invisible on a phone screen; try that first
            continue
        # Then shrink: JPEG size grows about with the pixel count, so aim just under the limit.
        scale = min(0.9, math.sqrt(max_bytes / len(out)) * 0.95)
        size = (max(1, int(im.width * scale)), max(1, int(im.height * scale)))
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    raise PhotoRejected(
        "This image has too much fine detail to fit X's 5 MB limit: "
        "crop or resize it and attach it again."
    )


def flatten(im: Image.Image) -> Image.Image:
    white = Image.new("RGB", im.size, (255, 255, 255))
    white.paste(im, mask=im.getchannel("A"))
    return white


def _save(im: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()
