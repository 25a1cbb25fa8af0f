"""Intake and the photo declaration as services: drafts arriving, redelivered, edited and
withdrawn, and who is pictured, told through the in-memory chat (tests/fakes/ports.py).

No chat platform: what the author and SLT would see is what the services told `FakeChat`.
The services still open their own transactions, so these run on the test database.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import Draft, OutboxItem, PupilRow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.drafts import DraftState
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.services import approval, intake
from chatbot.services.ports import ChatFile, MessageRef
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.conftest import FIXTURES, PHOTOS
from tests.fakes.ports import FakeChat, MemoryRefs

AUTHOR = Actor("U0STAFF01", is_slt=False)
COLLEAGUE = Actor("U0STAFF02", is_slt=False)
HEAD = Actor("U0SLT0001", is_slt=True)
JPEG = (PHOTOS / "no-face.jpg").read_bytes()
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def chat() -> FakeChat:
    return FakeChat()


def message(
    text: str = "Our new library is open!",
    *,
    ref: MessageRef | None = None,
    files: tuple[ChatFile, ...] = (),
) -> intake.IncomingMessage:
    return intake.IncomingMessage(
        ref=ref or MessageRef("drafts", f"m{next(_numbers)}"),
        user=AUTHOR.id,
        source_text=text,
        text=text,
        files=files,
    )


def state(sessions: sessionmaker[Session], draft_id: int) -> DraftState:
    with sessions() as session:
        return DraftState(session.get_one(Draft, draft_id).state)


def draft_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Draft)) or 0)


def outbox_states(sessions: sessionmaker[Session], draft_id: int) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(select(OutboxItem.state).where(OutboxItem.draft_id == draft_id))
        )


def photo(chat: FakeChat, name: str = "library.jpg") -> ChatFile:
    file = ChatFile(id=f"file{next(_numbers)}", name=name, mimetype="image/jpeg", size=len(JPEG))
    chat.files[file.id] = JPEG
    return file


# -- new messages ------------------------------------------------------------------------------


def test_a_message_becomes_a_checked_draft_and_slt_see_its_card(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message()
    draft_id = intake.receive(sessions, chat, policy, incoming)
    assert draft_id is not None
    assert state(sessions, draft_id) is DraftState.PENDING_APPROVAL
    # The findings in the thread first, then the card: the author hears before SLT decide.
    assert chat.calls == [("post_checks", draft_id, ()), ("refresh_card", draft_id)]
    with sessions() as session:
        assert chat.refs.find_draft(session, incoming.ref) == draft_id
        assert chat.refs.message_of(session, draft_id) == incoming.ref


def test_a_redelivered_message_is_not_a_second_draft(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message()
    assert intake.receive(sessions, chat, policy, incoming) is not None
    calls = list(chat.calls)
    assert intake.receive(sessions, chat, policy, incoming) is None
    assert draft_count(sessions) == 1
    assert chat.calls == calls  # nobody is told twice


class _BlindRefs(MemoryRefs):
    """Refs that miss a link still being made, as a racing delivery in another process does."""

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        return None


def test_the_loser_of_two_racing_deliveries_leaves_no_draft(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    chat = FakeChat(memory_refs=_BlindRefs())
    incoming = message()
    assert intake.receive(sessions, chat, policy, incoming) is not None
    assert intake.receive(sessions, chat, policy, incoming) is None  # link_draft refused it
    assert draft_count(sessions) == 1


def test_a_photo_waits_for_the_author_to_say_who_is_pictured(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    file = photo(chat)
    draft_id = intake.receive(sessions, chat, policy, message(files=(file,)))
    assert draft_id is not None
    assert state(sessions, draft_id) is DraftState.AWAITING_DECLARATION
    assert chat.named("fetch_file") == [(file.id,)]
    with sessions() as session:
        assert chat.refs.photo_files(session, draft_id) == [file.id]


def test_a_file_that_cannot_be_downloaded_is_explained_in_the_thread(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    gone = ChatFile(id="gone", name="sports.jpg", mimetype="image/jpeg")
    video = ChatFile(id="v1", name="clip.mp4", mimetype="video/mp4")
    draft_id = intake.receive(sessions, chat, policy, message(files=(gone, video)))
    assert draft_id is not None
    [notices] = chat.checks(draft_id)
    assert any("sports.jpg could not be downloaded" in n for n in notices)
    assert any("clip.mp4 is a video" in n for n in notices)
    assert chat.named("fetch_file") == [("gone",)]  # a video is never downloaded


def test_the_card_is_shown_even_when_the_thread_reply_fails(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    chat = FakeChat(broken={"post_checks"})
    draft_id = intake.receive(sessions, chat, policy, message())
    assert chat.redraws(draft_id or 0) == 1


# -- edits and withdrawals ---------------------------------------------------------------------


def test_an_edit_after_approval_needs_approving_again(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message()
    draft_id = intake.receive(sessions, chat, policy, incoming)
    assert draft_id is not None
    assert approval.approve(sessions, chat, policy, draft_id, HEAD).ok
    assert outbox_states(sessions, draft_id) == ["queued"]
    chat.calls.clear()

    edited = message("Our new library is open every day!", ref=incoming.ref)
    assert intake.edit(sessions, chat, policy, edited) is True

    assert state(sessions, draft_id) is DraftState.PENDING_APPROVAL
    assert outbox_states(sessions, draft_id) == ["cancelled"]
    [notices] = chat.checks(draft_id)
    assert notices[0] == "The draft was edited after approval, so it needs approving again."
    assert chat.redraws(draft_id) == 1
    with sessions() as session:
        draft = session.get_one(Draft, draft_id)
        assert (draft.text, draft.decided_by, draft.revision) == (edited.text, None, 2)


def test_an_unchanged_edit_changes_nothing(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message()
    assert intake.receive(sessions, chat, policy, incoming) is not None
    chat.calls.clear()
    assert intake.edit(sessions, chat, policy, incoming) is False  # an unfurl, a thread count
    assert chat.calls == []


def test_an_edit_after_publishing_tells_the_author_how_to_take_it_down(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message()
    draft_id = intake.receive(sessions, chat, policy, incoming)
    assert draft_id is not None
    with sessions.begin() as session:
        session.get_one(Draft, draft_id).state = DraftState.PUBLISHED.value
    assert intake.edit(sessions, chat, policy, message("Changed", ref=incoming.ref)) is False
    assert chat.told(draft_id) == [intake.takedown_note("X").plain]
    assert state(sessions, draft_id) is DraftState.PUBLISHED


def test_withdrawing_cancels_the_approval_and_redraws_the_card(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy
) -> None:
    incoming = message(files=())
    draft_id = intake.receive(sessions, chat, policy, incoming)
    assert draft_id is not None
    assert approval.approve(sessions, chat, policy, draft_id, HEAD).ok
    chat.calls.clear()
    assert intake.withdraw(sessions, chat, incoming.ref, AUTHOR.id) is True
    assert state(sessions, draft_id) is DraftState.WITHDRAWN
    assert outbox_states(sessions, draft_id) == ["cancelled"]
    assert chat.calls == [("refresh_card", draft_id)]
    assert intake.withdraw(sessions, chat, MessageRef("drafts", "unknown"), AUTHOR.id) is False


# -- who is pictured ---------------------------------------------------------------------------


@pytest.fixture
def roster(sessions: sessionmaker[Session]) -> dict[str, int]:
    """The sample register, this school year; pupil ids by first name."""
    year = str(AcademicYear.at(datetime.now(UTC)))
    lines = (FIXTURES / "roster.csv").read_text(encoding="utf-8").splitlines()
    data = "\n".join([lines[0], *(line.replace("2026/27", year) for line in lines[1:])]) + "\n"
    with sessions.begin() as session:
        import_roster(session, parse_roster(data.encode()), actor="test", source="roster.csv")
        return {p.first_name: p.id for p in session.scalars(select(PupilRow))}


def photo_draft(sessions: sessionmaker[Session], chat: FakeChat, policy: Policy) -> int:
    draft_id = intake.receive(sessions, chat, policy, message(files=(photo(chat),)))
    assert draft_id is not None
    return draft_id


def test_declaring_no_pupils_sends_the_draft_to_slt(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, roster: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(no_pupils=True, alt_texts=("Shelves of new books",))
    result = intake.declare(sessions, policy, draft_id, AUTHOR, declared)
    assert (result.ok, result.stored) == (True, True)
    assert state(sessions, draft_id) is DraftState.PENDING_APPROVAL
    with sessions() as session:
        assert session.get_one(Draft, draft_id).photos[0].alt_text == "Shelves of new books"


def test_pupils_with_consent_may_be_pictured(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, roster: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(pupil_ids=(roster["Mohammed"],), alt_texts=("Reading",))
    assert intake.declare(sessions, policy, draft_id, AUTHOR, declared).ok
    assert state(sessions, draft_id) is DraftState.PENDING_APPROVAL


def test_a_pupil_without_consent_is_stored_and_blocks_the_draft(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, roster: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(pupil_ids=(roster["Summer"],), alt_texts=("Reading",))
    result = intake.declare(sessions, policy, draft_id, AUTHOR, declared)
    assert result.stored
    assert (
        "No Twitter consent this school year for: Summer Jones" in result.errors["pictured_pupils"]
    )
    assert state(sessions, draft_id) is DraftState.NEEDS_CHANGES


def test_a_contradictory_declaration_is_refused_and_not_stored(
    sessions: sessionmaker[Session], chat: FakeChat, policy: Policy, roster: dict[str, int]
) -> None:
    draft_id = photo_draft(sessions, chat, policy)
    declared = intake.Declaration(pupil_ids=(roster["Mohammed"],), no_pupils=True)
    result = intake.declare(sessions, policy, draft_id, AUTHOR, declared)
    assert not result.ok
    assert not result.stored
    assert state(sessions, draft_id) is DraftState.AWAITING_DECLARATION
    # SLT may declare for the author; a colleague may not.
    assert not intake.declare(
        sessions, policy, draft_id, COLLEAGUE, intake.Declaration(no_pupils=True)
    ).stored
    assert intake.declare(sessions, policy, draft_id, HEAD, intake.Declaration(no_pupils=True)).ok
