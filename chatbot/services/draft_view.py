"""A draft as people see it (approval card, thread replies): read from the store in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.publishing import (
    find_draft,
    open_publish_progress,
    pupils_by_id,
    year_groups_of,
)
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Verdict
from chatbot.domain.networks import NetworkLimits
from chatbot.domain.pupils import Pupil
from chatbot.services.checking import may_override, post_day, stored_verdict
from chatbot.services.name_questions import ClearedName, cleared_names
from chatbot.services.registers import on_register_in, twitter_consent


@dataclass(frozen=True, slots=True)
class PhotoView:
    position: int
    filename: str
    alt_text: str
    problem: str | None
    usable: bool  # prepared and still stored
    # The chat platform's name for the file: the core leaves it None, the chat adapter fills
    # it in from its own table when it needs to show the photo.
    file_id: str | None = None


@dataclass(frozen=True, slots=True)
class PupilView:
    label: str  # "First Last (Year 4)"
    consent: bool


@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    state: DraftState
    author_id: str
    text: str
    photos: tuple[PhotoView, ...]
    declared: bool
    no_pupils: bool
    photo_source: str | None
    pictured: tuple[PupilView, ...]
    verdict: Verdict
    weighted_length: int
    has_link: bool
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    not_before: datetime | None
    post_url: str | None
    post_id: str | None = None
    # The network's limit, in `weighted_length`'s count (from the publisher's `NetworkLimits`).
    max_length: int = field(kw_only=True)
    max_photos: int = field(kw_only=True)  # the network's, from the publisher's too
    # Names the author or SLT said are someone else, with who said so, for SLT to see.
    cleared: tuple[ClearedName, ...] = ()
    # A post was sent to the network for this draft without an answer (a 503, a timeout, a
    # crash), and the draft waits to be tried again: it may already be live.
    post_unconfirmed: bool = False

    @property
    def too_long(self) -> bool:
        return self.weighted_length > self.max_length

    @property
    def overridable(self) -> bool:
        """Whether SLT may approve it despite the checks (the card offers Override only then)."""
        return may_override(self.verdict)


def weighted_length(text: str, limit: int) -> int:
    """The network's count: URLs 23, emoji and CJK 2, everything else 1.

    The policy's counting, not twitter-text's own parser: that one takes minutes on some texts
    (a long "s.s.s…"), which would stall the listener drawing the card.
    """
    from chatbot.policy.rules.length import weighted_length as count

    return count(text, limit)[0] if text else 0


def has_link(text: str) -> bool:
    from chatbot.policy.text import find_urls

    return bool(text) and bool(find_urls(text))


def load_view(
    session: Session, draft_id: int, now: datetime | None = None, *, limits: NetworkLimits
) -> DraftView | None:
    """The draft as people see it, measured against the network's `limits`."""
    draft = find_draft(session, draft_id)
    if draft is None:
        return None
    now = now or utcnow()
    day = post_day(draft, now)
    pictured = _pictured(session, [p.pupil_id for p in draft.pictured], day)
    if draft.unregistered_pictured:
        pictured.append(PupilView(UNREGISTERED_VIEW, False))
    post = draft.posts[0] if draft.posts else None  # one network today
    return DraftView(
        id=draft.id,
        state=DraftState(draft.state),
        author_id=draft.author_id,
        text=draft.text,
        photos=tuple(
            PhotoView(
                position=p.position,
                filename=p.filename,
                alt_text=p.alt_text or "",
                problem=p.problem,
                usable=p.data is not None,
            )
            for p in draft.photos
        ),
        declared=draft.declared,
        no_pupils=draft.no_pupils,
        photo_source=draft.photo_source,
        pictured=tuple(pictured),
        verdict=stored_verdict(draft),
        weighted_length=weighted_length(draft.text, limits.max_length),
        max_length=limits.max_length,
        max_photos=limits.max_photos,
        has_link=has_link(draft.text),
        created_at=draft.created_at,
        decided_by=draft.decided_by,
        decided_at=draft.decided_at,
        reason=draft.decision_reason,
        not_before=draft.not_before,
        post_url=post.url if post else None,
        post_id=post.post_id if post else None,
        cleared=cleared_names(draft),
        post_unconfirmed=post_unconfirmed(session, draft_id),
    )


UNREGISTERED_VIEW = "Someone who is not on the register"
OFF_REGISTER_VIEW = " (not on this year's register)"


def _pictured(session: Session, ids: list[int], day: date) -> list[PupilView]:
    """The pictured pupils by name, each with "(Year 4)", or with the note that they are not
    on the register of the post's year (no consent then, whatever was recorded)."""
    if not ids:
        return []
    consent = twitter_consent(session, ids, day)
    on_register = on_register_in(session, ids, AcademicYear.of(day))
    rows = pupils_by_id(session, ids)
    groups: dict[int, str] = {}
    for pupil_id, group in year_groups_of(session, ids):
        groups[pupil_id] = group  # the latest year wins
    views: list[PupilView] = []
    for row in sorted(rows, key=lambda r: (r.last_name, r.first_name)):
        pupil = Pupil(row.first_name, row.last_name, row.preferred_name, groups.get(row.id, ""))
        if row.id in on_register:
            views.append(PupilView(pupil.label, consent.get(row.id, False)))
        else:
            views.append(PupilView(pupil.full_name + OFF_REGISTER_VIEW, False))
    return views


def post_unconfirmed(session: Session, draft_id: int) -> bool:
    """Whether the publish waiting in the outbox follows a post the network never confirmed."""
    waiting = open_publish_progress(session, draft_id)
    return any((progress or {}).get("post_attempt_at") for progress in waiting)
