"""The choices of "who is pictured?": this year's pupils, pupils only on another year's
register, and "someone who is not on the register".

Every child in a photo can be declared, so that "no pupils are pictured" is never the only way
on. A choice is (value, label): the value is what the form sends back, a pupil's id or
`UNREGISTERED`, so one multi-select carries both and an old form's bare ids still work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.intake import pupils_by_ids
from chatbot.adapters.db.models import utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.ids import parse_id
from chatbot.domain.pupils import Pupil, told_apart
from chatbot.services.registers import load_register, search_off_register, search_pupils

Choice = tuple[str, str]  # (the value the form sends back, the label a person reads)

UNREGISTERED = "unregistered"
UNREGISTERED_LABEL = "Someone who is not on the register (no consent)"
UNREGISTERED_CHOICE: Choice = (UNREGISTERED, UNREGISTERED_LABEL)
OFF_REGISTER = " (not on this year's register: no consent)"
LABEL_LIMIT = 75  # what a picker shows of a label (the tightest chat platform's limit)


def off_register_label(pupil: Pupil) -> str:
    """ "First Last (not on this year's register: no consent)", the name shortened rather
    than the warning when it is too long to show."""
    room = LABEL_LIMIT - len(OFF_REGISTER)
    name = pupil.full_name if len(pupil.full_name) <= room else pupil.full_name[: room - 1] + "…"
    return name + OFF_REGISTER


def _pupil_choices(pupils: Iterable[Pupil], *, on_register: bool) -> list[Choice]:
    known = [p for p in pupils if p.id is not None]
    labels = [p.label if on_register else off_register_label(p) for p in known]
    return [(str(p.id), label) for p, label in zip(known, told_apart(known, labels), strict=True)]


def suggest_choices(
    sessions: sessionmaker[Session], query: str, *, limit: int = 20, anyone: bool = True
) -> list[Choice]:
    """What the type-ahead offers for `query`: this year's pupils first, then pupils on no
    register of this year, then (with `anyone`) "someone who is not on the register", which
    is offered whatever is typed: the child may share a name with a pupil."""
    words = query.strip()
    choices: list[Choice] = []
    if words:
        year = AcademicYear.at(utcnow())
        with transaction(sessions) as session:
            current = search_pupils(session, words, year, limit=limit)
            choices += _pupil_choices(current, on_register=True)
            others = search_off_register(session, words, year, limit=limit - len(choices))
            choices += _pupil_choices(others, on_register=False)
    if anyone:
        choices.append(UNREGISTERED_CHOICE)
    return choices


def every_choice(sessions: sessionmaker[Session]) -> list[Choice]:
    """Every declarable choice, for a form that filters them itself: this year's register,
    the pupils on no register of this year, and "someone who is not on the register"."""
    year = AcademicYear.at(utcnow())
    with transaction(sessions) as session:
        current = [e.pupil for e in load_register(session, year).entries]
        others = search_off_register(session, "", year, limit=100_000)
    return [
        *_pupil_choices(current, on_register=True),
        *_pupil_choices(others, on_register=False),
        UNREGISTERED_CHOICE,
    ]


def chosen_choices(
    session: Session, pupil_ids: Sequence[int], unregistered: bool, year: AcademicYear
) -> tuple[Choice, ...]:
    """The labels of what was chosen, in the order chosen (ids no longer known are left out)."""
    labels = {p.id: p.label for p in load_register(session, year).pupils if p.id in pupil_ids}
    missing = [i for i in pupil_ids if i not in labels]
    if missing:
        for row in pupils_by_ids(session, missing):
            labels[row.id] = off_register_label(Pupil(row.first_name, row.last_name))
    chosen = [(str(i), labels[i]) for i in pupil_ids if i in labels]
    if unregistered:
        chosen.append(UNREGISTERED_CHOICE)
    return tuple(chosen)


def chosen_labels(
    sessions: sessionmaker[Session], pupil_ids: Sequence[int], unregistered: bool
) -> tuple[Choice, ...]:
    """`chosen_choices` in a transaction of its own, for a form shown again after an error."""
    with transaction(sessions) as session:
        return chosen_choices(session, pupil_ids, unregistered, AcademicYear.at(utcnow()))


def parse_choices(values: Iterable[str]) -> tuple[tuple[int, ...], bool] | None:
    """(pupil ids, whether "someone not on the register" is among them) from what the form
    sent back; None when a value is neither, so the form can ask to choose again."""
    ids: list[int] = []
    unregistered = False
    for raw in values:
        value = raw.strip()
        if value == UNREGISTERED:
            unregistered = True
        elif (pupil_id := parse_id(value)) is not None:
            ids.append(pupil_id)
        else:
            return None
    return tuple(ids), unregistered
