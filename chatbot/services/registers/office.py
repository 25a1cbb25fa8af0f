"""Consent recorded from chat by the school office (or SLT): who may, and what is recorded.

The chat adapter shows the form and passes what was chosen; the decision is made here, with the
typed `Actor`, so a forged submission from anyone else is refused as the form's opening is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.registers import pupil_by_id, year_group_in
from chatbot.domain.academic_year import LONDON, AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.messages import Mention, Message, message
from chatbot.domain.pupils import Channel, Pupil, told_apart
from chatbot.services.registers.consent import RegisterError, give_consent, withdraw_consent
from chatbot.services.registers.reading import search_pupils

NOT_OFFICE = (
    "Only the school office (or SLT) can record consent. If a parent has given or withdrawn "
    "consent, tell the office."
)
CHOOSE_PUPIL = "Choose the pupil from the list: type part of their name."
MAX_NOTE = 500


def may_record_consent(actor: Actor) -> bool:
    return bool(actor.id) and (actor.is_office or actor.is_slt)


def consent_years(now: datetime | None = None) -> tuple[AcademicYear, ...]:
    """The years the form offers, the current one first: last year's is for a late letter,
    next year's for forms that come back with the new intake."""
    current = AcademicYear.at(now or utcnow())
    return (current, AcademicYear(current.start + 1), AcademicYear(current.start - 1))


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """What the form sends: one pupil (by id), one channel, given or withdrawn, one year."""

    pupil_id: int | None
    channel: str
    give: bool
    year: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ConsentOutcome:
    ok: bool
    message: Message  # for the person who sent the form only: it names the pupil
    field: str = "pupil"  # which part of the form a refusal is about


def consent_pupils(
    sessions: sessionmaker[Session], actor: Actor, query: str
) -> list[tuple[int, str]]:
    """(id, "First Last (Year 4)") of this year's pupils matching what is typed; nobody's
    names for someone who may not record consent."""
    if not query.strip() or not may_record_consent(actor):
        return []
    with transaction(sessions) as session:
        pupils = search_pupils(session, query, AcademicYear.at(utcnow()), limit=20)
        known = [p for p in pupils if p.id is not None]
        labels = told_apart(known, [p.label for p in known])  # two Amy Smiths in Year 4
        return [(p.id, label) for p, label in zip(known, labels, strict=True) if p.id is not None]


def record_consent(
    sessions: sessionmaker[Session], actor: Actor, request: ConsentRequest
) -> ConsentOutcome:
    """Record the form's consent at once (audited, with the note), or say why not."""
    if not may_record_consent(actor):
        return ConsentOutcome(False, message(NOT_OFFICE))
    if request.pupil_id is None:
        return ConsentOutcome(False, message(CHOOSE_PUPIL))
    try:
        year = AcademicYear.parse(request.year)
    except ValueError as exc:
        return ConsentOutcome(False, message(str(exc)), field="year")
    note = " ".join(request.note.split())[:MAX_NOTE]
    action = give_consent if request.give else withdraw_consent
    try:
        with transaction(sessions) as session:
            change = action(session, request.pupil_id, request.channel, year, actor, note=note)
            label = _label(session, request.pupil_id, year)
    except RegisterError as exc:
        return ConsentOutcome(False, message(str(exc)))
    channel = Channel(change.channel).value.capitalize()
    when = change.at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
    if not change.changed:
        said = message(
            f"{label}: {channel} consent for {year} is already {change.after.value} (recorded by ",
            Mention(change.by),
            f" on {when}). Nothing changed.",
        )
    else:
        said = message(
            f"{label}: {channel} consent for {year} is now {change.after.value} "
            f"(was: {change.before.value.replace('none', 'no record')}). Recorded by you on "
            f"{when}; it applies from now on."
        )
    if not change.on_register:
        said += f" Note: this pupil is not on the register for {year}."
    return ConsentOutcome(True, said)


def _label(session: Session, pupil_id: int, year: AcademicYear) -> str:
    pupil = pupil_by_id(session, pupil_id)
    if pupil is None:
        return "The pupil"
    group = year_group_in(session, pupil_id, year)
    return Pupil(pupil.first_name, pupil.last_name, year_group=group or "").label
