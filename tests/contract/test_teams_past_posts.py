"""The past-posts card on Teams, against the Teams fakes and the real Agents SDK: posted in the
approvals channel, SLT delete one post and keep another (verbs `past_post_delete` /
`past_post_keep`, data {"post"}, the card's `reason`), redrawn in place; others refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, Draft, NetworkPost, PicturedPupil, utcnow
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.dialogs import action_message
from chatbot.adapters.teams.routes_past_posts import DONE
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Channel
from chatbot.services import past_posts
from chatbot.services.registers import withdraw_consent
from tests.contract.teams_routes_support import (
    APPROVALS,
    AUTHOR,
    DEPUTY,
    HEAD,
    TEACHER,
    TeamsBot,
    fakes,
    make_bot,
)
from tests.fakes.teams import TeamsFakes

__all__ = ["fakes"]  # the fixture


@pytest.fixture
def teams_bot(fakes: TeamsFakes, sessions: sessionmaker[Session]) -> Iterator[TeamsBot]:
    """The bot knowing Teams' service URL from its settings, so it can post before anyone
    writes (the withdrawal comes from the office, not from a Teams message)."""
    bot = make_bot(fakes, sessions, teams_service_url=fakes.connector.service_url)
    try:
        yield bot
    finally:
        bot.server.stop()


def published(bot: TeamsBot, text: str, pupil: int) -> int:
    with bot.sessions.begin() as session:
        draft = Draft(author_id=AUTHOR, text=text, source_text=text, state="published")
        session.add(draft)
        session.flush()
        session.add(PicturedPupil(draft_id=draft.id, pupil_id=pupil))
        url = f"https://x.com/HuntsCrossPri/status/{500 + draft.id}"
        session.add(
            NetworkPost(draft_id=draft.id, network="x", post_id=str(500 + draft.id), url=url)
        )
        return draft.id


def actions(card: dict[str, Any]) -> list[tuple[str, str]]:
    """(verb, post) of every Action.Execute on the card, ShowCards included."""
    found: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append((node["verb"], node["data"]["post"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def test_slt_delete_one_post_and_keep_another_on_the_teams_card(teams_bot: TeamsBot) -> None:
    zoe = teams_bot.pupil("Zoë")
    first = published(teams_bot, "Year 4 painting sunflowers.", zoe)
    second = published(teams_bot, "Our netball team won the cup!", zoe)
    with teams_bot.sessions.begin() as session:
        withdraw_consent(session, zoe, Channel.TWITTER, AcademicYear.at(utcnow()), HEAD)
    assert past_posts.announce(teams_bot.sessions, teams_bot.gateway) == 1

    (sent,) = teams_bot.cards()
    shown = json.dumps(sent.body, ensure_ascii=False)
    assert "Zoë Smith (Year 4)" in shown
    assert "Year 4 painting sunflowers." in shown
    assert "netball team" in shown
    assert f"https://x.com/HuntsCrossPri/status/{500 + first}" in shown
    assert "Zoë" not in sent.body["summary"]  # no pupil's name in the notification
    content = sent.body["attachments"][0]["content"]
    assert actions(content) == [
        ("past_post_delete", str(first)),
        ("past_post_keep", str(first)),
        ("past_post_delete", str(second)),
        ("past_post_keep", str(second)),
    ]
    assert [i["id"] for i in content["body"] if i.get("type") == "Input.Text"] == ["reason"]
    with teams_bot.sessions() as session:
        review = session.scalars(select(teams_refs.TeamsReviewCard)).one()
    where = (review.conversation, review.activity_id)
    assert where[0] == APPROVALS

    def click(verb: str, post: int, user: str, reason: str = "A reason", **kw: Any) -> Any:
        data = {"post": str(post), "reason": reason}
        body = teams_bot.click(verb, data, user=user, card=kw.get("card", where))
        teams_bot.wait()
        return body

    assert click("past_post_delete", first, TEACHER) == action_message(past_posts.NOT_SLT)
    assert click("past_post_delete", first + 99, HEAD) == action_message(past_posts.NOT_ON_CARD)
    assert click("past_post_keep", first, HEAD, card=None) == action_message(past_posts.NOT_A_CARD)
    assert click("past_post_keep", first, HEAD, reason=" ") == action_message(
        past_posts.NEED_REASON
    )
    assert teams_bot.updates(where) == []

    assert click("past_post_delete", first, HEAD, "Parent asked") == action_message(
        DONE["past_post_delete"]
    )
    assert [(o.kind, o.state) for o in teams_bot.outbox()] == [("delete", "queued")]
    assert click("past_post_keep", second, DEPUTY, "Not recognisable") == action_message(
        DONE["past_post_keep"]
    )
    last = json.dumps(teams_bot.updates(where)[-1].body, ensure_ascii=False)
    assert "Being deleted from X, chosen by <at>Mrs Head</at>" in last
    assert "Reviewed and kept by <at>Mr Deputy</at>" in last
    assert "Not recognisable" in last
    assert actions(teams_bot.updates(where)[-1].body) == []
    with teams_bot.sessions() as session:
        done = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("past_post.%"))
        ).all()
    assert done == ["past_post.delete", "past_post.keep"]
