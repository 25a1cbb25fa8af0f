"""Photo preparation: decode, orient, strip metadata, fit X's limits, count faces.

Every photo that leaves the bot goes through `prepare`. Anything that is not a usable image is
refused as `PhotoRejected` (the `photo-format` rule) with a message a teacher can act on. Faces
are only counted, to ask "who is in this photo?"; nobody is recognised.

Decisions worth knowing:

- Colour profiles: a photo with a non-sRGB profile (iPhones shoot Display P3, print files are
  CMYK) is converted to sRGB and the profile is then dropped. sRGB is what browsers assume for
  untagged images, so colours stay right, and the output carries no metadata of any kind, which
  makes "nothing but pixels" easy to verify.
- Output: JPEG (quality 85) for everything except images that really use transparency, which stay
  PNG when that fits X's 5 MB limit and are otherwise flattened onto white.
- Pillow and OpenCV release the GIL while decoding, resizing, encoding and detecting, so
  `prepare_many` uses threads, not processes: no start-up or pickling cost (measured in
  benchmarks/bench_photos.py).
- OpenCV is imported only when a face count is needed: `chatbot check` on text alone stays light.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import queue
import struct
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAX_INPUT_BYTES = 50 * 1024 * 1024  # bigger than any phone photo; refused before decoding
MAX_OUTPUT_BYTES = 5_000_000  # X's image limit is 5 MB; stay under it however MB is counted
MAX_EDGE = 4096  # long edge of the posted image: X's largest size ("4096x4096")
# Pixels we are willing to decode (about 300 MB as RGB). JPEGs are decoded at 1/2..1/8 scale
# when they are much bigger than MAX_EDGE, so their header may claim up to MAX_HEADER_PIXELS
# (a 200-megapixel phone photo) and still decode within MAX_PIXELS.
MAX_PIXELS = 100_000_000
MAX_HEADER_PIXELS = 250_000_000
FACE_EDGE = 800  # long edge of the grey copy the face detector sees
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # and HEIF, once pillow-heif is registered

# Pillow's own bomb guard agrees with ours: it warns above this and raises above twice this, at
# open time, before any pixel is decoded. Our explicit checks below refuse everything above it.
Image.MAX_IMAGE_PIXELS = MAX_HEADER_PIXELS

_FACE_CASCADE = "haarcascade_frontalface_alt2.xml"  # found all four fixture faces; default missed
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_JPEG_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
_JPEG_INFO_KEYS |= {"progressive", "progression"}
_PNG_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    data: bytes  # metadata-free, oriented, within X's limits
    mime_type: str  # image/jpeg or image/png
    width: int
    height: int
    face_count: int
    sha256: str
    notes: tuple[str, ...] = ()  # things a teacher should know, e.g. an animation became a still


class PhotoRejected(Exception):
    """Not a usable image; str(exc) is a message a teacher understands (rule photo-format)."""


class MetadataNotRemoved(PhotoRejected):
    """The prepared file still carried metadata: never upload it."""


def prepare(data: bytes, filename: str = "") -> PreparedPhoto:
    """Turn an uploaded file into a clean image X accepts, or raise PhotoRejected."""
    _check_bytes(data)
    im = _open(data, filename)
    notes: list[str] = []
    # MPO (a JPEG with a depth map or second view) also has frames, but is not an animation.
    if im.format in ("GIF", "PNG", "WEBP") and getattr(im, "is_animated", False):
        notes.append("This is an animation: only its first frame will be posted, as a still.")
    with _refuse_bad_pixels():
        _draft_if_huge(im)
        _check_pixels(im.size)
        im.load()  # full decode now, so a truncated or corrupt file fails here, not later
    _orient(im)
    face_count = count_faces(im)
    im = _fit(im)
    im = _to_srgb(im)
    out, mime = _encode(im)
    width, height = verify_no_metadata(out)
    return PreparedPhoto(
        data=out,
        mime_type=mime,
        width=width,
        height=height,
        face_count=face_count,
        sha256=hashlib.sha256(out).hexdigest(),
        notes=tuple(notes),
    )


def prepare_many(
    items: Sequence[tuple[bytes, str]], *, workers: int | None = None
) -> list[PreparedPhoto | PhotoRejected]:
    """Prepare several photos in parallel; results keep the order of `items`.

    A refused photo is returned in its place as the PhotoRejected exception.
    """
    if workers is None:
        workers = _usable_cpus()
    workers = max(1, min(workers, len(items)))
    if workers == 1:
        return [_prepare_or_reject(data, name) for data, name in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photo") as pool:
        return list(pool.map(lambda item: _prepare_or_reject(*item), items))


def prepare_many_in_background(
    items: Sequence[tuple[bytes, str]], *, workers: int | None = None
) -> Future[list[PreparedPhoto | PhotoRejected]]:
    """Start `prepare_many` on a background thread and return at once.

    The photos take most of a check's time and leave the GIL free, so a caller can load the
    policy and check the text meanwhile, then wait on `.result()`.
    """
    starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="photos")
    future = starter.submit(prepare_many, list(items), workers=workers)
    starter.shutdown(wait=False)  # the thread ends once the photos are done
    return future


def _usable_cpus() -> int:
    """CPUs this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _prepare_or_reject(data: bytes, filename: str) -> PreparedPhoto | PhotoRejected:
    try:
        return prepare(data, filename)
    except PhotoRejected as exc:
        return exc


# --- refusing early ---------------------------------------------------------------------------


