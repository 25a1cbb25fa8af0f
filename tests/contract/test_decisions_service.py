"""Who may decide, checked by the services themselves (the SQLite or PostgreSQL store, no Slack).

Only SLT decide, never on a draft they wrote; a forged or malformed id is refused with a clear
message; a refusal changes nothing. The author's own form (Edit, Withdraw) works only on a draft
composed in the form.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft, NetworkPost, utcnow
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.domain.actors import Actor
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.drafts import DraftState
from chatbot.domain.ids import parse_id
from chatbot.domain.messages import as_message
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.services import approval, intake
from chatbot.services.approval import NOT_A_DRAFT, NOT_SLT, OWN_DRAFT, Answer
from chatbot.services.ports import MessageRef
from chatbot.services.publishing import commands as publishing
from tests.fakes.ports import FakeChat as Chat

AUTHOR = Actor("U0SLT0009", is_slt=True)  # a member of SLT who wrote the draft
HEAD = Actor("U0SLT0001", is_slt=True)
TEACHER = Actor("U0STAFF01", is_slt=False)
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def add_draft(sessions: sessionmaker[Session], state: DraftState, author: str = AUTHOR.id) -> int:
    with sessions.begin() as session:
        draft = Draft(
            author_id=author,
            source_text="Our new library is open!",
            text="Our new library is open!",
            state=state.value,
            verdict="pass",
        )
        session.add(draft)
        session.flush()
        if state is DraftState.PUBLISHED:
            session.add(NetworkPost(draft_id=draft.id, network="x", post_id="1", url=""))
        return draft.id


def state_of(sessions: sessionmaker[Session], draft_id: int) -> str:
    with sessions() as session:
        return session.get_one(Draft, draft_id).state


def audit_rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


Act = Callable[[sessionmaker[Session], Chat, Policy, int | None, Actor], Answer]
LATER = utcnow() + timedelta(days=1)

# Each SLT decision: the state it acts on, how to make it, the state it leaves.
DECISIONS: dict[str, tuple[DraftState, Act, DraftState]] = {
    "approve": (
        DraftState.PENDING_APPROVAL,
        approval.approve,
        DraftState.APPROVED,
    ),
    "schedule": (
        DraftState.PENDING_APPROVAL,
        lambda s, c, p, i, a: approval.approve(s, c, p, i, a, not_before=LATER),
        DraftState.SCHEDULED,
    ),
    "reject": (
        DraftState.PENDING_APPROVAL,
        lambda s, c, p, i, a: approval.reject(s, c, i, a, reason="Wrong date"),
        DraftState.REJECTED,
    ),
    "override": (
        DraftState.NEEDS_CHANGES,
        lambda s, c, p, i, a: approval.override(s, c, p, i, a, reason="Checked by hand"),
        DraftState.APPROVED,
    ),
    "retry": (
        DraftState.FAILED,
        lambda s, c, p, i, a: publishing.retry(s, c, i, a),
        DraftState.APPROVED,
    ),
    "cancel schedule": (
        DraftState.SCHEDULED,
        lambda s, c, p, i, a: publishing.cancel_schedule(s, c, i, a),
        DraftState.PENDING_APPROVAL,
    ),
    "take down": (
        DraftState.PUBLISHED,
        lambda s, c, p, i, a: publishing.request_takedown(s, c, i, a, "A parent asked"),
        DraftState.PUBLISHED,  # the worker deletes it from X
    ),
    "mark published": (
        DraftState.NEEDS_REVIEW,
        lambda s, c, p, i, a: publishing.mark_published(
            s, c, i, a, "https://x.com/HuntsCrossPri/status/12", limits=X_LIMITS
        ),
        DraftState.PUBLISHED,
    ),
}
# Override needs findings SLT may override; the checks of this text find none, so it is
# refused as not overridable even for SLT (that path has its own Slack tests).
ALLOWED = [name for name in DECISIONS if name != "override"]


@pytest.mark.parametrize("name", ALLOWED)
def test_slt_may_decide(sessions: sessionmaker[Session], policy: Policy, name: str) -> None:
    before, act, after = DECISIONS[name]
    draft_id = add_draft(sessions, before)
    chat = Chat()
    answer = act(sessions, chat, policy, draft_id, HEAD)
    assert answer == Answer(True)
    assert state_of(sessions, draft_id) == after.value
    assert (draft_id,) in chat.named("refresh_card")


@pytest.mark.parametrize("name", list(DECISIONS))
@pytest.mark.parametrize(
    ("actor", "refusal"),
    [(TEACHER, NOT_SLT), (AUTHOR, OWN_DRAFT)],
    ids=["a teacher", "the author, though SLT"],
)
def test_only_slt_and_never_the_author(
    sessions: sessionmaker[Session], policy: Policy, name: str, actor: Actor, refusal: str
) -> None:
    before, act, _ = DECISIONS[name]
    draft_id = add_draft(sessions, before)
    rows = audit_rows(sessions)
    chat = Chat()
    assert act(sessions, chat, policy, draft_id, actor) == Answer(False, refusal)
    assert state_of(sessions, draft_id) == before.value
    assert audit_rows(sessions) == rows
    assert chat.calls == []


@pytest.mark.parametrize("name", list(DECISIONS))
@pytest.mark.parametrize("value", ["-5", "1.5", "", "1 OR 1=1", "٣", "9" * 13, "999999"])
def test_forged_ids_are_refused_clearly(
    sessions: sessionmaker[Session], policy: Policy, name: str, value: str
) -> None:
    before, act, _ = DECISIONS[name]
    draft_id = add_draft(sessions, before)
    chat = Chat()
    assert act(sessions, chat, policy, parse_id(value), HEAD) == Answer(False, NOT_A_DRAFT)
    assert state_of(sessions, draft_id) == before.value
    assert chat.calls == []


def test_a_decision_in_the_wrong_state_says_who_decided(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    draft_id = add_draft(sessions, DraftState.PENDING_APPROVAL)
    assert approval.approve(sessions, Chat(), policy, draft_id, HEAD).ok
    deputy = Actor("U0SLT0002", is_slt=True)
    refused = approval.reject(sessions, Chat(), draft_id, deputy, reason="Too late")
    assert not refused.ok
    assert as_message(refused.message).plain.startswith("Already approved by U0SLT0001")


@pytest.mark.parametrize(
    ("check", "state"),
    [
        (approval.may_reject, DraftState.PENDING_APPROVAL),
        (approval.may_schedule, DraftState.PENDING_APPROVAL),
        (approval.check_may_override, DraftState.NEEDS_CHANGES),
        (publishing.may_take_down, DraftState.PUBLISHED),
        (publishing.may_mark_published, DraftState.NEEDS_REVIEW),
    ],
)
def test_forms_open_only_for_who_may_submit_them(
    sessions: sessionmaker[Session],
    check: Callable[[sessionmaker[Session], int | None, Actor], Answer],
    state: DraftState,
) -> None:
    draft_id = add_draft(sessions, state)
    assert check(sessions, draft_id, TEACHER) == Answer(False, NOT_SLT)
    assert check(sessions, draft_id, AUTHOR) == Answer(False, OWN_DRAFT)
    assert check(sessions, parse_id("-5"), HEAD) == Answer(False, NOT_A_DRAFT)


def test_override_refused_when_the_checks_do_not_allow_it(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    draft_id = add_draft(sessions, DraftState.NEEDS_CHANGES)
    assert approval.check_may_override(sessions, draft_id, HEAD) == Answer(
        False, approval.NOT_OVERRIDABLE
    )


# -- the author's own form ---------------------------------------------------------------------


def received(
    sessions: sessionmaker[Session],
    chat: Chat,
    policy: Policy,
    *,
    composed: bool,
    user: str = "U0STAFF01",
) -> int:
    message = intake.IncomingMessage(
        ref=MessageRef("C0DRAFTS1", f"2.{next(_numbers):06d}"),
        user=user,
        source_text="Sports day is on Friday!",
        text="Sports day is on Friday!",
        composed=composed,
    )
    draft_id = intake.receive(sessions, chat, policy, message)
    assert draft_id is not None
    return draft_id


@pytest.mark.parametrize("verb", ["edit", "withdraw"])
def test_the_form_changes_only_a_draft_composed_in_it(
    sessions: sessionmaker[Session], policy: Policy, verb: str
) -> None:
    chat = Chat()
    composed = received(sessions, chat, policy, composed=True)
    ordinary = received(sessions, chat, policy, composed=False)
    own = intake.composed_draft(sessions, chat, composed, TEACHER, verb)
    assert isinstance(own, intake.OwnDraft)
    assert (own.id, own.text) == (composed, "Sports day is on Friday!")
    # A forged Edit click on the author's ordinary draft: its message is theirs to edit.
    refused = intake.composed_draft(sessions, chat, ordinary, TEACHER, verb)
    assert refused == intake.not_composed(chat.words)
    assert "not with /tweet" in refused
    refusal = f"Only its author can {verb} this draft."
    assert intake.composed_draft(sessions, chat, composed, HEAD, verb) == refusal
    assert intake.composed_draft(sessions, chat, parse_id("-5"), TEACHER, verb) == refusal
    nobody = Actor("", is_slt=False)
    assert intake.composed_draft(sessions, chat, composed, nobody, verb) == refusal


def test_declaring_is_for_the_author_or_slt(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    draft_id = received(sessions, Chat(), policy, composed=False)
    other = Actor("U0STAFF02", is_slt=False)
    declaration = intake.Declaration((), no_pupils=True, alt_texts=(), source=None)
    result = intake.declare(sessions, policy, draft_id, other, declaration)
    assert result.errors == {"pictured_pupils": "Only the author or SLT can say who is pictured."}
    result = intake.declare(sessions, policy, parse_id("-5"), TEACHER, declaration)
    assert not result.ok
    assert not result.stored


def test_the_author_hears_each_decision_in_the_drafts_thread(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    approved, rejected = (add_draft(sessions, DraftState.PENDING_APPROVAL) for _ in range(2))
    chat = Chat()
    assert approval.approve(sessions, chat, policy, approved, HEAD).ok
    assert approval.reject(sessions, chat, rejected, HEAD, reason="Wrong date").ok
    [said] = chat.told(approved)
    assert said.startswith("Approved by")
    [said] = chat.told(rejected)
    assert said.startswith("Not approved by")
    assert said.endswith("Reason: Wrong date")
    assert (chat.redraws(approved), chat.redraws(rejected)) == (1, 1)
    assert chat.approvers_told() == []


def test_the_core_names_the_network_and_the_chat_it_is_wired_with(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    """No network or chat platform is written into the core: another's names come through."""
    other = dataclasses.replace(
        X_LIMITS,
        network="fedi",
        name="Mastodon",
        post_link=r"^https://school\.social/@school/(\d+)",
        post_link_example="https://school.social/@school/1",
    )
    words = ChatWords(compose="the New post button", room="team", thread="replies")
    chat = Chat(limits=other, words=words)
    draft_id = add_draft(sessions, DraftState.PENDING_APPROVAL)
    assert approval.approve(sessions, chat, policy, draft_id, HEAD).ok
    [said] = chat.told(draft_id)
    assert said.endswith("; it is being posted on Mastodon.")
    marked = add_draft(sessions, DraftState.NEEDS_REVIEW)
    refused = publishing.mark_published(
        sessions, chat, marked, HEAD, "https://x.com/HuntsCrossPri/status/12", limits=other
    )
    assert refused.message == (
        "that is not the link to a post on Mastodon (like https://school.social/@school/1)"
    )
    assert intake.not_composed(words) == (
        "This draft was posted as a message, not with the New post button: edit or delete the "
        "message instead."
    )
    assert "X" not in intake.takedown_note("Mastodon").plain
