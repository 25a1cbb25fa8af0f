"""Every child in a photo can be declared (issue 10, item 4), as services with the in-memory
chat (tests/fakes/ports.py): a pupil only on last year's register is found and labelled, and
"someone who is not on the register" can be chosen; either is stored and blocks the photo with
photo-consent, which SLT cannot override, and the finding names nobody."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, PupilRow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.services import approval, intake
from chatbot.services.checking import settle, stored_verdict
from chatbot.services.ports import ChatFile, MessageRef
from chatbot.services.publishing.jobs import consent_problem
from chatbot.services.registers import import_roster, remove_leavers
from chatbot.services.roster_csv import parse_roster
from tests.conftest import FIXTURES, PHOTOS
from tests.fakes.ports import FakeChat

AUTHOR = Actor("U0STAFF01", is_slt=False)
HEAD = Actor("U0SLT0001", is_slt=True)
JPEG = (PHOTOS / "no-face.jpg").read_bytes()
THIS_YEAR = AcademicYear.at(datetime.now(UTC))
LAST_YEAR = AcademicYear(THIS_YEAR.start - 1)
LEAVER = "Harvey Patel (not on this year's register: no consent)"
HEADER = "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def chat() -> FakeChat:
    return FakeChat()


@pytest.fixture
def pupils(sessions: sessionmaker[Session]) -> dict[str, int]:
    """This year's sample register, and Harvey Patel, who left last summer (with consent
    then); pupil ids by first name."""
    lines = (FIXTURES / "roster.csv").read_text(encoding="utf-8").splitlines()
    current = [lines[0], *(line.replace("2026/27", str(THIS_YEAR)) for line in lines[1:])]
    leaver = f"{HEADER}website_consent\nHarvey,Patel,,6,{LAST_YEAR},yes,yes\n"
    with sessions.begin() as session:
        import_roster(session, parse_roster(leaver.encode()), actor="test", source="old.csv")
        data = ("\n".join(current) + "\n").encode()
        import_roster(session, parse_roster(data), actor="test", source="roster.csv")
        return {p.first_name: p.id for p in session.scalars(select(PupilRow))}


def photo_draft(sessions: sessionmaker[Session], chat: FakeChat, policy: Policy) -> int:
    file = ChatFile(id=f"f{next(_numbers)}", name="trip.jpg", mimetype="image/jpeg", size=9)
    chat.files[file.id] = JPEG
    incoming = intake.IncomingMessage(
        ref=MessageRef("drafts", f"m{next(_numbers)}"),
        user=AUTHOR.id,
        source_text="Our trip to the farm!",
        text="Our trip to the farm!",
        files=(file,),
    )
    draft_id = intake.receive(sessions, chat, policy, incoming)
    assert draft_id is not None
    return draft_id


def draft_of(sessions: sessionmaker[Session], draft_id: int) -> tuple[DraftState, list[str]]:
    """The draft's state and its photo-consent findings' messages and excerpts."""
    with sessions() as session:
        draft = session.get_one(Draft, draft_id)
        texts = [f"{f.message} | {f.excerpt}" for f in draft.findings if f.rule == "photo-consent"]
        return DraftState(draft.state), texts


def test_the_typeahead_finds_a_leaver_with_the_note_and_always_offers_anyone(
    sessions: sessionmaker[Session], pupils: dict[str, int]
) -> None:
    assert intake.suggest_pupils(sessions, "harv") == [
        (str(pupils["Harvey"]), LEAVER),
        intake.UNREGISTERED_CHOICE,
    ]
    # this year's pupils first; "someone who is not on the register" whatever is typed
    found = intake.suggest_pupils(sessions, "a")
    assert found[-1] == ("unregistered", "Someone who is not on the register (no consent)")
    labels = [label for _value, label in found]
    assert labels.index(LEAVER) > labels.index("Mohammed Khan (Year 6)")
    assert intake.suggest_pupils(sessions, "nobody-called-this") == [intake.UNREGISTERED_CHOICE]


def test_a_leaver_is_stored_blocks_and_cannot_be_overridden(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, pupils: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(pupil_ids=(pupils["Harvey"], pupils["Mohammed"]))
    result = intake.declare(sessions, policy, draft_id, AUTHOR, declared)
    assert result.stored  # true, so kept: the author and SLT see why it is blocked
    hint = result.errors["pictured_pupils"]
    assert "Not on this year's register, so no consent: Harvey Patel." in hint
    assert "Mohammed" not in hint  # he has consent
    state, consent = draft_of(sessions, draft_id)
    assert state is DraftState.NEEDS_CHANGES
    [finding] = consent
    assert finding.startswith("A pictured child is not on this year's register (no consent)")
    assert "Harvey" not in finding
    assert "Patel" not in finding
    with sessions() as session:
        assert not stored_verdict(session.get_one(Draft, draft_id)).overridable
    refused = approval.override(sessions, chat, policy, draft_id, HEAD, reason="It's fine")
    assert refused == approval.Answer(False, approval.NOT_OVERRIDABLE)
    assert draft_of(sessions, draft_id)[0] is DraftState.NEEDS_CHANGES
    # opened again, the form shows both as they were offered
    form = intake.declaration_form(sessions, draft_id, AUTHOR)
    assert not isinstance(form, str)
    assert form.pupils == (
        (str(pupils["Harvey"]), LEAVER),
        (str(pupils["Mohammed"]), "Mohammed Khan (Year 6)"),
    )


def test_someone_not_on_the_register_is_stored_and_blocks(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, pupils: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    both = intake.Declaration(no_pupils=True, unregistered=True)
    contradiction = intake.declare(sessions, policy, draft_id, AUTHOR, both)
    assert "do one or the other" in contradiction.errors["pictured_pupils"]
    assert not contradiction.stored

    declared = intake.Declaration(unregistered=True, alt_texts=("Children and a goat",))
    result = intake.declare(sessions, policy, draft_id, AUTHOR, declared)
    assert result.stored
    assert "Someone who is not on the register has no consent." in result.errors["pictured_pupils"]
    state, consent = draft_of(sessions, draft_id)
    assert state is DraftState.NEEDS_CHANGES
    assert consent == [
        "A pictured child is not on the register, so there is no Twitter consent for them. "
        "Take out the photos showing this child. | "
    ]
    form = intake.declaration_form(sessions, draft_id, AUTHOR)
    assert not isinstance(form, str)
    assert form.declaration.unregistered
    assert form.pupils == (intake.UNREGISTERED_CHOICE,)
    with sessions() as session:
        problem = consent_problem(session, session.get_one(Draft, draft_id), datetime.now(UTC))
    assert problem == "a pictured child is not on the register"

    # Corrected (the child was not in the photo after all), the draft goes on.
    fixed = intake.declare(sessions, policy, draft_id, AUTHOR, intake.Declaration(no_pupils=True))
    assert fixed.ok
    assert draft_of(sessions, draft_id) == (DraftState.PENDING_APPROVAL, [])


def test_removing_a_pictured_leaver_keeps_the_draft_blocked(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, pupils: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(pupil_ids=(pupils["Harvey"],))
    assert intake.declare(sessions, policy, draft_id, AUTHOR, declared).stored
    with sessions.begin() as session:
        assert remove_leavers(session, THIS_YEAR, actor="office") == 1
    with sessions.begin() as session:
        draft = session.get_one(Draft, draft_id)
        assert (draft.pictured, draft.unregistered_pictured) == ([], True)
        # checked again (an approval does that), it is still blocked, now as "not on the register"
        settle(session, draft_id, policy, datetime.now(UTC), actor="test")
    state, consent = draft_of(sessions, draft_id)
    assert state is DraftState.NEEDS_CHANGES
    assert [c.split(",")[0] for c in consent] == ["A pictured child is not on the register"]


def test_an_unknown_id_is_still_refused_and_nothing_is_stored(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, pupils: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    forged = intake.Declaration(pupil_ids=(999_999,), unregistered=True)
    result = intake.declare(sessions, policy, draft_id, AUTHOR, forged)
    assert result.errors == {"pictured_pupils": intake.NOT_ON_REGISTER}
    assert not result.stored
    assert draft_of(sessions, draft_id)[0] is DraftState.AWAITING_DECLARATION
    assert intake.parse_choices(["12", "unregistered"]) == ((12,), True)
    assert intake.parse_choices(["12", "Summer Jones"]) is None
