"""The photos of a draft arriving from chat: judged, downloaded, prepared and stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chatbot import images
from chatbot.adapters.db.intake import purge_photo_data, replace_photos
from chatbot.adapters.db.models import Draft, Photo
from chatbot.services.ports import ChatFile, DraftChat, FileUnavailable, MessageRefs

MAX_FILE_BYTES = 15 * 1024 * 1024  # a phone photo is 2-8 MB; larger is a scan or a RAW file
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif"}
)


@dataclass(slots=True)
class PreparedFile:
    file: ChatFile
    photo: images.PreparedPhoto | None = None
    problem: str | None = None


def _describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _unusable(file: ChatFile, network: str) -> str | None:
    """Why a file cannot go on a post on `network` (its name), judged from its description."""
    name = file.name or "a file"
    kind = file.mimetype.split("/")[0] if file.mimetype else ""
    if kind == "video":
        return f"{name} is a video: the bot can only post photos. Share a photo instead."
    if file.mimetype and file.mimetype not in IMAGE_TYPES:
        if file.mimetype == "application/pdf":
            what = "a PDF"
        elif kind == "image":
            what = f"an image in a format {network} does not take ({file.mimetype})"
        else:
            what = f"not a photo ({file.mimetype})"
        return f"{name} is {what}. Only photos (JPEG, PNG, HEIC, WebP, GIF) can go on a post."
    if file.size is not None and file.size > MAX_FILE_BYTES:
        return (
            f"{name} is too large ({_describe_size(file.size)}); the limit is "
            f"{_describe_size(MAX_FILE_BYTES)}. Share a smaller copy of the photo."
        )
    return None


def prepare_files(chat: DraftChat, files: Sequence[ChatFile]) -> list[PreparedFile]:
    """Download and prepare each file; problems are recorded, never raised."""
    out = [PreparedFile(f) for f in files]
    limits = chat.limits
    if len(files) > limits.max_photos:
        return out  # the photo-count finding says it all; no point downloading ten photos
    downloaded: list[tuple[PreparedFile, bytes]] = []
    for item in out:
        item.problem = _unusable(item.file, limits.name)
        if item.problem:
            continue
        try:
            downloaded.append((item, chat.fetch_file(item.file, MAX_FILE_BYTES)))
        except FileUnavailable as exc:
            item.problem = str(exc)
    results = images.prepare_many(
        [(data, item.file.name) for item, data in downloaded],
        max_edge=limits.max_photo_edge,
        max_bytes=limits.max_photo_bytes,
    )
    for (item, _data), result in zip(downloaded, results, strict=True):
        if isinstance(result, images.PhotoRejected):
            item.problem = f"{item.file.name or 'A photo'}: {result}"
        else:
            item.photo = result
    return out


def _photo_row(position: int, item: PreparedFile) -> Photo:
    photo = item.photo
    return Photo(
        position=position,
        filename=item.file.name[:255],
        mime_type=photo.mime_type if photo else (item.file.mimetype or None),
        data=photo.data if photo else None,
        sha256=photo.sha256 if photo else None,
        width=photo.width if photo else None,
        height=photo.height if photo else None,
        face_count=photo.face_count if photo else None,
        problem=item.problem,
    )


def store_photos(
    session: Session, refs: MessageRefs, draft: Draft, prepared: Sequence[PreparedFile]
) -> None:
    replace_photos(session, draft, [_photo_row(i, item) for i, item in enumerate(prepared)])
    refs.link_files(
        session, [(p.id, item.file.id) for p, item in zip(draft.photos, prepared, strict=True)]
    )


def photo_notices(prepared: Sequence[PreparedFile], max_photos: int) -> list[str]:
    if len(prepared) > max_photos:
        return [
            f"You shared {len(prepared)} files; a post can carry at most {max_photos} photos. "
            "Post the draft again with four photos or fewer."
        ]
    return [item.problem for item in prepared if item.problem]


def drop_photos(session: Session, draft_id: int) -> None:
    """Delete one draft's image data now (it was withdrawn); the rows stay for the audit."""
    purge_photo_data(session, draft_id)
