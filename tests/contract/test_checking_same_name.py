"""Two pupils with one name (told apart by their UPNs): the card's consent check is about the
pupil who was chosen in the form, not the first of that name on the register; the pickers show
them as two."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, PicturedPupil, PupilRow, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.services import registers
from chatbot.services.checking import content_of
from chatbot.services.intake import suggest_choices
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import FIELDS, parse_roster

YEAR = AcademicYear.at(utcnow())


def test_each_same_name_pupils_own_consent_counts(sessions: sessionmaker[Session]) -> None:
    lines = [
        "upn," + ",".join(FIELDS),
        f"K801200001001,Amy,Smith,,3,{YEAR},no,no",  # first on the register: no consent
        f"K801200001002,Amy,Smith,,5,{YEAR},yes,no",
    ]
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(("\n".join(lines) + "\n").encode()), actor="t", source="r.csv"
        )
    day = date(YEAR.start, 10, 1)
    with sessions.begin() as session:
        ids = {p.upn: p.id for p in session.scalars(select(PupilRow))}
        seen = {}
        for upn, pupil_id in ids.items():
            draft = Draft(author_id="U0STAFF01", text="Sports day", declared=True)
            session.add(draft)
            session.flush()
            session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil_id))
            session.flush()
            session.refresh(draft)
            content = content_of(session, draft, day)
            seen[upn] = (content.pictured, content.pictured_consent)
    assert seen == {
        "K801200001001": (("Amy Smith",), (False,)),
        "K801200001002": (("Amy Smith",), (True,)),
    }


def test_the_pickers_tell_same_name_pupils_of_one_year_apart(
    sessions: sessionmaker[Session],
) -> None:
    lines = [
        "upn," + ",".join(FIELDS),
        f"K801200001001,Amy,Lee,,3,{YEAR},yes,no",
        f"K801200001002,Amy,Lee,,3,{YEAR},no,no",
        f"K801200001003,Amy,Lewis,,3,{YEAR},yes,no",
    ]
    with sessions.begin() as session:
        import_roster(
            session, parse_roster(("\n".join(lines) + "\n").encode()), actor="t", source="r.csv"
        )
    office = Actor("U0OFFICE1", is_office=True)
    consent_labels = sorted(
        label for _id, label in registers.office.consent_pupils(sessions, office, "amy")
    )
    assert consent_labels == [
        "Amy Lee (Year 3, UPN K801200001001)",
        "Amy Lee (Year 3, UPN K801200001002)",
        "Amy Lewis (Year 3)",
    ]
    declared = {label for _value, label in suggest_choices(sessions, "amy", anyone=False)}
    assert declared == set(consent_labels)
