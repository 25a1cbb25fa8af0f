"""Reading the register for the rules and the type-ahead, and removing leavers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from chatbot.adapters.db.registers import (
    consent_count,
    consents_for,
    consents_in_year,
    delete_pupils,
    flag_drafts_picturing,
    leaver_count,
    leaver_ids,
    on_register_among,
    pupils_off_register,
    pupils_on_register,
)
from chatbot.adapters.db.repositories import audit
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Acting
from chatbot.domain.folding import fold
from chatbot.domain.pupils import Channel, Pupil, Register, RegisterEntry
from chatbot.services.registers.consent import ConsentStatus


@dataclass(frozen=True, slots=True)
class RegisterLine:
    pupil: Pupil
    twitter: ConsentStatus
    website: ConsentStatus
    upn: str = ""


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
    on_register = pupils_on_register(session, year)
    consents = {(c.pupil_id, c.channel): c for c in consents_in_year(session, year)}
    lines = [
        RegisterLine(
            pupil=Pupil(
                row.first_name,
                row.last_name,
                row.preferred_name,
                group,
                id=row.id,
                upn=row.upn or "",
            ),
            twitter=ConsentStatus.of(consents.get((row.id, Channel.TWITTER.value))),
            website=ConsentStatus.of(consents.get((row.id, Channel.WEBSITE.value))),
            upn=row.upn or "",
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
    rows = consents_for(session, ids, AcademicYear.of(on), Channel.TWITTER.value)
    for row in rows:
        result[row.pupil_id] = row.in_force
    return result


def on_register_in(session: Session, pupil_ids: Iterable[int], year: AcademicYear) -> set[int]:
    """Which of these pupils are on `year`'s register."""
    ids = set(pupil_ids)
    if not ids:
        return set()
    return on_register_among(session, ids, year)


def _rank(words: list[str], pupil: Pupil) -> int | None:
    """0 when every typed word starts one of the pupil's names, 1 when each is inside one,
    None when a word is in none of them."""
    names = fold(f"{pupil.first_name} {pupil.last_name} {pupil.preferred_name}").split()
    if not all(any(w in name for name in names) for w in words):
        return None
    return 0 if all(any(name.startswith(w) for name in names) for w in words) else 1


def _best(words: list[str], pupils: Iterable[Pupil], limit: int) -> list[Pupil]:
    ranked = [(rank, p) for p in pupils if (rank := _rank(words, p)) is not None]
    ranked.sort(key=lambda item: (item[0], item[1].last_name.casefold(), item[1].first_name))
    return [pupil for _rank, pupil in ranked[:limit]]


def search_pupils(session: Session, query: str, year: AcademicYear, limit: int = 20) -> list[Pupil]:
    """Pupils on `year`'s register whose names contain every word of `query` (for type-ahead).

    Matches at the start of a name come first. Done in Python: a school's register is small,
    and SQL's LIKE folds neither accents nor non-ASCII case on SQLite.
    """
    return _best(fold(query).split(), (line.pupil for line in list_register(session, year)), limit)


def search_off_register(
    session: Session, query: str, year: AcademicYear, limit: int = 20
) -> list[Pupil]:
    """Pupils the school knows who are not on `year`'s register (leavers, or a register not
    imported yet) whose names match `query`, ranked as `search_pupils` ranks them."""
    rows = pupils_off_register(session, year)
    pupils = (
        Pupil(r.first_name, r.last_name, r.preferred_name, id=r.id, upn=r.upn or "") for r in rows
    )
    return _best(fold(query).split(), pupils, limit)


# -- data minimisation -------------------------------------------------------------------------


def count_leavers(session: Session, current_year: AcademicYear) -> int:
    """How many pupils `remove_leavers` would delete."""
    # Not on the register this year or later: a new intake imported in July stays.
    return leaver_count(session, current_year)


def remove_leavers(session: Session, current_year: AcademicYear, actor: Acting) -> int:
    """Delete pupils not on the register in `current_year` or later, with their consents.

    Returns how many pupils were deleted; the audit row holds counts only.
    """
    ids = leaver_ids(session, current_year)
    if not ids:
        return 0
    consents = consent_count(session, ids)
    # A draft that pictures a leaver still pictures a child without consent once the pupil is
    # gone: it says so, instead of losing the declaration with the cascade below.
    flag_drafts_picturing(session, ids)
    # The foreign keys cascade to years, consents and photo declarations.
    delete_pupils(session, ids)
    audit(
        session,
        actor=actor,
        action="pupils.remove_leavers",
        detail={
            "academic_year": str(current_year),
            "pupils": len(ids),
            "consent_records": consents,
        },
    )
    return len(ids)
