"""Consent given or withdrawn by hand, and the errors of register operations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from chatbot.adapters.db.models import ConsentRow, PupilRow, utcnow
from chatbot.adapters.db.registers import (
    add_consent,
    all_pupils,
    consent_of,
    is_on_register,
    pupil_by_id,
    pupil_by_upn,
    pupils_by_match_key,
    write_pending,
)
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Acting, acting_id
from chatbot.domain.folding import fold
from chatbot.domain.pupils import Channel
from chatbot.services.roster_csv import match_key, normalise_name


class RegisterError(Exception):
    """A register operation that cannot be done; the message says what to do instead."""


class PupilNotFound(RegisterError):
    """Its message suggests close names: show it to the person who typed the name, never log it."""


class AmbiguousPupil(RegisterError):
    """More than one pupil goes by the name given (a preferred name shared by two pupils)."""


class ConsentStatus(StrEnum):
    GIVEN = "yes"
    REFUSED = "no"
    WITHDRAWN = "withdrawn"
    NONE = "none"  # no record: treated as no consent

    @classmethod
    def of(cls, row: ConsentRow | None) -> ConsentStatus:
        if row is None:
            return cls.NONE
        if row.withdrawn_at is not None:
            return cls.WITHDRAWN
        return cls.GIVEN if row.given else cls.REFUSED


def _consent_of(pupil: PupilRow, year: str, channel: Channel) -> ConsentRow | None:
    return next(
        (c for c in pupil.consents if c.academic_year == year and c.channel == channel.value),
        None,
    )


@dataclass(frozen=True, slots=True)
class ConsentChange:
    pupil_id: int
    channel: Channel
    academic_year: AcademicYear
    before: ConsentStatus
    after: ConsentStatus
    on_register: bool  # the pupil is on that year's register
    by: str  # who recorded the state it is in now, and when
    at: datetime

    @property
    def changed(self) -> bool:
        return self.before is not self.after


def give_consent(
    session: Session,
    pupil: str | int,
    channel: Channel | str,
    year: AcademicYear,
    actor: Acting,
    *,
    note: str = "",
) -> ConsentChange:
    """Record consent given (restoring a withdrawn one). Raises `RegisterError` subclasses.

    `pupil` is a name ("First Last"), a UPN, or the pupil's id (from a picker); `note` (the
    office's "letter from parent, 1 Dec") goes in the audit row."""
    return _set_consent(session, pupil, channel, year, actor, give=True, note=note)


def withdraw_consent(
    session: Session,
    pupil: str | int,
    channel: Channel | str,
    year: AcademicYear,
    actor: Acting,
    *,
    note: str = "",
) -> ConsentChange:
    """Record a withdrawal; from the caller's commit on, nothing with this pupil is published.

    A withdrawal is recorded even for a pupil with no consent row yet (e.g. before that year's
    import), so that the import cannot grant it afterwards.
    """
    return _set_consent(session, pupil, channel, year, actor, give=False, note=note)