def _check_bytes(data: bytes) -> None:
    if not data:
        raise PhotoRejected("This file is empty (0 bytes): attach the photo again.")
    if len(data) > MAX_INPUT_BYTES:
        raise PhotoRejected(
            f"This file is {len(data) / 1_048_576:.0f} MB, over the "
            f"{MAX_INPUT_BYTES // 1_048_576} MB limit for photos: save or export it smaller "
            "(for example as a JPEG) and attach it again."
        )


def _open(data: bytes, filename: str) -> Image.Image:
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
    _check_pixels(im.size, limit=MAX_HEADER_PIXELS if im.format in ("JPEG", "MPO") else None)
    return im


def _check_pixels(size: tuple[int, int], limit: int | None = None) -> None:
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
def _refuse_bad_pixels() -> Iterator[None]:
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
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


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


# --- decoding and converting ------------------------------------------------------------------


def _draft_if_huge(im: Image.Image) -> None:
    """Let libjpeg decode a huge JPEG at 1/2, 1/4 or 1/8 scale, never below what we post."""
    if im.format not in ("JPEG", "MPO") or max(im.size) < 2 * MAX_EDGE:
        return
    scale = MAX_EDGE / max(im.size)
    im.draft(im.mode, (math.ceil(im.width * scale), math.ceil(im.height * scale)))


def _orient(im: Image.Image) -> None:
    """Turn the pixels the way the camera says they should stand (EXIF orientation)."""
    # Unreadable EXIF: post the photo as stored (the EXIF itself is dropped anyway).
    with suppress(OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        ImageOps.exif_transpose(im, in_place=True)


def _fit(im: Image.Image) -> Image.Image:
    if max(im.size) <= MAX_EDGE:
        return im
    scale = MAX_EDGE / max(im.size)
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    # reducing_gap: a fast box reduce first, then Lanczos; visually the same as Lanczos alone
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _to_srgb(im: Image.Image) -> Image.Image:
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


def _encode(im: Image.Image) -> tuple[bytes, str]:
    im.info = {}  # nothing from the source may ride along (Pillow re-uses icc, comment, exif)
    if im.mode == "RGBA":
        png = _save(im, "PNG")
        if len(png) < MAX_OUTPUT_BYTES:
            return png, "image/png"
        im = _flatten(im)
    quality = JPEG_QUALITY
    for _ in range(8):
        out = _save(im, "JPEG", quality=quality)
        if len(out) < MAX_OUTPUT_BYTES:
            return out, "image/jpeg"
        if quality > 75:
            quality = 75  # a little less quality is invisible on a phone screen; try that first
            continue
        # Then shrink: JPEG size grows about with the pixel count, so aim just under the limit.
        scale = min(0.9, math.sqrt(MAX_OUTPUT_BYTES / len(out)) * 0.95)
        size = (max(1, int(im.width * scale)), max(1, int(im.height * scale)))
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    raise PhotoRejected(
        "This image has too much fine detail to fit X's 5 MB limit: "
        "crop or resize it and attach it again."
    )


def _flatten(im: Image.Image) -> Image.Image:
    white = Image.new("RGB", im.size, (255, 255, 255))
    white.paste(im, mask=im.getchannel("A"))
    return white


def _save(im: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


# --- verification -----------------------------------------------------------------------------


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
            extra = {str(key) for key in im.info} - _JPEG_INFO_KEYS
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
        if kind not in _PNG_CHUNKS:
            return f"PNG {kind.decode('latin-1')} chunk"
        pos += 12 + length
    return None


# --- faces ------------------------------------------------------------------------------------


_CV2_LOCK = threading.Lock()


def _cv2() -> Any:
    """OpenCV, imported under a lock: its loader rearranges sys.modules as it runs, so a second
    thread importing at the same moment can get a half-made module (no `cv2.data`)."""
    with _CV2_LOCK:
        import cv2
    return cv2


def count_faces(im: Image.Image) -> int:
    """How many frontal faces are in an (oriented) image. Counting only: no recognition."""
    import numpy as np

    cv2 = _cv2()

    grey = _face_copy(im)
    pixels: npt.NDArray[np.uint8] = np.asarray(grey)
    with _cascade() as cascade:
        faces = cascade.detectMultiScale(
            cv2.equalizeHist(pixels), scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
        )
    return len(faces)


def _face_copy(im: Image.Image) -> Image.Image:
    """A grey copy with a long edge of at most FACE_EDGE, made from the decoded pixels."""
    factor = math.ceil(max(im.size) / FACE_EDGE)
    small = im.reduce(factor) if factor > 1 else im  # box average: fast and good enough
    if small.mode in ("RGBA", "LA", "PA", "P") or "transparency" in small.info:
        small = _flatten(small.convert("RGBA"))
    return small.convert("L")


# CascadeClassifier keeps per-call state inside, so one instance must not serve two threads at
# once. Each is loaded once and then lent out; at most one per concurrent caller is ever made.
_cascades: queue.SimpleQueue[Any] = queue.SimpleQueue()


@contextmanager
def _cascade() -> Iterator[Any]:
    try:
        cascade = _cascades.get_nowait()
    except queue.Empty:
        cv2 = _cv2()
        folder = cv2.data.haarcascades
        cascade = cv2.CascadeClassifier(os.path.join(folder, _FACE_CASCADE))
        if cascade.empty():
            raise RuntimeError(f"OpenCV's {_FACE_CASCADE} did not load") from None
    try:
        yield cascade
    finally:
        _cascades.put(cascade)
