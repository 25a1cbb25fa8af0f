"""The register's queries: pupils, the years they are on roll, and their consents.

The services in services/registers/ own the rules and the transaction; these functions only find
and change rows in the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Row, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.sql import ColumnElement

from chatbot.adapters.db.models import ConsentRow, Draft, PicturedPupil, PupilRow, PupilYear
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import EDITABLE


@contextmanager
def rolled_back(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose changes are always rolled back, however the block ends (a dry run)."""
    session = sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


# -- pupils ------------------------------------------------------------------------------------


def pupil_by_id(session: Session, pupil_id: int) -> PupilRow | None:
    """The pupil with this id, or None (removed as a leaver, say)."""
    return session.get(PupilRow, pupil_id)


def pupil_by_upn(session: Session, upn: str) -> PupilRow | None:
    """The pupil with this UPN (as stored: upper case), or None."""
    return session.scalar(select(PupilRow).where(PupilRow.upn == upn))


def pupils_by_match_key(session: Session, key: str) -> list[PupilRow]:
    """Every pupil whose folded "first last" is `key`."""
    return list(session.scalars(select(PupilRow).where(PupilRow.match_key == key)))


def all_pupils(session: Session) -> list[PupilRow]:
    """Every pupil the school knows, on a register or not."""
    return list(session.scalars(select(PupilRow)))


def pupils_by_upn_or_key(
    session: Session, upns: Collection[str], keys: Collection[str]
) -> list[PupilRow]:
    """Pupils with one of these UPNs or match keys, their years and consents loaded."""
    return list(
        session.scalars(
            select(PupilRow)
            .where(or_(PupilRow.upn.in_(upns), PupilRow.match_key.in_(keys)))
            .options(selectinload(PupilRow.years), selectinload(PupilRow.consents))
        )
    )


def add_pupil(session: Session, pupil: PupilRow) -> None:
    """Add a new pupil (with its years and consents) to the session."""
    session.add(pupil)


def write_pending(session: Session) -> None:
    """Send the session's pending changes to the database now (ids assigned, constraints
    checked), without committing."""
    session.flush()


# -- the register of a year ------------------------------------------------------------------


def pupils_on_register(session: Session, year: AcademicYear) -> Sequence[Row[PupilRow, str]]:
    """(pupil, year group) of each pupil on `year`'s register, in no particular order."""
    return session.execute(
        select(PupilRow, PupilYear.year_group)
        .join(PupilYear, PupilYear.pupil_id == PupilRow.id)
        .where(PupilYear.academic_year == str(year))
    ).all()


def pupils_off_register(session: Session, year: AcademicYear) -> Sequence[PupilRow]:
    """Pupils the school knows who are not on `year`'s register."""
    return session.scalars(
        select(PupilRow).where(
            ~exists().where(PupilYear.pupil_id == PupilRow.id, PupilYear.academic_year == str(year))
        )
    ).all()


def on_register_among(session: Session, pupil_ids: Collection[int], year: AcademicYear) -> set[int]:
    """Which of these pupils (a non-empty set) are on `year`'s register."""
    return set(
        session.scalars(
            select(PupilYear.pupil_id).where(
                PupilYear.pupil_id.in_(pupil_ids), PupilYear.academic_year == str(year)
            )
        )
    )


def is_on_register(session: Session, pupil_id: int, year: AcademicYear) -> bool:
    """Whether the pupil is on `year`'s register."""
    return bool(
        session.scalar(
            select(
                exists().where(PupilYear.pupil_id == pupil_id, PupilYear.academic_year == str(year))
            )
        )
    )


def year_group_in(session: Session, pupil_id: int, year: AcademicYear) -> str | None:
    """The pupil's year group on `year`'s register, or None when not on it."""
    return session.scalar(
        select(PupilYear.year_group).where(
            PupilYear.pupil_id == pupil_id, PupilYear.academic_year == str(year)
        )
    )


# -- consents ----------------------------------------------------------------------------------


def consents_in_year(session: Session, year: AcademicYear) -> list[ConsentRow]:
    """Every consent record (any channel) for `year`."""
    return list(session.scalars(select(ConsentRow).where(ConsentRow.academic_year == str(year))))


def consents_for(
    session: Session, pupil_ids: Collection[int], year: AcademicYear, channel: str
) -> list[ConsentRow]:
    """The consent records of these pupils (a non-empty set) for one channel and year."""
    return list(
        session.scalars(
            select(ConsentRow).where(
                ConsentRow.pupil_id.in_(pupil_ids),
                ConsentRow.academic_year == str(year),
                ConsentRow.channel == channel,
            )
        )
    )


def consent_of(
    session: Session, pupil_id: int, year: AcademicYear, channel: str
) -> ConsentRow | None:
    """The pupil's consent record for one channel and year, or None."""
    return session.scalar(
        select(ConsentRow).where(
            ConsentRow.pupil_id == pupil_id,
            ConsentRow.academic_year == str(year),
            ConsentRow.channel == channel,
        )
    )


def add_consent(session: Session, consent: ConsentRow) -> None:
    """Add a new consent record to the session."""
    session.add(consent)


# -- leavers -----------------------------------------------------------------------------------


def _leavers(current_year: AcademicYear) -> ColumnElement[bool]:
    # Not on the register this year or later: a new intake imported in July stays.
    return ~exists().where(
        PupilYear.pupil_id == PupilRow.id, PupilYear.academic_year >= str(current_year)
    )


def leaver_count(session: Session, current_year: AcademicYear) -> int:
    """How many pupils are on no register of `current_year` or later."""
    return session.scalar(select(func.count(PupilRow.id)).where(_leavers(current_year))) or 0


def leaver_ids(session: Session, current_year: AcademicYear) -> list[int]:
    """The ids of pupils on no register of `current_year` or later."""
    return list(session.scalars(select(PupilRow.id).where(_leavers(current_year))))


def consent_count(session: Session, pupil_ids: Collection[int]) -> int:
    """How many consent records these pupils have (any year, any channel)."""
    return (
        session.scalar(select(func.count(ConsentRow.id)).where(ConsentRow.pupil_id.in_(pupil_ids)))
        or 0
    )


def flag_drafts_picturing(session: Session, pupil_ids: Collection[int]) -> None:
    """Mark each editable draft that pictures one of these pupils as picturing someone off the
    register."""
    session.execute(
        update(Draft)
        .where(
            Draft.state.in_([state.value for state in EDITABLE]),
            Draft.id.in_(
                select(PicturedPupil.draft_id).where(PicturedPupil.pupil_id.in_(pupil_ids))
            ),
        )
        .values(unregistered_pictured=True)
        .execution_options(synchronize_session=False)
    )


def delete_pupils(session: Session, pupil_ids: Collection[int]) -> None:
    """Delete these pupils; the foreign keys cascade to years, consents and photo declarations.

    Expires the whole session afterwards, as the bulk statements bypass its copies."""
    session.execute(
        delete(PupilRow)
        .where(PupilRow.id.in_(pupil_ids))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
