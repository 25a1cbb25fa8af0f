"""Importing the school's roster (see the package's docstring for how consent is merged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from chatbot.adapters.db.models import ConsentRow, PupilRow, PupilYear, utcnow
from chatbot.adapters.db.registers import add_pupil, pupils_by_upn_or_key, write_pending
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Acting, acting_id
from chatbot.domain.pupils import Channel
from chatbot.services.registers.consent import _consent_of
from chatbot.services.roster_csv import RosterInvalid, RosterProblem, RosterRow


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
    session: Session, rows: Sequence[RosterRow], *, actor: Acting, source: str
) -> ImportReport:
    """Merge checked roster rows into the register: adds and updates, never deletes.

    Importing the same rows again changes nothing. Writes one audit row (counts, file name).
    """
    pupils = _resolve(session, rows, source)
    # Names come from a pupil's latest year in the file, so a file holding two years (or a
    # re-import of it) settles on one spelling instead of flipping between them.
    latest: dict[str, RosterRow] = {}
    for row in rows:
        best = latest.get(row.identity)
        if best is None or row.academic_year >= best.academic_year:
            latest[row.identity] = row

    added = updated = unchanged = withdrawn = 0
    withdrawn_twitter: list[PupilRow] = []
    kept: list[KeptWithdrawn] = []
    for row in rows:
        pupil = pupils.get(row.identity)
        changed = False
        if pupil is None:
            pupil = PupilRow(
                first_name=row.first_name,
                last_name=row.last_name,
                preferred_name=row.preferred_name,
                match_key=row.match_key,
                upn=row.upn or None,
                years=[],
                consents=[],
            )
            add_pupil(session, pupil)
            pupils[row.identity] = pupil
        elif row is latest[row.identity] and _is_newest_year(pupil, row.academic_year):
            # An older year's file must not undo a newer spelling or preferred name.
            names = (row.first_name, row.last_name, row.preferred_name)
            if (pupil.first_name, pupil.last_name, pupil.preferred_name) != names:
                pupil.first_name, pupil.last_name, pupil.preferred_name = names
                pupil.match_key = row.match_key
                changed = True
        if row.upn and pupil.upn is None:
            pupil.upn = row.upn  # a pupil known by name until now is known by the id from here
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
            outcome = _merge_consent(pupil, year, channel, answer, actor=acting_id(actor))
            changed = changed or outcome in {"recorded", "withdrawn"}
            withdrawn += outcome == "withdrawn"
            if outcome == "withdrawn" and channel is Channel.TWITTER:
                withdrawn_twitter.append(pupil)
            if outcome == "kept_withdrawn":
                kept.append(KeptWithdrawn(row.line, channel, row.academic_year))

        if is_new:
            added += 1
        elif changed:
            updated += 1
        else:
            unchanged += 1

    write_pending(session)
    from chatbot.services.past_posts import open_review  # it needs the registers package

    for pupil in {p.id: p for p in withdrawn_twitter}.values():
        # Past posts picturing the pupil go to SLT (shown once the caller commits).
        open_review(session, pupil.id, actor)
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


def _resolve(session: Session, rows: Sequence[RosterRow], source: str) -> dict[str, PupilRow]:
    """The pupil already on the register for each identity in the file (new ones are absent).

    A row with an id finds the pupil with that id, or else the one pupil of that name who has
    no id yet (the first import with ids). A row without an id finds the pupil of that name.
    Raises `RosterInvalid` where the register cannot tell which pupil a row is; nothing is
    changed before that.
    """
    upns = {row.upn for row in rows if row.upn}
    keys = {row.match_key for row in rows}
    known = pupils_by_upn_or_key(session, upns, keys)
    by_upn = {p.upn: p for p in known if p.upn}
    by_name: dict[str, list[PupilRow]] = {}
    for each in known:
        by_name.setdefault(each.match_key, []).append(each)
    ids_by_name: dict[str, set[str]] = {}
    for row in rows:
        if row.upn:
            ids_by_name.setdefault(row.match_key, set()).add(row.upn)

    found: dict[str, PupilRow] = {}
    problems: list[RosterProblem] = []
    for row in rows:
        if row.identity in found:
            continue
        pupil: PupilRow | None
        if row.upn:
            pupil = by_upn.get(row.upn)
            unnamed = [p for p in by_name.get(row.match_key, []) if p.upn is None]
            if pupil is None and len(unnamed) == 1:
                pupil = _adopt(unnamed[0], row, rows, ids_by_name[row.match_key], problems)
        else:
            named = by_name.get(row.match_key, [])
            pupil = named[0] if len(named) == 1 else None
            if len(named) > 1:
                problems.append(
                    RosterProblem(
                        f"{len(named)} pupils on the register have this name and are told apart "
                        "by their UPN; export the upn column too, so each row finds its pupil",
                        line=row.line,
                    )
                )
        if pupil is not None:
            found[row.identity] = pupil
    if problems:
        raise RosterInvalid(source, problems)
    return found


def _adopt(
    pupil: PupilRow,
    row: RosterRow,
    rows: Sequence[RosterRow],
    ids: set[str],
    problems: list[RosterProblem],
) -> PupilRow | None:
    """Which of the file's ids (one name) is the pupil known by name only; None if new."""
    if len(ids) == 1:
        return pupil
    # Two pupils of this name in the file and one on the register: the one in the same year
    # group that year is them (their consents, a withdrawal above all, must stay theirs).
    groups = {(y.academic_year, y.year_group) for y in pupil.years}
    same = {r.upn for r in rows if r.upn in ids and (str(r.academic_year), r.year_group) in groups}
    if same == {row.upn}:
        return pupil
    lines = sorted(r.line for r in rows if r.upn in ids)
    if len(same) != 1 and row.line == lines[0]:  # one problem for the name, not one a row
        problems.append(
            RosterProblem(
                f"lines {', '.join(map(str, lines))} are pupils of one name, and the register "
                "has one pupil of that name without a UPN, and no one year group tells which "
                "of them it is. Import the file for the year that pupil is on the register in "
                "first (with the upn column), then this one",
                line=row.line,
            )
        )
    return None


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
