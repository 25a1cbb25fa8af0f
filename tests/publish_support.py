"""Builders for publishing tests: approved drafts with photos and pupils, a clock, a chat."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import ConsentRow, Draft, Photo, PicturedPupil, PupilRow
from chatbot.adapters.db.repositories import enqueue
from chatbot.adapters.slack.refs import SlackRefs
from chatbot.adapters.x.client import XPublisher
from chatbot.adapters.x.connection import Connection
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.messages import Telling, as_message
from chatbot.services.ports import MessageRef
from tests.conftest import PHOTOS
from tests.fakes import x_server

JPEG = (PHOTOS / "no-face.jpg").read_bytes()
_numbers = itertools.count(1)


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class RecordingChat:
    """The ChatGateway port, recording what the worker told people."""

    calls: list[tuple[str, Any, ...]] = field(default_factory=list)

    def refresh_card(self, draft_id: int) -> None:
        self.calls.append(("refresh_card", draft_id))

    # What was said is recorded as plain words (a mention as the person's id).
    def tell_author(self, draft_id: int, text: Telling) -> None:
        self.calls.append(("tell_author", draft_id, as_message(text).plain))

    def notify_approvers(self, text: Telling) -> None:
        self.calls.append(("notify_approvers", as_message(text).plain))

    def post_alert(self, alert_id: int) -> None:
        self.calls.append(("post_alert", alert_id))

    def direct_message(self, user_id: str, text: Telling) -> None:
        self.calls.append(("direct_message", user_id, as_message(text).plain))

    def named(self, method: str) -> list[tuple[Any, ...]]:
        return [call[1:] for call in self.calls if call[0] == method]


def publisher_for(fake: x_server.FakeX, **kwargs: Any) -> XPublisher:
    return XPublisher(
        Connection(
            consumer_key=fake.consumer_key,
            consumer_secret=fake.consumer_secret,
            access_token=fake.access_token,
            access_token_secret=fake.access_token_secret,
            api_url=fake.url,
            **kwargs,
        )
    )


def add_pupil(session: Session, *, consent: bool | None, on: datetime) -> PupilRow:
    n = next(_numbers)
    pupil = PupilRow(first_name=f"Ada{n}", last_name="Pupil", match_key=f"ada{n} pupil {n}")
    session.add(pupil)
    session.flush()
    if consent is not None:
        session.add(
            ConsentRow(
                pupil_id=pupil.id,
                academic_year=str(AcademicYear.at(on)),
                channel="twitter",
                given=consent,
                recorded_by="test",
            )
        )
    return pupil


def approved_draft(
    sessions: sessionmaker[Session],
    *,
    text: str,
    now: datetime,
    photos: int = 0,
    alts: tuple[str, ...] = (),
    pupils: tuple[bool | None, ...] = (),
    no_pupils: bool = False,
    declared: bool = True,
    not_before: datetime | None = None,
) -> int:
    """A draft as the approval service leaves it: approved (or scheduled) with its outbox row."""
    with sessions.begin() as session:
        draft = Draft(
            author_id="U0AUTHOR1",
            source_text=text,
            text=text,
            state="scheduled" if not_before else "approved",
            verdict="pass",
            declared=declared and photos > 0,
            no_pupils=no_pupils,
            not_before=not_before,
            decided_by="U0SLT0001",
            decided_at=now,
        )
        session.add(draft)
        session.flush()
        ts = f"{now.timestamp():.0f}.{next(_numbers):06d}"
        SlackRefs().link_draft(session, draft.id, MessageRef("C0DRAFTS1", ts))
        for position in range(photos):
            session.add(
                Photo(
                    draft_id=draft.id,
                    position=position,
                    filename=f"photo{position}.jpg",
                    mime_type="image/jpeg",
                    data=JPEG,
                    alt_text=alts[position] if position < len(alts) else None,
                )
            )
        for consent in pupils:
            pupil = add_pupil(session, consent=consent, on=now)
            session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil.id))
        enqueue(session, draft.id, due_at=not_before or now)
        return draft.id
