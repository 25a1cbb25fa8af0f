"""Staff accounts through the monitoring repository: opting in again, listing, a handle the
network does not know, and a block claimed on an alert that does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import AuditEntry, StaffAccount
from chatbot.services.monitoring import monitor_context, record_staff_block, run_monitor
from chatbot.services.monitoring.staff import add_staff, list_staff, remove_staff
from tests.contract.test_monitoring import RecordingChat, _alerts, _policy, _reader, _roster
from tests.fakes.x_social import SocialX
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)


def _staff_rows(sessions: sessionmaker[Session]) -> list[tuple[int, str, str, bool]]:
    with transaction(sessions) as session:
        return [
            (r.id, r.handle, r.chat_user, r.removed_at is None)
            for r in session.scalars(select(StaffAccount).order_by(StaffAccount.id))
        ]


def test_opting_in_again_reuses_the_row_and_lists_in_handle_order(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as session:
        zed = add_staff(session, "@ZedTeach", "U0ZED00001", actor="test").id
        add_staff(session, "amyteach", "U0AMY00001", actor="test")
    with transaction(sessions) as session:
        remove_staff(session, "zedteach", actor="test")
    with transaction(sessions) as session:
        assert [line.handle for line in list_staff(session)] == ["amyteach"]
        everyone = list_staff(session, include_removed=True)
    assert [(line.handle, line.removed_at is None) for line in everyone] == [
        ("amyteach", True),
        ("zedteach", False),
    ]

    with transaction(sessions) as session:
        again = add_staff(session, "ZEDTEACH", "U0ZED00002", actor="test")
        assert again.id == zed

    assert _staff_rows(sessions) == [
        (zed, "zedteach", "U0ZED00002", True),
        (zed + 1, "amyteach", "U0AMY00001", True),
    ]
    with transaction(sessions) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("staff_opt_in") == 3
    assert actions.count("staff_opt_out") == 1


def test_a_handle_the_network_does_not_know_is_audited_and_the_others_checked(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    # The social fake's "Could not find user" body is not in its X OpenAPI subset's error
    # schemas (a fake gap, not the bot's): let it through here.
    social_x.allow_violations = True
    _roster(sessions)
    chat = RecordingChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy())
    teacher = social_x.user("RealTeach")
    social_x.follow(social_x.user("zoesmith"), of=teacher["id"])
    with transaction(sessions) as session:
        add_staff(session, "GoneTeach", "U0GONE0001", actor="test")
        add_staff(session, "RealTeach", "U0REAL0001", actor="test")

    report = run_monitor(ctx, "staff")

    assert report.stopped is None
    assert [a.subject_handle for a in _alerts(sessions)] == ["zoesmith"]
    with transaction(sessions) as session:
        query = select(StaffAccount.handle, StaffAccount.network_user_id)
        ids = dict(session.execute(query).all())
        not_found = list(
            session.scalars(
                select(AuditEntry.subject).where(AuditEntry.action == "staff_account_not_found")
            )
        )
    assert ids == {"goneteach": None, "realteach": teacher["id"]}
    assert not_found == ["@goneteach"]


def test_a_block_claimed_on_an_alert_that_does_not_exist_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    with transaction(sessions) as session:
        add_staff(session, "MrsTeach", "U0TEACHER1", actor="test")
    with pytest.raises(PermissionError, match="only the member of staff"):
        record_staff_block(sessions, 1, "U0TEACHER1")
    with transaction(sessions) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "alert_staff_blocked" not in actions
