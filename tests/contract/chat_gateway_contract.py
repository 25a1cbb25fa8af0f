"""What every chat adapter's gateway must do (`ChatGateway`, `DraftChat`, `MessageRefs` and,
when it offers one, `BlockRequester` in services/ports.py), checked against its platform's fake.

A platform runs the suite by subclassing `ChatGatewayContract` with a `harness` fixture that
yields a `ChatHarness` (see test_chat_gateway_contract.py): it makes the gateway, makes drafts'
messages and shared files as the platform would deliver them, and reads back what the platform
shows, in neutral terms (`Shown`: the words, the actions offered by their ids, who is
mentioned, how often it was changed in place). Action ids are the ones both platforms use
(Slack action ids, Teams `Action.Execute` verbs): draft_approve, draft_reject, ...
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Alert, Draft, FindingRow, NetworkPost, Photo
from chatbot.domain.alerts import AlertState
from chatbot.domain.drafts import DraftState
from chatbot.services.ports import BlockRequester, ChatFile, DraftChat, FileUnavailable, MessageRef
from tests.conftest import PHOTOS

AUTHOR = "U0STAFF01"
OTHER = "U0STAFF02"
SLT = "U0SLT0001"
TEXT = "Our new library is open!"
JPEG = (PHOTOS / "no-face.jpg").read_bytes()
DECIDE = frozenset({"draft_approve", "draft_reject"})
TAKEDOWN = "draft_takedown"
OVERRIDE = "draft_override"
DECLARE = "draft_declare"


@dataclass(frozen=True, slots=True)
class Shown:
    """A message as the platform shows it now."""

    text: str  # every word of it (the fallback text and the card's), in one string
    actions: frozenset[str]  # the action ids or verbs it offers
    mentions: frozenset[str]  # the user ids it mentions
    updates: int = 0  # how many times it was changed in place after being posted


class ChatHarness(Protocol):
    """One platform's gateway and its fake, seen in neutral terms."""

    sessions: sessionmaker[Session]

    def gateway(self) -> DraftChat:
        """A gateway for the platform (a second call: another, as in a second process)."""

    def deliver(self, author: str, text: str) -> MessageRef:
        """A draft's message, posted by `author` in the drafts place, as the bot receives it."""

    def shared_file(self, data: bytes, *, name: str, mimetype: str) -> ChatFile:
        """A file the platform holds, described as it arrives with a message."""

    def missing_file(self) -> ChatFile:
        """A file described by a message that the platform cannot give."""

    def cards(self) -> list[Shown]:
        """The approval cards in the approvals place, oldest first."""

    def approvals_posts(self) -> list[Shown]:
        """Plain messages (not cards, not thread replies) in the approvals place."""

    def replies(self, ref: MessageRef) -> list[Shown]:
        """The bot's replies in the thread of the message `ref`."""

    def alert_cards(self) -> list[Shown]:
        """The alert cards in the safeguarding place."""

    def direct_messages(self, user_id: str) -> list[Shown]:
        """The bot's private messages to `user_id`."""

    def block_requester(self) -> BlockRequester | None:
        """What the monitors use to ask staff to block an account, if the platform has one."""


# -- the store, as the services leave it -----------------------------------------------------


def add_draft(
    harness: ChatHarness,
    chat: DraftChat,
    state: DraftState,
    *,
    findings: tuple[tuple[str, bool], ...] = (),  # (rule, overridable) of blocking findings
    photos: int = 0,
    author: str = AUTHOR,
) -> tuple[int, MessageRef]:
    """A draft in `state`, linked to a delivered message through the gateway's own refs."""
    ref = harness.deliver(author, TEXT)
    with transaction(harness.sessions) as session:
        draft = Draft(
            author_id=author,
            source_text=TEXT,
            text=TEXT,
            state=state.value,
            verdict="block" if findings else "pass",
            decided_by=SLT if state is DraftState.PUBLISHED else None,
        )
        session.add(draft)
        session.flush()
        for rule, overridable in findings:
            draft.findings.append(
                FindingRow(
                    rule=rule,
                    severity="block",
                    message=f"The {rule} check blocks it.",
                    overridable=overridable,
                )
            )
        for position in range(photos):
            draft.photos.append(
                Photo(
                    position=position,
                    filename=f"p{position}.jpg",
                    mime_type="image/jpeg",
                    data=JPEG,
                )
            )
        if state is DraftState.PUBLISHED:
            session.add(
                NetworkPost(draft_id=draft.id, network="x", post_id="1790000000000000001", url="")
            )
        chat.refs.link_draft(session, draft.id, ref)
        return draft.id, ref


