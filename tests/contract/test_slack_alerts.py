"""Safeguarding alert cards and their buttons through the Bolt app: the fake Slack, the fake X,
a real database. Only SLT decide; every decision reaches X (mute, hide) and the audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Alert, AuditEntry
from chatbot.adapters.slack import refs as slack_refs
from chatbot.adapters.slack.alerts import NO_BLOCK_CALL, SlackAlertChat
from chatbot.adapters.x.reader import XReader
from chatbot.services.monitoring import monitor_context, run_monitor
from chatbot.services.monitoring.staff import add_staff
from tests.contract.slack_support import (
    DEPUTY,
    HEAD,
    SAFEGUARDING,
    STAFF,
    Bot,
    action_ids,
    make_bot,
)
from tests.fakes.slack_server import FakeSlack
from tests.fakes.slack_server import fake_slack as fake_slack  # noqa: PLC0414 (fixture)
from tests.fakes.x_server import settings_env
from tests.fakes.x_social import SocialX
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)


@pytest.fixture
def alerting(
    fake_slack: FakeSlack, social_x: SocialX, sessions: sessionmaker[Session]
) -> tuple[Bot, SocialX, SlackAlertChat]:
    x = {
        key.removeprefix("CHATBOT_").lower(): value
        for key, value in settings_env(social_x.url).items()
    }
    bot = make_bot(fake_slack, sessions, **x)
    chat = SlackAlertChat(bot.gateway, bot.settings, sessions, bot.app.client)
    return bot, social_x, chat


def _monitor(bot: Bot, chat: SlackAlertChat, which: str) -> None:
    from chatbot.policy.engine import load_policy

    ctx = monitor_context(bot.sessions, XReader.from_settings(bot.settings), chat, load_policy())
    run_monitor(ctx, which)


def _cards(fake: FakeSlack) -> list[dict[str, Any]]:
    posted = [c for c in fake.calls("chat.postMessage") if c.params.get("channel") == SAFEGUARDING]
    return [c.params for c in posted]


def _latest_blocks(fake: FakeSlack) -> list[dict[str, Any]]:
    updates = [c for c in fake.calls("chat.update") if c.params.get("channel") == SAFEGUARDING]
    return list((updates[-1] if updates else fake.calls("chat.postMessage")[-1]).params["blocks"])


def _alert(bot: Bot) -> Alert:
    with transaction(bot.sessions) as session:
        found = session.scalars(select(Alert).order_by(Alert.id.desc())).first()
        assert found is not None
        return found


def _audit(bot: Bot) -> list[AuditEntry]:
    with transaction(bot.sessions) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("alert_%")).order_by(AuditEntry.id)
            )
        )


def test_follower_card_shows_who_rule_evidence_and_link(alerting: Any) -> None:
    bot, x, chat = alerting
    x.follow(x.user("zoe_smith2015", "zz", ""))
    _monitor(bot, chat, "followers")

    (card,) = _cards(bot.fake)
    text = json.dumps(card["blocks"], ensure_ascii=False)
    assert "A new follower: @zoe_smith2015" in text
    assert "name or handle like a pupil" in text
    assert "handle matches a pupil on the register" in text
    assert "Zoë Smith (Year 4)" in text  # looked up for the card, not stored with the alert
    assert "https://x.com/zoe_smith2015" in text
    assert NO_BLOCK_CALL.split(":")[0] in text
    assert action_ids(card["blocks"]) == ["alert_dismiss", "alert_mute", "alert_actioned"]
    with bot.sessions() as session:
        where = slack_refs.alert_card_of(session, _alert(bot).id)
    assert where == (SAFEGUARDING, card_ts(bot))


def test_the_gateway_redraws_the_same_full_card(alerting: Any) -> None:
    bot, x, chat = alerting
    x.follow(x.user("zoe_smith2015", "zz", ""))
    _monitor(bot, chat, "followers")
    (card,) = _cards(bot.fake)

    bot.gateway.post_alert(_alert(bot).id)  # the port the app's own listeners hold

    assert len(_cards(bot.fake)) == 1  # redrawn in place, not posted again
    (update,) = [c for c in bot.fake.calls("chat.update") if c.params["channel"] == SAFEGUARDING]
    assert update.params["blocks"] == card["blocks"]


def card_ts(bot: Bot) -> str:
    posted = [
        c for c in bot.fake.calls("chat.postMessage") if c.params.get("channel") == SAFEGUARDING
    ]
    return str(posted[0].response["ts"])


def test_only_slt_mute_and_it_reaches_x(alerting: Any) -> None:
    bot, x, chat = alerting
    bot.fake.add_user(HEAD, name="Ann Head")
    follower = x.user("angry", "Sh1t", "")
    x.follow(follower)
    _monitor(bot, chat, "followers")
    alert_id = str(_alert(bot).id)

    bot.click("alert_mute", alert_id, user=STAFF, channel=SAFEGUARDING)
    assert x.muted == []
    assert bot.ephemerals(STAFF) == ["Only a member of SLT can decide on a safeguarding alert."]

    bot.click("alert_mute", alert_id, user=HEAD, channel=SAFEGUARDING)
    bot.click("alert_mute", alert_id, user=DEPUTY, channel=SAFEGUARDING)  # too late
    assert x.muted == [follower["id"]]
    assert bot.ephemerals(DEPUTY) == [f"Not done: alert {alert_id} is already muted by {HEAD}."]
    blocks = _latest_blocks(bot.fake)
    assert f"*Muted* by <@{HEAD}>" in json.dumps(blocks)
    assert action_ids(blocks) == ["alert_actioned"]  # still to block or report in the app
    assert [(a.actor, a.actor_name, a.action) for a in _audit(bot)] == [
        (HEAD, "Ann Head", "alert_muted")
    ]


def test_a_mute_refused_for_the_keys_says_so_not_try_later(alerting: Any) -> None:
    bot, x, chat = alerting
    x.follow(x.user("angry", "Sh1t", ""))
    _monitor(bot, chat, "followers")
    x.fail("POST /2/users/{id}/muting", 401, {"title": "Unauthorized", "status": 401})

    bot.click("alert_mute", str(_alert(bot).id), user=HEAD, channel=SAFEGUARDING)

    [said] = bot.ephemerals(HEAD)
    assert "CHATBOT_X_" in said
    assert "Try later" not in said
    assert (_alert(bot).state, x.muted) == ("open", [])


def test_dismiss_asks_for_a_note(alerting: Any) -> None:
    bot, x, chat = alerting
    x.follow(x.user("kid", "Lily", "Year 5 at Hunts Cross"))
    _monitor(bot, chat, "followers")
    alert_id = str(_alert(bot).id)

    bot.click("alert_dismiss", alert_id, user=HEAD, channel=SAFEGUARDING)
    (opened,) = bot.fake.calls("views.open")
    assert opened.params["view"]["callback_id"] == "alert_dismiss_note"
    empty = bot.submit("alert_dismiss_note", alert_id, {"note": {"value": " "}}, user=HEAD)
    assert json.loads(empty.body)["response_action"] == "errors"
    bot.submit(
        "alert_dismiss_note",
        alert_id,
        {"note": {"value": "Our ex-pupil, now 14"}},
        user=HEAD,
        foreign_blocks=True,  # the note is found by its action id
    )

    assert _alert(bot).state == "dismissed"
    (row,) = _audit(bot)
    assert (row.action, row.actor, row.reason) == ("alert_dismissed", HEAD, "Our ex-pupil, now 14")
    assert action_ids(_latest_blocks(bot.fake)) == []


def test_reply_can_be_hidden_then_marked_actioned(alerting: Any) -> None:
    bot, x, chat = alerting
    troll = x.user("troll")
    _monitor(bot, chat, "mentions")
    reply = x.mention(troll, "@HuntsCrossPri useless teachers", reply_to="1900")
    _monitor(bot, chat, "mentions")
    (card,) = _cards(bot.fake)
    assert action_ids(card["blocks"]) == [
        "alert_dismiss",
        "alert_mute",
        "alert_hide_reply",
        "alert_actioned",
    ]
    assert f"https://x.com/troll/status/{reply['id']}" in json.dumps(card["blocks"])
    alert_id = str(_alert(bot).id)

    bot.click("alert_hide_reply", alert_id, user=HEAD, channel=SAFEGUARDING)
    bot.click("alert_actioned", alert_id, user=DEPUTY, channel=SAFEGUARDING)

    assert x.hidden == [reply["id"]]
    assert [(a.actor, a.action) for a in _audit(bot)] == [
        (HEAD, "alert_hidden"),
        (DEPUTY, "alert_actioned"),
    ]
    assert _alert(bot).state == "actioned"


def test_staff_are_asked_privately_and_can_say_they_blocked(alerting: Any) -> None:
    bot, x, chat = alerting
    teacher = x.user("MrsTeach")
    with transaction(bot.sessions) as session:
        add_staff(session, "MrsTeach", STAFF, actor="test")
    x.follow(x.user("mohammed_khan14", "Mo", ""), of=teacher["id"])
    _monitor(bot, chat, "staff")

    (opened,) = bot.fake.calls("conversations.open")
    assert opened.params["users"] == STAFF
    dm = next(c for c in bot.fake.calls("chat.postMessage") if c.params["channel"] != SAFEGUARDING)
    assert action_ids(dm.params["blocks"]) == ["alert_staff_blocked"]
    assert "block @mohammed_khan14" in dm.params["text"]
    assert "follows a member of staff, @mrsteach" in json.dumps(_cards(bot.fake)[0]["blocks"])
    alert_id = str(_alert(bot).id)

    bot.click("alert_staff_blocked", alert_id, user=DEPUTY, channel=dm.params["channel"])
    assert "Not recorded" in bot.ephemerals(DEPUTY)[0]
    bot.click("alert_staff_blocked", alert_id, user=STAFF, channel=dm.params["channel"])

    assert [(a.actor, a.action) for a in _audit(bot)] == [(STAFF, "alert_staff_blocked")]
    assert "@mrsteach says they have blocked them" in json.dumps(_latest_blocks(bot.fake))
    assert _alert(bot).state == "open"  # SLT still decide


def test_an_alert_with_no_channel_to_go_to_stays_queued(
    alerting: tuple[Bot, SocialX, SlackAlertChat], fake_slack: FakeSlack
) -> None:
    from chatbot.services.monitoring.context import UNPOSTED_KEY, retry_unposted
    from chatbot.services.monitoring.store import get_value

    bot, x, chat = alerting
    x.follow(x.user("zoe_smith2015", "zz", ""))
    bot.settings.safeguarding_channel = None
    _monitor(bot, chat, "followers")
    assert _cards(fake_slack) == []
    with transaction(bot.sessions) as session:
        queued = (get_value(session, UNPOSTED_KEY) or {}).get("ids", [])
    assert queued, "the alerts must wait in the queue, not count as posted"
    bot.settings.safeguarding_channel = SAFEGUARDING
    from chatbot.policy.engine import load_policy

    retry_unposted(
        monitor_context(bot.sessions, XReader.from_settings(bot.settings), chat, load_policy())
    )
    assert len(_cards(fake_slack)) == len(queued)
