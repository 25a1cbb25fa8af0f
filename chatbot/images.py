"""STUB: replaced by the photo-preparation work. The signatures below are the contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    data: bytes  # metadata-free, oriented, within X's limits
    mime_type: str  # image/jpeg or image/png
    width: int
    height: int
    face_count: int
    sha256: str


class PhotoRejected(Exception):
    """Not a usable image; str(exc) is a message a teacher understands (rule photo-format)."""


def prepare(data: bytes, filename: str = "") -> PreparedPhoto:
    raise PhotoRejected("photo preparation is not built yet")


def prepare_many(items: Sequence[tuple[bytes, str]]) -> list[PreparedPhoto | PhotoRejected]:
    out: list[PreparedPhoto | PhotoRejected] = []
    for data, name in items:
        try:
            out.append(prepare(data, name))
        except PhotoRejected as exc:
            out.append(exc)
    return out
