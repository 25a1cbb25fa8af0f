"""The pupil register and consents: importing the school's roster, recording consent given or
withdrawn, reading the register for the rules, and removing leavers.

How an import treats consent (what a school expects of its consent forms):

- The file is the office's record of the forms that came back: "yes" records consent given,
  "no" records it refused. A later file may turn a refusal into consent (a form came back late).
- A file saying "no" where consent was given is a withdrawal: it takes effect at once, as
  ``given=False`` with ``withdrawn_at``/``withdrawn_by`` set.
- An import never brings back a withdrawn consent. A parent's withdrawal, recorded with
  ``chatbot consent withdraw`` or by an earlier file, outlives a re-import of an older export
  that still says "yes"; only ``chatbot consent give`` restores it. The import reports each such
  line so the office can check it.
- Consent belongs to one academic year: a new year's file adds that year's rows and leaves last
  year's alone (they lapse with the year; `remove_leavers` deletes what is no longer needed).

Functions here take the caller's session and never commit: the caller owns the transaction, so a
failed import or a dry run leaves nothing behind. Audit rows carry counts and pupil ids, never
names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import ColumnElement

from chatbot.adapters.db.models import ConsentRow, PupilRow, PupilYear, utcnow
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.folding import fold
from chatbot.domain.pupils import Channel, Pupil, Register, RegisterEntry
from chatbot.services.roster_csv import RosterRow, match_key, normalise_name


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


# -- import ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeptWithdrawn:
    """A line whose "yes" was not applied because that consent had been withdrawn."""

    line: int
    channel: Channel
    academic_year: AcademicYear


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int  # rows that put a pupil on a year's register (a new pupil, or a new year)
    updated: int  # rows that changed a name, year group or consent
    unchanged: int
    withdrawn: int  # consents the file withdrew (it says "no" where consent was given)
    kept_withdrawn: tuple[KeptWithdrawn, ...]
    years: tuple[AcademicYear, ...]

    @property
    def rows(self) -> int:
        return self.added + self.updated + self.unchanged

    def as_detail(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "consents_withdrawn": self.withdrawn,
            "kept_withdrawn": len(self.kept_withdrawn),
            "academic_years": [str(y) for y in self.years],
        }


def import_roster(
    session: Session, rows: Sequence[RosterRow], *, actor: str, source: str
) -> ImportReport:
    """Merge checked roster rows into the register: adds and updates, never deletes.

    Importing the same rows again changes nothing. Writes one audit row (counts, file name).
    """
    keys = {row.match_key for row in rows}
    pupils: dict[str, PupilRow] = {
        p.match_key: p
        for p in session.scalars(
            select(PupilRow)
            .where(PupilRow.match_key.in_(keys))
            .options(selectinload(PupilRow.years), selectinload(PupilRow.consents))
        )
    }
    # Names come from a pupil's latest year in the file, so a file holding two years (or a
    # re-import of it) settles on one spelling instead of flipping between them.
    latest: dict[str, RosterRow] = {}
    for row in rows:
        best = latest.get(row.match_key)
        if best is None or row.academic_year >= best.academic_year:
            latest[row.match_key] = row

    added = updated = unchanged = withdrawn = 0
    kept: list[KeptWithdrawn] = []
    for row in rows:
        pupil = pupils.get(row.match_key)
        changed = False
        if pupil is None:
            pupil = PupilRow(
                first_name=row.first_name,
                last_name=row.last_name,
                preferred_name=row.preferred_name,
                match_key=row.match_key,
                years=[],
                consents=[],
            )
            session.add(pupil)
            pupils[row.match_key] = pupil
        elif row is latest[row.match_key] and _is_newest_year(pupil, row.academic_year):
            # An older year's file must not undo a newer spelling or preferred name.
            names = (row.first_name, row.last_name, row.preferred_name)
            if (pupil.first_name, pupil.last_name, pupil.preferred_name) != names:
                pupil.first_name, pupil.last_name, pupil.preferred_name = names
                changed = True

        year = str(row.academic_year)
        on_register = next((y for y in pupil.years if y.academic_year == year), None)
        is_new = on_register is None
        if on_register is None:
            pupil.years.append(PupilYear(academic_year=year, year_group=row.year_group))
        elif on_register.year_group != row.year_group:
            on_register.year_group = row.year_group
            changed = True

        for channel, answer in (
            (Channel.TWITTER, row.twitter_consent),
            (Channel.WEBSITE, row.website_consent),
        ):
            outcome = _merge_consent(pupil, year, channel, answer, actor=actor)
            changed = changed or outcome in {"recorded", "withdrawn"}
            withdrawn += outcome == "withdrawn"
            if outcome == "kept_withdrawn":
                kept.append(KeptWithdrawn(row.line, channel, row.academic_year))

        if is_new:
            added += 1
        elif changed:
            updated += 1
        else:
            unchanged += 1

    session.flush()
    report = ImportReport(
        added=added,
        updated=updated,
        unchanged=unchanged,
        withdrawn=withdrawn,
        kept_withdrawn=tuple(kept),
        years=tuple(sorted({row.academic_year for row in rows})),
    )
    audit(
        session,
        actor=actor,
        action="pupils.import",
        subject=source[:200],
        detail=report.as_detail(),
    )
    return report


_Merged = Literal["recorded", "withdrawn", "kept_withdrawn", "same"]


def _merge_consent(
    pupil: PupilRow, year: str, channel: Channel, answer: bool, *, actor: str
) -> _Merged:
    """Apply one answer from the file (rules in the module's docstring); says what happened."""
    now = utcnow()
    consent = _consent_of(pupil, year, channel)
    if consent is None:
        pupil.consents.append(
            ConsentRow(
                academic_year=year,
                channel=channel.value,
                given=answer,
                recorded_by=actor,
                recorded_at=now,
            )
        )
        return "recorded"
    if consent.withdrawn_at is not None:
        return "kept_withdrawn" if answer else "same"
    if consent.given and not answer:
        consent.given = False
        consent.withdrawn_at, consent.withdrawn_by = now, actor
        return "withdrawn"
    if not consent.given and answer:
        consent.given = True
        consent.recorded_by, consent.recorded_at = actor, now
        return "recorded"
    return "same"


def _is_newest_year(pupil: PupilRow, year: AcademicYear) -> bool:
    return all(y.academic_year <= str(year) for y in pupil.years)


def _consent_of(pupil: PupilRow, year: str, channel: Channel) -> ConsentRow | None:
    return next(
        (c for c in pupil.consents if c.academic_year == year and c.channel == channel.value),
        None,
    )


# -- consent given or withdrawn by hand --------------------------------------------------------


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
    session: Session, full_name: str, channel: Channel | str, year: AcademicYear, actor: str
) -> ConsentChange:
    """Record consent given (restoring a withdrawn one). Raises `RegisterError` subclasses."""
    return _set_consent(session, full_name, channel, year, actor, give=True)


