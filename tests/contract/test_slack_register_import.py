"""The register sent to the bot in a direct message, against the fake Slack: checked and
previewed, imported only on the office's confirmation, once even if it arrives twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, KeyValue, PupilRow, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.roster_csv import FIELDS
from tests.contract.slack_support import HEAD, STAFF, Bot, make_bot
from tests.fakes.slack_server import FakeSlack

OFFICE = "U0OFFICE1"
DM = "D0OFFICE1"
YEAR = AcademicYear.at(utcnow())
HEADER = "upn," + ",".join(FIELDS)
GOOD = "\n".join(
    [
        HEADER,
        f"H1,Jack,Jones,,2,{YEAR},yes,yes",
        f"H2,Jack,Jones,,6,{YEAR},no,yes",
        f"H3,Zoë,Smith,,4,{YEAR},yes,yes",
    ]
).encode()


@pytest.fixture
def bot(fake_slack: FakeSlack, sessions: sessionmaker[Session]) -> Bot:
    return make_bot(fake_slack, sessions, office_users=(OFFICE,))


def send(bot: Bot, data: bytes, *, user: str = OFFICE, file_id: str = "F0REG0001") -> None:
    file = bot.file(file_id, data, name="register.csv", mimetype="text/csv")
    bot.event(
        {
            **bot.message("", user=user, channel=DM, files=[file]),
            "channel_type": "im",
        }
    )


def replies(bot: Bot) -> list[dict[str, Any]]:
    return [c.params for c in bot.fake.calls("chat.postMessage") if c.params.get("channel") == DM]


def import_button(reply: dict[str, Any]) -> str | None:
    blocks = reply.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == "register_import_confirm":
                return str(element["value"])
    return None


def with_ids(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(PupilRow.id)).where(PupilRow.upn.is_not(None))) or 0


def test_a_good_file_is_previewed_then_imported_once(bot: Bot) -> None:
    send(bot, GOOD)
    (preview,) = replies(bot)
    assert "would import 3 pupils for" in preview["text"]
    # the sample roster's Zoë Smith (no id yet) is the same pupil as H3: updated, not added
    assert "2 added, 1 updated, 0 unchanged" in preview["text"]
    assert "Nothing is written until you press Import" in preview["text"]
    assert with_ids(bot.sessions) == 0  # nothing written yet
    value = import_button(preview)
    assert value is not None
    assert value.startswith("F0REG0001:")

    bot.click("register_import_confirm", value, user=OFFICE, channel=DM)
    bot.click("register_import_confirm", value, user=OFFICE, channel=DM)  # delivered twice
    done, again = replies(bot)[1:]
    assert done["text"].startswith("Imported the register: 3 pupils for")
    assert "already been imported" in again["text"]
    assert with_ids(bot.sessions) == 3
    with bot.sessions() as session:
        imports = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "pupils.import", AuditEntry.actor == OFFICE
            )
        ).all()
        assert len(imports) == 1
        # the file itself is not kept: only the claim of its digest
        assert session.scalar(select(func.count(KeyValue.key))) >= 1


def test_a_bad_file_lists_every_problem_and_writes_nothing(bot: Bot) -> None:
    bad = "\n".join(
        [
            HEADER + ",Home Address",
            f"H1,Jack,Jones,,2,{YEAR},yes,yes,x",
        ]
    ).encode()
    send(bot, bad)
    (answer,) = replies(bot)
    assert 'line 1, column "Home Address"' in answer["text"]
    assert import_button(answer) is None
    bad_values = "\n".join(
        [HEADER, f"H1,Jack,Jones,,2,{YEAR},perhaps,yes", f"H1,Amy,Lee,,3,{YEAR},yes,"]
    ).encode()
    send(bot, bad_values, file_id="F0REG0002")
    listed = replies(bot)[1]["text"]
    assert "2 problems, nothing was imported" in listed
    assert 'line 2, column "twitter_consent"' in listed
    assert 'line 3, column "website_consent"' in listed
    assert with_ids(bot.sessions) == 0


def test_only_the_office_or_slt_may_send_the_register(bot: Bot) -> None:
    send(bot, GOOD, user=STAFF)
    (refusal,) = replies(bot)
    assert refusal["text"].startswith("Only the school office (or SLT)")
    send(bot, GOOD, user=OFFICE, file_id="F0REG0003")
    value = import_button(replies(bot)[1])
    assert value is not None
    bot.click("register_import_confirm", value, user=STAFF, channel=DM)  # a forged click
    assert with_ids(bot.sessions) == 0
    assert any("Only the school office" in t for t in bot.ephemerals(STAFF))
    bot.click("register_import_confirm", value, user=HEAD, channel=DM)
    assert with_ids(bot.sessions) == 3


def test_a_withdrawn_consent_is_kept_and_the_summary_says_so(bot: Bot) -> None:
    send(bot, GOOD)
    bot.click(
        "register_import_confirm", import_button(replies(bot)[0]) or "", user=OFFICE, channel=DM
    )
    from chatbot.services.registers import withdraw_consent

    with bot.sessions.begin() as session:
        withdraw_consent(session, "H3", "twitter", YEAR, OFFICE)
    send(bot, GOOD, file_id="F0REG0004")
    preview = replies(bot)[-1]["text"]
    assert "Line 4: twitter consent" in preview
    assert "stays withdrawn although the file says yes (an import never restores it" in preview