def move_to(harness: ChatHarness, draft_id: int, state: DraftState) -> None:
    with transaction(harness.sessions) as session:
        session.get_one(Draft, draft_id).state = state.value


def _link_another_draft(harness: ChatHarness, chat: DraftChat, ref: MessageRef) -> None:
    with transaction(harness.sessions) as session:
        draft = Draft(author_id=AUTHOR, text=TEXT, source_text=TEXT)
        session.add(draft)
        session.flush()
        chat.refs.link_draft(session, draft.id, ref)


def add_alert(harness: ChatHarness) -> int:
    with transaction(harness.sessions) as session:
        alert = Alert(
            kind="follower",
            subject_id="4242",
            subject_handle="newfollower42",
            rule="new-empty-account",
            evidence="created today, no posts",
            evidence_key="k1",
        )
        session.add(alert)
        session.flush()
        return alert.id


# -- the suite -------------------------------------------------------------------------------


class ChatGatewayContract:
    """Run by each platform's test module with its own `harness` fixture."""

    # refresh_card

    def test_a_card_is_posted_once_then_updated_in_place(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        chat.refresh_card(draft_id)
        chat.refresh_card(draft_id)
        move_to(harness, draft_id, DraftState.APPROVED)
        chat.refresh_card(draft_id)
        [card] = harness.cards()
        assert card.updates == 2
        assert TEXT in card.text
        assert not card.actions & DECIDE

    def test_no_card_while_only_the_author_needs_to_see_the_draft(
        self, harness: ChatHarness
    ) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.AWAITING_DECLARATION, photos=1)
        chat.refresh_card(draft_id)
        assert harness.cards() == []
        move_to(harness, draft_id, DraftState.PENDING_APPROVAL)
        chat.refresh_card(draft_id)
        assert len(harness.cards()) == 1

    def test_a_withdrawn_draft_keeps_its_card_without_actions(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        chat.refresh_card(draft_id)
        move_to(harness, draft_id, DraftState.WITHDRAWN)
        chat.refresh_card(draft_id)
        [card] = harness.cards()
        assert card.updates == 1
        assert card.actions == frozenset()

    def test_racing_redraws_post_one_card(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        threads = 6
        start = threading.Barrier(threads)
        errors: list[BaseException] = []

        def redraw() -> None:
            start.wait()
            try:
                chat.refresh_card(draft_id)
            except BaseException as exc:  # reported below, on the test's thread
                errors.append(exc)

        workers = [threading.Thread(target=redraw) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        [card] = harness.cards()
        assert card.updates == threads - 1

    def test_a_missing_draft_shows_nothing(self, harness: ChatHarness) -> None:
        harness.gateway().refresh_card(999_999)
        assert harness.cards() == []

    # the card's actions follow the draft's state

    def test_a_pending_draft_offers_approve_and_reject(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        chat.refresh_card(draft_id)
        [card] = harness.cards()
        assert card.actions >= DECIDE
        assert TAKEDOWN not in card.actions
        assert OVERRIDE not in card.actions

    @pytest.mark.parametrize(
        ("rule", "overridable"), [("length", True), ("offensive", False), ("length", False)]
    )
    def test_a_blocked_draft_offers_reject_and_override_only_if_allowed(
        self, harness: ChatHarness, rule: str, overridable: bool
    ) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(
            harness, chat, DraftState.NEEDS_CHANGES, findings=((rule, overridable),)
        )
        chat.refresh_card(draft_id)
        [card] = harness.cards()
        assert "draft_reject" in card.actions
        assert "draft_approve" not in card.actions
        assert (OVERRIDE in card.actions) is (overridable and rule != "offensive")

    def test_a_published_draft_offers_takedown_only(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.PUBLISHED)
        chat.refresh_card(draft_id)
        [card] = harness.cards()
        assert card.actions == {TAKEDOWN}

    # telling people

    def test_tell_author_replies_in_the_drafts_thread_mentioning_them(
        self, harness: ChatHarness
    ) -> None:
        chat = harness.gateway()
        draft_id, ref = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        chat.tell_author(draft_id, "Approved; it is being posted.")
        [reply] = harness.replies(ref)
        assert "Approved; it is being posted." in reply.text
        assert AUTHOR in reply.mentions
        assert harness.cards() == []
        assert harness.approvals_posts() == []

    def test_notify_approvers_posts_in_the_approvals_place(self, harness: ChatHarness) -> None:
        harness.gateway().notify_approvers("Publishing is paused: the keys were refused.")
        [post] = harness.approvals_posts()
        assert "Publishing is paused" in post.text
        assert harness.cards() == []

    def test_direct_message_reaches_one_person(self, harness: ChatHarness) -> None:
        harness.gateway().direct_message(OTHER, "Please look at this account.")
        [message] = harness.direct_messages(OTHER)
        assert "Please look at this account." in message.text
        assert harness.direct_messages(AUTHOR) == []
        assert harness.approvals_posts() == []

    def test_post_alert_posts_then_updates_the_alert_card(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        alert_id = add_alert(harness)
        chat.post_alert(alert_id)
        [card] = harness.alert_cards()
        assert "newfollower42" in card.text
        assert "alert_dismiss" in card.actions
        with transaction(harness.sessions) as session:
            alert = session.get_one(Alert, alert_id)
            alert.state, alert.decided_by = AlertState.DISMISSED, SLT
        chat.post_alert(alert_id)
        [card] = harness.alert_cards()
        assert card.updates == 1
        assert "alert_dismiss" not in card.actions

    def test_ask_to_block_is_private_with_a_done_action(self, harness: ChatHarness) -> None:
        requester = harness.block_requester()
        if requester is None:
            pytest.skip("this platform asks staff with a plain direct message")
        requester.ask_to_block(add_alert(harness), OTHER, "Please block @newfollower42.")
        [message] = harness.direct_messages(OTHER)
        assert "Please block @newfollower42." in message.text
        assert message.actions == {"alert_staff_blocked"}
        assert harness.direct_messages(AUTHOR) == []

    # DraftChat

    def test_post_checks_replies_in_the_thread(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, ref = add_draft(harness, chat, DraftState.PENDING_APPROVAL)
        chat.post_checks(draft_id, ["The link was left out."])
        [reply] = harness.replies(ref)
        assert "The link was left out." in reply.text
        assert DECLARE not in reply.actions

    def test_post_checks_offers_the_declaration_when_photos_need_it(
        self, harness: ChatHarness
    ) -> None:
        chat = harness.gateway()
        draft_id, ref = add_draft(harness, chat, DraftState.AWAITING_DECLARATION, photos=1)
        chat.post_checks(draft_id)
        [reply] = harness.replies(ref)
        assert DECLARE in reply.actions

    def test_fetch_file_downloads_within_the_limit(self, harness: ChatHarness) -> None:
        file = harness.shared_file(JPEG, name="library.jpg", mimetype="image/jpeg")
        assert harness.gateway().fetch_file(file, max_bytes=len(JPEG)) == JPEG

    def test_fetch_file_refuses_a_file_over_the_limit(self, harness: ChatHarness) -> None:
        file = harness.shared_file(JPEG, name="big.jpg", mimetype="image/jpeg")
        with pytest.raises(FileUnavailable, match=r"big\.jpg"):
            harness.gateway().fetch_file(file, max_bytes=len(JPEG) - 1)

    def test_fetch_file_of_a_missing_file_is_unavailable(self, harness: ChatHarness) -> None:
        with pytest.raises(FileUnavailable):
            harness.gateway().fetch_file(harness.missing_file(), max_bytes=len(JPEG))

    # MessageRefs

    def test_refs_link_find_and_round_trip(self, harness: ChatHarness) -> None:
        refs = harness.gateway().refs
        ref = harness.deliver(AUTHOR, TEXT)
        with transaction(harness.sessions) as session:
            assert refs.find_draft(session, ref) is None
            draft = Draft(author_id=AUTHOR, text=TEXT, source_text=TEXT)
            session.add(draft)
            session.flush()
            assert refs.message_of(session, draft.id) is None
            refs.link_draft(session, draft.id, ref)
            draft_id = draft.id
        with transaction(harness.sessions) as session:
            assert refs.find_draft(session, ref) == draft_id
            assert refs.message_of(session, draft_id) == ref

    def test_a_second_link_of_one_message_fails(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        first, ref = add_draft(harness, chat, DraftState.POSTED)
        with pytest.raises(IntegrityError):
            _link_another_draft(harness, chat, ref)
        with transaction(harness.sessions) as session:
            assert chat.refs.find_draft(session, ref) == first

    def test_refs_keep_each_photos_file(self, harness: ChatHarness) -> None:
        chat = harness.gateway()
        draft_id, _ = add_draft(harness, chat, DraftState.AWAITING_DECLARATION, photos=2)
        file = harness.shared_file(JPEG, name="a.jpg", mimetype="image/jpeg")
        with transaction(harness.sessions) as session:
            first = session.get_one(Draft, draft_id).photos[0].id
            chat.refs.link_files(session, [(first, file.id)])
        with transaction(harness.sessions) as session:
            assert chat.refs.photo_files(session, draft_id) == [file.id, ""]