def withdraw_consent(
    session: Session, full_name: str, channel: Channel | str, year: AcademicYear, actor: str
) -> ConsentChange:
    """Record a withdrawal; from the caller's commit on, nothing with this pupil is published.

    A withdrawal is recorded even for a pupil with no consent row yet (e.g. before that year's
    import), so that the import cannot grant it afterwards.
    """
    return _set_consent(session, full_name, channel, year, actor, give=False)


def _set_consent(
    session: Session,
    full_name: str,
    channel: Channel | str,
    year: AcademicYear,
    actor: str,
    *,
    give: bool,
) -> ConsentChange:
    try:
        channel = Channel(channel)
    except ValueError:
        choices = ", ".join(c.value for c in Channel)
        raise RegisterError(f"{channel!r} is not a channel; use one of {choices}") from None
    pupil = find_pupil(session, full_name)
    consent = session.scalar(
        select(ConsentRow).where(
            ConsentRow.pupil_id == pupil.id,
            ConsentRow.academic_year == str(year),
            ConsentRow.channel == channel.value,
        )
    )
    before = ConsentStatus.of(consent)
    now = utcnow()
    if consent is None:
        consent = ConsentRow(
            pupil_id=pupil.id,
            academic_year=str(year),
            channel=channel.value,
            given=False,
            recorded_by=actor,
            recorded_at=now,
        )
        session.add(consent)
    if give and before is not ConsentStatus.GIVEN:
        consent.given = True
        consent.recorded_by, consent.recorded_at = actor, now
        consent.withdrawn_at = consent.withdrawn_by = None
    elif not give and before is not ConsentStatus.WITHDRAWN:
        consent.given = False
        consent.withdrawn_at, consent.withdrawn_by = now, actor
    on_register = session.scalar(
        select(exists().where(PupilYear.pupil_id == pupil.id, PupilYear.academic_year == str(year)))
    )
    by, at = consent.recorded_by, consent.recorded_at
    if consent.withdrawn_at is not None:
        by, at = consent.withdrawn_by or by, consent.withdrawn_at
    change = ConsentChange(
        pupil_id=pupil.id,
        channel=channel,
        academic_year=year,
        before=before,
        after=ConsentStatus.of(consent),
        on_register=bool(on_register),
        by=by,
        at=at,
    )
    if change.changed:
        session.flush()
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
            },
        )
    return change


def find_pupil(session: Session, full_name: str) -> PupilRow:
    """The pupil called "First Last" (or "Preferred Last"); `RegisterError` explains a miss."""
    wanted = normalise_name(full_name).casefold()
    if " " not in wanted:
        raise RegisterError(
            f'"{full_name.strip()}": give the pupil\'s first and last name, e.g. "Zoë Smith"'
        )
    pupil = session.scalar(select(PupilRow).where(PupilRow.match_key == wanted))
    if pupil is not None:
        return pupil
    everyone = list(session.scalars(select(PupilRow)))
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


# -- reading the register ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterLine:
    pupil: Pupil
    twitter: ConsentStatus
    website: ConsentStatus


