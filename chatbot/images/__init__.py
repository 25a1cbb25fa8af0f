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

import functools
import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from chatbot.images.converting import draft_if_huge, encode, fit, orient, to_srgb
from chatbot.images.faces import count_faces
from chatbot.images.limits import (
    ACCEPTED_FORMATS,
    FACE_EDGE,
    JPEG_QUALITY,
    MAX_EDGE,
    MAX_HEADER_PIXELS,
    MAX_INPUT_BYTES,
    MAX_OUTPUT_BYTES,
    MAX_PIXELS,
    MetadataNotRemoved,
    PhotoRejected,
    PreparedPhoto,
)
from chatbot.images.metadata import verify_no_metadata
from chatbot.images.refusing import check_bytes, check_pixels, open_image, refuse_bad_pixels


def prepare(
    data: bytes, filename: str = "", *, max_edge: int = MAX_EDGE, max_bytes: int = MAX_OUTPUT_BYTES
) -> PreparedPhoto:
    """Turn an uploaded file into a clean image the network accepts, or raise PhotoRejected.

    `max_edge` and `max_bytes` are the network's (`NetworkLimits`); the defaults are X's, for
    callers without a publisher (the `chatbot check` command)."""
    check_bytes(data)
    im = open_image(data, filename)
    notes: list[str] = []
    # MPO (a JPEG with a depth map or second view) also has frames, but is not an animation.
    if im.format in ("GIF", "PNG", "WEBP") and getattr(im, "is_animated", False):
        notes.append("This is an animation: only its first frame will be posted, as a still.")
    with refuse_bad_pixels():
        draft_if_huge(im, max_edge)
        check_pixels(im.size)
        im.load()  # full decode now, so a truncated or corrupt file fails here, not later
    orient(im)
    face_count = count_faces(im)
    im = fit(im, max_edge)
    im = to_srgb(im)
    out, mime = encode(im, max_bytes)
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
    items: Sequence[tuple[bytes, str]],
    *,
    workers: int | None = None,
    max_edge: int = MAX_EDGE,
    max_bytes: int = MAX_OUTPUT_BYTES,
) -> list[PreparedPhoto | PhotoRejected]:
    """Prepare several photos in parallel; results keep the order of `items`.

    A refused photo is returned in its place as the PhotoRejected exception.
    """
    if workers is None:
        workers = _usable_cpus()
    workers = max(1, min(workers, len(items)))
    one = functools.partial(_prepare_or_reject, max_edge=max_edge, max_bytes=max_bytes)
    if workers == 1:
        return [one(data, name) for data, name in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="photo") as pool:
        return list(pool.map(lambda item: one(*item), items))


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


def _prepare_or_reject(
    data: bytes, filename: str, *, max_edge: int, max_bytes: int
) -> PreparedPhoto | PhotoRejected:
    try:
        return prepare(data, filename, max_edge=max_edge, max_bytes=max_bytes)
    except PhotoRejected as exc:
        return exc


__all__ = [
    "ACCEPTED_FORMATS",
    "FACE_EDGE",
    "JPEG_QUALITY",
    "MAX_EDGE",
    "MAX_HEADER_PIXELS",
    "MAX_INPUT_BYTES",
    "MAX_OUTPUT_BYTES",
    "MAX_PIXELS",
    "MetadataNotRemoved",
    "PhotoRejected",
    "PreparedPhoto",
    "count_faces",
    "verify_no_metadata",
]
