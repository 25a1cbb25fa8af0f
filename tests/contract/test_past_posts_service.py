"""services/past_posts.py against the in-memory chat (tests/fakes/ports.py) and the test
database: which withdrawals open a review, showing it once, and the checks on each decision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import (
    Draft,
    NetworkPost,
    OutboxItem,
    PastPostReview,
    PicturedPupil,
    PupilRow,
    utcnow,
)
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.pupils import Channel
from chatbot.services import past_posts
from chatbot.services.ports import PublishError, PublishErrorKind
from chatbot.services.publishing.runner import Publishing
from chatbot.services.registers import give_consent, import_roster, withdraw_consent
from chatbot.services.roster_csv import FIELDS, parse_roster
from tests.fakes.ports import FakeChat, FakePublisher

YEAR = AcademicYear.at(utcnow())
HEAD = Actor("U0SLT0001", is_slt=True)
DEPUTY = Actor("U0SLT0002", is_slt=True)
TEACHER = Actor("U0STAFF01")


def roster(*lines: str) -> bytes:
    return ("\n".join([",".join(FIELDS), *lines]) + "\n").encode()


def setup(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Two pupils with consent and one live post picturing the first (ids: pupil, draft)."""
    with sessions.begin() as session:
        import_roster(
            session,
            parse_roster(
                roster(f"Ada,Lovelace,,4,{YEAR},yes,yes", f"Alan,Turing,,4,{YEAR},yes,no")
            ),
            actor="t",
            source="r.csv",
        )
    with sessions.begin() as session:
        pupil = session.scalars(select(PupilRow).where(PupilRow.first_name == "Ada")).one()
        draft = Draft(author_id="U0STAFF01", text="Coding club", state="published")
        session.add(draft)
        session.flush()
        session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil.id))
        session.add(NetworkPost(draft_id=draft.id, network="x", post_id="77", url="https://x/77"))
        return pupil.id, draft.id


def reviews(sessions: sessionmaker[Session]) -> list[PastPostReview]:
    with sessions() as session:
        rows = list(session.scalars(select(PastPostReview).order_by(PastPostReview.id)))
        for row in rows:
            row.items  # noqa: B018 (load now)
        return rows


def test_only_a_twitter_withdrawal_of_a_pictured_pupil_opens_a_review(
    sessions: sessionmaker[Session],
) -> None:
    ada, draft_id = setup(sessions)
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.WEBSITE, YEAR, "office")
        withdraw_consent(session, "Alan Turing", Channel.TWITTER, YEAR, "office")  # no posts
        give_consent(session, ada, Channel.TWITTER, YEAR, "office")  # already given: no change
    assert reviews(sessions) == []
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")  # unchanged: no second
    (review,) = reviews(sessions)
    assert (review.pupil_id, review.opened_by, review.announced_at) == (ada, "office", None)
    assert [(i.draft_id, i.post_id, i.url) for i in review.items] == [
        (draft_id, "77", "https://x/77")
    ]


def test_an_import_that_withdraws_opens_a_review_but_a_dry_run_leaves_none(
    sessions: sessionmaker[Session],
) -> None:
    ada, _draft = setup(sessions)
    says_no = parse_roster(roster(f"Ada,Lovelace,,4,{YEAR},no,yes"))
    with sessions() as session:
        import_roster(session, says_no, actor="office", source="r.csv")
        session.rollback()  # the preview and --dry-run
    assert reviews(sessions) == []
    with sessions.begin() as session:
        report = import_roster(session, says_no, actor="office", source="r.csv")
    assert report.withdrawn == 1
    (review,) = reviews(sessions)
    assert review.pupil_id == ada


def test_announce_shows_each_review_once_and_retries_after_a_chat_failure(
    sessions: sessionmaker[Session],
) -> None:
    ada, _draft = setup(sessions)
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
    broken = FakeChat(broken={"show_past_posts"})
    assert past_posts.announce(sessions, broken) == 0
    assert past_posts.unannounced(sessions) == 1  # released for the next try
    chat = FakeChat()
    assert past_posts.announce(sessions, chat) == 1
    assert past_posts.announce(sessions, chat) == 0
    (review,) = reviews(sessions)
    assert chat.named("show_past_posts") == [(review.id,)]


