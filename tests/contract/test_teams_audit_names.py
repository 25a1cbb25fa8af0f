"""Who acted on Teams, by name: the activity's from.name is recorded with each action (through
the real Agents SDK against the fakes), and an activity without one records none."""

from __future__ import annotations

from sqlalchemy import select

from chatbot.adapters.db.models import AuditEntry
from chatbot.adapters.teams.dialogs import action_message
from chatbot.adapters.teams.routes_cards import DONE
from tests.contract.teams_routes_support import (
    AUTHOR,
    HEAD,
    NAMES,
    TeamsBot,
    fakes,
    teams_bot,
)

__all__ = ["fakes", "teams_bot"]  # the fixtures

CLEAN = "<p>Year 4 had a <b>wonderful</b> trip to the museum today &amp; loved it.</p>"


def audited(bot: TeamsBot, action: str) -> list[tuple[str, str | None]]:
    with bot.sessions() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.actor_name)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [(actor, name) for actor, name in rows]


def test_an_approval_invoke_records_from_name(teams_bot: TeamsBot) -> None:
    teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    assert audited(teams_bot, "posted") == [(AUTHOR, NAMES[AUTHOR])]
    body = teams_bot.click("draft_approve", {"draft": str(draft.id)}, user=HEAD)
    assert body == action_message(DONE["draft_approve"])
    teams_bot.wait()
    assert teams_bot.draft().state == "approved"
    assert audited(teams_bot, "approved") == [(HEAD, "Mrs Head")]


def test_an_invoke_without_a_name_records_none(teams_bot: TeamsBot) -> None:
    teams_bot.send(CLEAN)
    draft = teams_bot.draft()
    value = {
        "action": {
            "type": "Action.Execute",
            "verb": "draft_reject",
            "data": {"draft": str(draft.id), "reason": "Not this week"},
        }
    }
    invoke = teams_bot.invoke("adaptiveCard/action", value, user=HEAD)
    invoke["from"] = {k: v for k, v in invoke["from"].items() if k != "name"}
    status, body = teams_bot.post(invoke)
    assert (status, body) == (200, action_message(DONE["draft_reject"]))
    teams_bot.wait()
    assert teams_bot.draft().state == "rejected"
    assert audited(teams_bot, "rejected") == [(HEAD, None)]


def test_a_deleted_post_is_withdrawn_by_name(teams_bot: TeamsBot) -> None:
    post = teams_bot.send(CLEAN)
    assert teams_bot.post(teams_bot.deleted(post))[0] == 202
    teams_bot.wait()
    assert teams_bot.draft().state == "withdrawn"
    assert audited(teams_bot, "withdrawn") == [(AUTHOR, NAMES[AUTHOR])]
