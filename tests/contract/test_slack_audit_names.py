"""Who acted, by name: Slack decisions record the name users.info gives (against the fake Slack),
once per person for a while; a failed lookup never stops the decision."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from chatbot.adapters.db.models import AuditEntry, utcnow
from chatbot.adapters.slack.people import UserNames
from chatbot.domain.academic_year import LONDON
from chatbot.services.audit_export import export_audit
from tests.contract.slack_support import DEPUTY, HEAD, STAFF, Bot
from tests.fakes.slack_server import FakeSlack

CLEAN = "Year 4 had a wonderful trip to the museum today."
OTHER = "Year 3 sang beautifully at the harvest festival."


def pending(bot: Bot, text: str) -> str:
    bot.post(text)
    draft = bot.draft()  # the newest
    assert draft.state == "pending_approval", [f.rule for f in draft.findings]
    return str(draft.id)


def audited(bot: Bot, action: str) -> list[tuple[str, str | None]]:
    with bot.sessions() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.actor_name)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [(actor, name) for actor, name in rows]


def test_an_approval_records_the_name_slack_gives_then(bot: Bot) -> None:
    bot.fake.add_user(HEAD, name="Ann Head")
    bot.fake.add_user(STAFF, name="Sam Teacher")
    draft_id = pending(bot, CLEAN)
    assert audited(bot, "posted") == [(STAFF, "Sam Teacher")]

    assert bot.click("draft_approve", draft_id, user=HEAD).status == 200
    assert bot.draft().state == "approved"
    assert audited(bot, "approved") == [(HEAD, "Ann Head")]
    lookups = bot.fake.calls("users.info")
    assert {c.params["user"] for c in lookups} == {STAFF, HEAD}
    assert all(c.token == bot.fake.bot_token for c in lookups)

    # Renamed later: the row keeps the name of the time, and the export gives it beside the id.
    bot.fake.add_user(HEAD, name="Ann Head-Smith")
    out = io.StringIO(newline="")
    today = utcnow().astimezone(LONDON).date()
    with bot.sessions() as session:
        export_audit(session, today, today, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    approved = next(r for r in rows if r["action"] == "approved")
    assert (approved["actor"], approved["actor_name"]) == (HEAD, "Ann Head")
    checked = [r for r in rows if r["actor"] == "system"]
    assert checked
    assert all(r["actor_name"] == "" for r in checked)  # the bot's own steps: no person


def test_a_name_is_asked_once_for_a_while(bot: Bot) -> None:
    bot.fake.add_user(DEPUTY, name="Dee Puty")
    first, second = pending(bot, CLEAN), pending(bot, OTHER)
    bot.click("draft_approve", first, user=DEPUTY)
    bot.click("draft_approve", second, user=DEPUTY)
    assert audited(bot, "approved") == [(DEPUTY, "Dee Puty"), (DEPUTY, "Dee Puty")]
    assert [c.params["user"] for c in bot.fake.calls("users.info")].count(DEPUTY) == 1


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        ({"ok": False, "error": "missing_scope", "needed": "users:read"}, "users:read"),
        ({"_status": 500, "ok": False, "error": "internal_error"}, "internal_error"),
    ],
)
def test_a_failed_lookup_still_approves_with_the_name_blank(
    bot: Bot, caplog: pytest.LogCaptureFixture, answer: dict[str, object], logged: str
) -> None:
    bot.fake.add_user(HEAD, name="Ann Head")
    draft_id = pending(bot, CLEAN)
    bot.fake.respond("users.info", answer)
    with caplog.at_level(logging.WARNING, logger="chatbot.adapters.slack.people"):
        assert bot.click("draft_approve", draft_id, user=HEAD).status == 200
    assert bot.draft().state == "approved"
    assert bot.ephemerals(HEAD) == []
    assert audited(bot, "approved") == [(HEAD, None)]
    assert [(o.kind, o.state) for o in bot.outbox()] == [("publish", "queued")]
    warned = [r.getMessage() for r in caplog.records if "cannot read the name" in r.getMessage()]
    assert any(HEAD in m and logged in m for m in warned), warned
    assert bot.fake.bot_token not in caplog.text


def test_names_are_cached_for_a_while_and_failures_retried_later(fake_slack: FakeSlack) -> None:
    now = [1000.0]
    client = WebClient(token=fake_slack.bot_token, base_url=fake_slack.base_url)
    names = UserNames(client, max_age=600, clock=lambda: now[0])
    fake_slack.add_user(HEAD, name="Ann Head")

    def asked() -> int:
        return len(fake_slack.calls("users.info"))

    assert (names.name_of(HEAD), names.name_of(HEAD), asked()) == ("Ann Head", "Ann Head", 1)
    fake_slack.add_user(HEAD, name="Ann Head-Smith")
    now[0] += 599
    assert (names.name_of(HEAD), asked()) == ("Ann Head", 1)
    now[0] += 2
    assert (names.name_of(HEAD), asked()) == ("Ann Head-Smith", 2)

    assert (names.name_of("U0NOBODY1"), asked()) == (None, 3)  # user_not_found
    now[0] += 59
    assert (names.name_of("U0NOBODY1"), asked()) == (None, 3)  # not asked on every click
    now[0] += 2
    fake_slack.add_user("U0NOBODY1", name="New Starter")
    assert (names.name_of("U0NOBODY1"), asked()) == ("New Starter", 4)
    assert (names.name_of(""), asked()) == (None, 4)  # nobody to ask about