def _group_order(group: str) -> tuple[int, int, str]:
    upper = group.upper()
    if upper == "N":
        return (0, 0, "")
    if upper == "R":
        return (1, 0, "")
    if group.isdigit():
        return (2, int(group), "")
    return (3, 0, group)


def list_register(session: Session, year: AcademicYear) -> list[RegisterLine]:
    """Pupils on the register in `year` with each consent's status, by year group then name."""
    on_register = session.execute(
        select(PupilRow, PupilYear.year_group)
        .join(PupilYear, PupilYear.pupil_id == PupilRow.id)
        .where(PupilYear.academic_year == str(year))
    ).all()
    consents = {
        (c.pupil_id, c.channel): c
        for c in session.scalars(select(ConsentRow).where(ConsentRow.academic_year == str(year)))
    }
    lines = [
        RegisterLine(
            pupil=Pupil(row.first_name, row.last_name, row.preferred_name, group, id=row.id),
            twitter=ConsentStatus.of(consents.get((row.id, Channel.TWITTER.value))),
            website=ConsentStatus.of(consents.get((row.id, Channel.WEBSITE.value))),
        )
        for row, group in on_register
    ]
    lines.sort(
        key=lambda line: (
            _group_order(line.pupil.year_group),
            line.pupil.last_name.casefold(),
            line.pupil.first_name.casefold(),
        )
    )
    return lines


def load_register(session: Session, year: AcademicYear) -> Register:
    """The register the rules check against: who is on roll in `year` and what is in force."""
    entries = tuple(
        RegisterEntry(
            pupil=line.pupil,
            academic_year=year,
            twitter_consent=line.twitter is ConsentStatus.GIVEN,
            website_consent=line.website is ConsentStatus.GIVEN,
        )
        for line in list_register(session, year)
    )
    return Register(year, entries)


def twitter_consent(session: Session, pupil_ids: Iterable[int], on: date) -> dict[int, bool]:
    """Twitter consent in force for each pupil in the academic year containing `on`.

    No record, a refusal or a withdrawal all give False. Called just before publishing, so a
    withdrawal committed a moment ago already counts. `on` is the post's day in London.
    """
    ids = set(pupil_ids)
    result = dict.fromkeys(ids, False)
    if not ids:
        return result
    rows = session.scalars(
        select(ConsentRow).where(
            ConsentRow.pupil_id.in_(ids),
            ConsentRow.academic_year == str(AcademicYear.of(on)),
            ConsentRow.channel == Channel.TWITTER.value,
        )
    )
    for row in rows:
        result[row.pupil_id] = row.in_force
    return result


def search_pupils(session: Session, query: str, year: AcademicYear, limit: int = 20) -> list[Pupil]:
    """Pupils on `year`'s register whose names contain every word of `query` (for type-ahead).

    Matches at the start of a name come first. Done in Python: a school's register is small,
    and SQL's LIKE folds neither accents nor non-ASCII case on SQLite.
    """
    words = fold(query).split()
    ranked: list[tuple[int, Pupil]] = []
    for line in list_register(session, year):
        pupil = line.pupil
        names = fold(f"{pupil.first_name} {pupil.last_name} {pupil.preferred_name}").split()
        if not all(any(w in name for name in names) for w in words):
            continue
        prefix = all(any(name.startswith(w) for name in names) for w in words)
        ranked.append((0 if prefix else 1, pupil))
    ranked.sort(key=lambda item: (item[0], item[1].last_name.casefold(), item[1].first_name))
    return [pupil for _rank, pupil in ranked[:limit]]


# -- data minimisation -------------------------------------------------------------------------


def _leavers(current_year: AcademicYear) -> ColumnElement[bool]:
    # Not on the register this year or later: a new intake imported in July stays.
    return ~exists().where(
        PupilYear.pupil_id == PupilRow.id, PupilYear.academic_year >= str(current_year)
    )


def count_leavers(session: Session, current_year: AcademicYear) -> int:
    """How many pupils `remove_leavers` would delete."""
    return session.scalar(select(func.count(PupilRow.id)).where(_leavers(current_year))) or 0


def remove_leavers(session: Session, current_year: AcademicYear, actor: str) -> int:
    """Delete pupils not on the register in `current_year` or later, with their consents.

    Returns how many pupils were deleted; the audit row holds counts only.
    """
    ids = list(session.scalars(select(PupilRow.id).where(_leavers(current_year))))
    if not ids:
        return 0
    consents = session.scalar(select(func.count(ConsentRow.id)).where(ConsentRow.pupil_id.in_(ids)))
    # The foreign keys cascade to years, consents and photo declarations.
    session.execute(
        delete(PupilRow).where(PupilRow.id.in_(ids)).execution_options(synchronize_session=False)
    )
    session.expire_all()
    audit(
        session,
        actor=actor,
        action="pupils.remove_leavers",
        detail={
            "academic_year": str(current_year),
            "pupils": len(ids),
            "consent_records": consents or 0,
        },
    )
    return len(ids)
