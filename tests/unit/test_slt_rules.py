"""Who is SLT, and which blocked drafts SLT may override (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from chatbot.adapters.slack.slt import SltDirectory
from chatbot.domain.findings import Finding, Severity, Verdict
from chatbot.domain.ids import parse_id
from chatbot.services.checking import NEVER_OVERRIDABLE, may_override


class GroupClient:
    """Stands in for slack_sdk's WebClient: only the one method SltDirectory calls."""

    def __init__(self, members: list[str]) -> None:
        self.members = members
        self.calls = 0
        self.fail = False

    def usergroups_users_list(self, *, usergroup: str) -> dict[str, Any]:
        self.calls += 1
        if self.fail:
            response = SlackResponse(
                client=None,
                http_verb="POST",
                api_url="usergroups.users.list",
                req_args={},
                data={"ok": False, "error": "paid_teams_only"},
                headers={},
                status_code=200,
            )
            raise SlackApiError("failed", response)  # type: ignore[no-untyped-call]
        return {"ok": True, "users": list(self.members)}


def test_configured_users_without_a_group() -> None:
    slt = SltDirectory(["U0SLT0001"], None, None)
    assert slt.is_slt("U0SLT0001")
    assert not slt.is_slt("U0STAFF01")


def test_group_members_are_cached_until_invalidated_or_old() -> None:
    now = [0.0]
    client = GroupClient(["U0SLT0002"])
    slt = SltDirectory([], "S0SLTGRP1", client, max_age=600, clock=lambda: now[0])  # type: ignore[arg-type]
    assert slt.is_slt("U0SLT0002")
    client.members = ["U0SLT0003"]
    assert slt.is_slt("U0SLT0002")  # cached
    assert client.calls == 1
    slt.invalidate("S0OTHER01")  # another group: no effect
    assert not slt.is_slt("U0SLT0003")
    slt.invalidate("S0SLTGRP1")
    assert slt.is_slt("U0SLT0003")
    assert not slt.is_slt("U0SLT0002")
    client.members = ["U0SLT0004"]
    now[0] = 601
    assert slt.is_slt("U0SLT0004")


def test_a_failing_group_keeps_the_last_members_and_the_configured_list() -> None:
    now = [0.0]
    client = GroupClient(["U0SLT0002"])
    slt = SltDirectory(["U0SLT0001"], "S0SLTGRP1", client, max_age=600, clock=lambda: now[0])  # type: ignore[arg-type]
    assert slt.is_slt("U0SLT0002")
    client.fail = True
    now[0] = 700
    assert slt.is_slt("U0SLT0002")
    assert slt.is_slt("U0SLT0001")
    calls = client.calls
    assert slt.is_slt("U0SLT0002")
    assert client.calls == calls  # not asked again on every click


def block(rule: str, overridable: bool = True) -> Finding:
    return Finding(rule, Severity.BLOCK, "m", "c", overridable=overridable)


@pytest.mark.parametrize("rule", sorted(NEVER_OVERRIDABLE))
def test_safeguarding_rules_are_never_overridable(rule: str) -> None:
    assert not may_override(Verdict.of([block("textspeak"), block(rule)]))


def test_override_only_when_every_block_allows_it() -> None:
    assert may_override(Verdict.of([block("textspeak"), block("grammar")]))
    assert not may_override(Verdict.of([block("textspeak"), block("length", overridable=False)]))
    assert not may_override(
        Verdict.of([Finding("spelling", Severity.WARN, "m", "c", overridable=True)])
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0012", 12),
        ("", None),
        ("-1", None),
        ("1.5", None),
        ("١٢", None),
        (None, None),
        (12, None),
        ("9" * 13, None),
        ("1 OR 1=1", None),
    ],
)
def test_forged_draft_ids(value: object, expected: int | None) -> None:
    assert parse_id(value) == expected
