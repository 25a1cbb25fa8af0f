"""The photo declaration: who is pictured, the alt texts, where the photos came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.intake import (
    draft_by_id,
    flush_changes,
    known_pupil_ids,
    pupils_by_ids,
    replace_pictured,
)
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.policy.model import Policy
from chatbot.services.checking import post_day, settle
from chatbot.services.intake.pictured import Choice, chosen_choices, suggest_choices
from chatbot.services.registers import on_register_in, twitter_consent

NOT_ON_REGISTER = "Some of the chosen pupils are not on the register: choose them again."
PHOTO_SOURCES = {"staff": "taken by staff", "permission": "used with permission"}


@dataclass(frozen=True, slots=True)
class Declaration:
    pupil_ids: tuple[int, ...] = ()
    no_pupils: bool = False
    alt_texts: tuple[str, ...] = ()
    source: str | None = None  # a key of PHOTO_SOURCES
    unregistered: bool = False  # "someone who is not on the register" is pictured too


@dataclass(slots=True)
class DeclarationResult:
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    # Stored even with errors when the only problem is consent: the draft is then blocked
    # by a photo-consent finding, and the author and SLT must hear why.
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


_DECLARABLE = frozenset(
    {DraftState.AWAITING_DECLARATION, DraftState.NEEDS_CHANGES, DraftState.PENDING_APPROVAL}
)


@dataclass(frozen=True, slots=True)
class DeclarationForm:
    """What the declaration form starts with: the stored declaration and its pupils' labels."""

    declaration: Declaration
    photo_count: int
    # What is chosen already, as the form offers it: ("12", "First Last (Year 4)"), and
    # ("unregistered", ...) for someone who is not on the register.
    pupils: tuple[Choice, ...] = ()


def suggest_pupils(sessions: sessionmaker[Session], query: str) -> list[Choice]:
    """What the declaration form's type-ahead offers for `query` (see `suggest_choices`)."""
    return suggest_choices(sessions, query)


NOT_DECLARABLE = "This draft can no longer be changed."
NOT_DECLARER = "Only the author of the draft (or SLT) can say who is in it."


def declaration_form(
    sessions: sessionmaker[Session], draft_id: int | None, actor: Actor
) -> DeclarationForm | str:
    """The form pre-filled from the store, or the refusal: the draft cannot take a declaration
    now, or `actor` is neither its author nor SLT."""
    with transaction(sessions) as session:
        draft = draft_by_id(session, draft_id)
        if draft is None or DraftState(draft.state) not in _DECLARABLE or not draft.photos:
            return NOT_DECLARABLE
        if not (draft.author_id == actor.id or actor.is_slt):
            return NOT_DECLARER
        ids = tuple(p.pupil_id for p in draft.pictured)
        year = AcademicYear.of(post_day(draft, utcnow()))
        unregistered = draft.unregistered_pictured
        return DeclarationForm(
            declaration=Declaration(
                pupil_ids=ids,
                no_pupils=draft.no_pupils,
                unregistered=unregistered,
                alt_texts=tuple(p.alt_text or "" for p in draft.photos),
                source=draft.photo_source,
            ),
            photo_count=len(draft.photos),
            pupils=chosen_choices(session, ids, unregistered, year),
        )


def declare(
    sessions: sessionmaker[Session],
    policy: Policy,
    draft_id: int | None,
    actor: Actor,
    declaration: Declaration,
    *,
    now: datetime | None = None,
) -> DeclarationResult:
    """Store who is pictured (and the alt texts), then check the draft again.

    Errors come back keyed by field ("pictured_pupils", "alt_text_<n>", "photo_source") so the
    form can show them inline. Nothing is stored when there are errors, except a pupil without
    consent: that declaration is true, so it is stored and the draft is blocked by the
    photo-consent finding (`stored` is then set). Nothing is sent either: the form must be
    answered within three seconds, so the caller answers it first and then calls `announce`.
    """
    now = now or utcnow()
    result = DeclarationResult()
    pupils = tuple(dict.fromkeys(declaration.pupil_ids))
    anyone = bool(pupils) or declaration.unregistered
    if not anyone and not declaration.no_pupils:
        result.errors["pictured_pupils"] = (
            "Choose the pupils in the photos, or tick “No pupils are pictured”."
        )
    elif anyone and declaration.no_pupils:
        result.errors["pictured_pupils"] = (
            "You chose pupils and also ticked “No pupils are pictured”: do one or the other."
        )
    if declaration.source is not None and declaration.source not in PHOTO_SOURCES:
        result.errors["photo_source"] = "Choose where the photos came from."
    refusal: str | None = None
    with transaction(sessions) as session:
        draft = draft_by_id(session, draft_id)
        if draft is None or not (draft.author_id == actor.id or actor.is_slt):
            result.errors["pictured_pupils"] = "Only the author or SLT can say who is pictured."
            return result
        state = DraftState(draft.state)
        if state not in _DECLARABLE:
            result.errors["pictured_pupils"] = (
                f"This draft is {state.value.replace('_', ' ')} and can no longer be changed."
            )
            return result
        if pupils and len(known_pupil_ids(session, pupils)) != len(pupils):
            result.errors["pictured_pupils"] = NOT_ON_REGISTER
        elif anyone:
            refusal = _refusal(session, pupils, declaration.unregistered, post_day(draft, now))
        if not result.ok:
            return result
        draft.declared = True
        draft.no_pupils = declaration.no_pupils
        draft.unregistered_pictured = declaration.unregistered
        draft.photo_source = declaration.source
        replace_pictured(session, draft, pupils)
        for position, photo in enumerate(draft.photos):
            if position < len(declaration.alt_texts):
                photo.alt_text = declaration.alt_texts[position].strip() or None
        audit(
            session,
            actor=actor,
            action="declared",
            draft_id=draft.id,
            # counts only: pupils' names never go into the audit log's details
            detail={
                "pupils": len(pupils),
                "no_pupils": declaration.no_pupils,
                "unregistered": declaration.unregistered,
            },
        )
        flush_changes(session)
        settle(session, draft.id, policy, now, actor=actor)
    result.stored = True
    if refusal:
        result.errors["pictured_pupils"] = refusal
    return result


def _refusal(
    session: Session, pupils: tuple[int, ...], unregistered: bool, day: date
) -> str | None:
    """Why the photo cannot be posted, for the author's form (names are fine there: the
    author chose them), or None when everyone pictured has consent."""
    consent = twitter_consent(session, pupils, day)
    on_register = on_register_in(session, pupils, AcademicYear.of(day))
    names = {r.id: f"{r.first_name} {r.last_name}" for r in pupils_by_ids(session, pupils)}
    refused = [names[p] for p in pupils if p in on_register and not consent.get(p, False)]
    off = [names[p] for p in pupils if p not in on_register]
    reasons = []
    if refused:
        reasons.append(f"No Twitter consent this school year for: {', '.join(refused)}.")
    if off:
        reasons.append(f"Not on this year's register, so no consent: {', '.join(off)}.")
    if unregistered:
        reasons.append("Someone who is not on the register has no consent.")
    if not reasons:
        return None
    return (
        " ".join(reasons) + " Their photo cannot be posted, so the draft stays blocked: edit "
        "your message to share photos without them."
    )