def test_decisions_are_checked_and_made_once(sessions: sessionmaker[Session]) -> None:
    ada, draft_id = setup(sessions)
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
    (review,) = reviews(sessions)
    chat = FakeChat()

    assert past_posts.keep(sessions, chat, review.id, draft_id, TEACHER, reason="ok").message == (
        past_posts.NOT_SLT
    )
    forged = past_posts.request_delete(sessions, chat, review.id, draft_id + 1, HEAD, reason="x")
    assert forged.message == past_posts.NOT_ON_CARD
    no_card = past_posts.request_delete(sessions, chat, None, draft_id, HEAD, reason="x")
    assert no_card.message == past_posts.NOT_A_CARD
    blank = past_posts.request_delete(sessions, chat, review.id, draft_id, HEAD, reason="  ")
    assert blank.message == past_posts.NEED_REASON
    assert chat.calls == []

    assert past_posts.request_delete(sessions, chat, review.id, draft_id, HEAD, reason="asked").ok
    again = past_posts.keep(sessions, chat, review.id, draft_id, DEPUTY, reason="fine")
    assert not again.ok
    assert "being deleted" in str(again.message)
    assert chat.calls == [
        ("show_past_posts", review.id),
        ("refresh_card", draft_id),
        ("show_past_posts", review.id),  # the refusal redraws a card that was out of date
    ]
    with sessions() as session:
        queued = session.scalars(select(OutboxItem)).one()
        assert (queued.kind, queued.state, queued.progress) == (
            "delete",
            "queued",
            {"actor": HEAD.id, "actor_name": HEAD.name, "reason": "asked"},
        )
        view = past_posts.load_review(session, review.id)
    assert view is not None
    assert view.pupil_label == "Ada Lovelace (Year 4)"
    (post,) = view.posts
    assert (post.status, post.by, post.reason) == (past_posts.PostStatus.DELETING, HEAD.id, "asked")


def test_a_post_taken_down_another_way_is_refused_and_the_card_catches_up(
    sessions: sessionmaker[Session],
) -> None:
    ada, draft_id = setup(sessions)
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
    (review,) = reviews(sessions)
    with sessions.begin() as session:  # `chatbot x delete` meanwhile
        session.get_one(Draft, draft_id).state = "deleted"
    chat = FakeChat()
    late = past_posts.keep(sessions, chat, review.id, draft_id, HEAD, reason="fine")
    assert late.message == "This post is no longer live: it was taken down another way."
    assert chat.calls == [("show_past_posts", review.id)]  # redrawn without the buttons
    with sessions() as session:
        view = past_posts.load_review(session, review.id)
    assert view is not None
    assert [p.status for p in view.posts] == [past_posts.PostStatus.GONE]


def test_a_deletion_the_network_refuses_for_good_shows_on_the_card(
    sessions: sessionmaker[Session],
) -> None:
    ada, draft_id = setup(sessions)
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
    (review,) = reviews(sessions)
    chat = FakeChat()
    assert past_posts.request_delete(sessions, chat, review.id, draft_id, HEAD, reason="asked").ok
    refused = PublishError(PublishErrorKind.PERMANENT, "403 not your post")
    publisher = FakePublisher(network="x", delete_errors=[refused])
    worker = Publishing(sessions, publisher, chat, clock=lambda: datetime.now(UTC), worker_id="w")
    chat.calls.clear()

    assert worker.process_next()
    assert publisher.deleted == []
    assert ("show_past_posts", review.id) in chat.calls  # the card is redrawn
    with sessions() as session:
        view = past_posts.load_review(session, review.id)
        assert session.get_one(Draft, draft_id).state == "published"
    assert view is not None
    assert [p.status for p in view.posts] == [past_posts.PostStatus.DELETE_FAILED]


def test_a_post_on_two_reviews_being_deleted_from_one_cannot_be_kept_on_the_other(
    sessions: sessionmaker[Session],
) -> None:
    ada, draft_id = setup(sessions)
    with sessions.begin() as session:
        alan = session.scalars(select(PupilRow).where(PupilRow.first_name == "Alan")).one().id
        session.add(PicturedPupil(draft_id=draft_id, pupil_id=alan))
    with sessions.begin() as session:
        withdraw_consent(session, ada, Channel.TWITTER, YEAR, "office")
        withdraw_consent(session, alan, Channel.TWITTER, YEAR, "office")
    first, second = reviews(sessions)
    chat = FakeChat()
    assert past_posts.request_delete(sessions, chat, first.id, draft_id, HEAD, reason="asked").ok

    late = past_posts.keep(sessions, chat, second.id, draft_id, DEPUTY, reason="fine")
    assert not late.ok
    assert "being deleted" in str(late.message)
    with sessions() as session:
        view = past_posts.load_review(session, second.id)
    assert view is not None
    assert [p.status for p in view.posts] == [past_posts.PostStatus.DELETING]