def _set_consent(
    session: Session,
    wanted: str | int,
    channel: Channel | str,
    year: AcademicYear,
    actor: Acting,
    *,
    give: bool,
    note: str = "",
) -> ConsentChange:
    try:
        channel = Channel(channel)
    except ValueError:
        choices = ", ".join(c.value for c in Channel)
        raise RegisterError(f"{channel!r} is not a channel; use one of {choices}") from None
    if isinstance(wanted, int):
        found = pupil_by_id(session, wanted)
        if found is None:
            raise PupilNotFound(
                "that pupil is no longer on the register (removed as a leaver?); search again"
            )
        pupil = found
    else:
        pupil = find_pupil(session, wanted)
    consent = consent_of(session, pupil.id, year, channel.value)
    before = ConsentStatus.of(consent)
    now = utcnow()
    by_id = acting_id(actor)
    if consent is None:
        consent = ConsentRow(
            pupil_id=pupil.id,
            academic_year=str(year),
            channel=channel.value,
            given=False,
            recorded_by=by_id,
            recorded_at=now,
        )
        add_consent(session, consent)
    if give and before is not ConsentStatus.GIVEN:
        consent.given = True
        consent.recorded_by, consent.recorded_at = by_id, now
        consent.withdrawn_at = consent.withdrawn_by = None
    elif not give and before is not ConsentStatus.WITHDRAWN:
        consent.given = False
        consent.withdrawn_at, consent.withdrawn_by = now, by_id
    on_register = is_on_register(session, pupil.id, year)
    by, at = consent.recorded_by, consent.recorded_at
    if consent.withdrawn_at is not None:
        by, at = consent.withdrawn_by or by, consent.withdrawn_at
    change = ConsentChange(
        pupil_id=pupil.id,
        channel=channel,
        academic_year=year,
        before=before,
        after=ConsentStatus.of(consent),
        on_register=on_register,
        by=by,
        at=at,
    )
    if change.changed:
        write_pending(session)
        audit(
            session,
            actor=actor,
            action="consent.give" if give else "consent.withdraw",
            subject=f"pupil:{pupil.id}",
            detail={
                "channel": channel.value,
                "academic_year": str(year),
                "before": before.value,
                "after": change.after.value,
                **({"note": note} if note else {}),
            },
        )
        if not give and channel is Channel.TWITTER:
            from chatbot.services.past_posts import open_review  # it needs this package

            # Past posts picturing the pupil go to SLT (shown once the caller commits).
            open_review(session, pupil.id, actor)
    return change


def find_pupil(session: Session, full_name: str) -> PupilRow:
    """The pupil called "First Last" (or "Preferred Last"); `RegisterError` explains a miss."""
    wanted = normalise_name(full_name).casefold()
    if " " not in wanted:
        by_upn = pupil_by_upn(session, wanted.upper())
        if by_upn is not None:
            return by_upn
        raise RegisterError(
            f'"{full_name.strip()}": give the pupil\'s first and last name, e.g. "Zoë Smith"'
            " (or their UPN)"
        )
    named = pupils_by_match_key(session, wanted)
    if len(named) == 1:
        return named[0]
    if named:
        raise AmbiguousPupil(
            f'{len(named)} pupils are called "{full_name.strip()}" ({_groups(named)}); give the '
            "UPN of the one you mean instead of the name (`chatbot pupils list` shows it)"
        )
    everyone = all_pupils(session)
    by_preferred = [
        p
        for p in everyone
        if p.preferred_name and match_key(p.preferred_name, p.last_name) == wanted
    ]
    if len(by_preferred) == 1:
        return by_preferred[0]
    if by_preferred:
        raise AmbiguousPupil(
            f'{len(by_preferred)} pupils go by "{full_name.strip()}"; use the legal first name '
            "(`chatbot pupils list` shows both)"
        )
    raise PupilNotFound(_not_found_message(full_name, everyone))


def _groups(pupils: Sequence[PupilRow]) -> str:
    def latest(pupil: PupilRow) -> str:
        years = sorted(pupil.years, key=lambda y: y.academic_year)
        return f"year group {years[-1].year_group}" if years else "not on a register"

    return ", ".join(sorted(latest(p) for p in pupils))


def _not_found_message(full_name: str, everyone: Sequence[PupilRow]) -> str:
    from rapidfuzz import fuzz, process

    # Compared without case or accents, so "zoe smyth" still finds "Zoë Smith".
    names = {p.id: f"{p.first_name} {p.last_name}" for p in everyone}
    folded = {pid: fold(name) for pid, name in names.items()}
    close = process.extract(
        fold(normalise_name(full_name)), folded, scorer=fuzz.WRatio, limit=3, score_cutoff=80
    )
    message = f'no pupil called "{full_name.strip()}" on the register'
    if close:
        shown = " or ".join(f'"{names[pid]}"' for _name, _score, pid in close)
        message += f"; did you mean {shown}?"
    else:
        message += "; check the spelling with `chatbot pupils list`"
    return message
