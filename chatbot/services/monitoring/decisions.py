"""What SLT decide on an alert, each decision a compare-and-set and an audit row.

`open` -> `dismissed` (suitable, with a note), `muted` (the network's mute, done here), `hidden`
(the reply hidden there, done here) or `actioned` (a person blocked or reported the account in
the network's app, which offers self-serve apps no block or report call). A muted or hidden
alert may still be marked actioned (or the other of the two); `dismissed` and `actioned` are
final.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.monitoring import (
    alert_by_id,
    alert_kind_rule_handle,
    alert_state_and_decider,
    decide_alert_state,
    staff_account_by_id,
    staff_block_recorded,
)
from chatbot.adapters.db.repositories import audit
from chatbot.domain.actors import Acting, acting_id
from chatbot.domain.alerts import AlertState
from chatbot.domain.networks import NetworkLimits
from chatbot.services.ports import ReadError, ReadErrorKind, SocialReader


class AlertDecision(StrEnum):
    """The states a decision moves an alert to (all of them but open)."""

    DISMISSED = AlertState.DISMISSED.value
    MUTED = AlertState.MUTED.value
    HIDDEN = AlertState.HIDDEN.value
    ACTIONED = AlertState.ACTIONED.value


A = AlertState
_FROM: dict[AlertDecision, tuple[AlertState, ...]] = {
    AlertDecision.DISMISSED: (A.OPEN,),
    AlertDecision.MUTED: (A.OPEN, A.HIDDEN),
    AlertDecision.HIDDEN: (A.OPEN, A.MUTED),
    AlertDecision.ACTIONED: (A.OPEN, A.MUTED, A.HIDDEN),
}


class AlertStale(Exception):
    """Someone decided first, or the alert does not allow this decision."""

    def __init__(self, alert_id: int, state: str | None, by: str | None) -> None:
        who = f" by {by}" if by else ""
        super().__init__(f"alert {alert_id} is already {state or 'gone'}{who}")
        self.alert_id = alert_id
        self.state = state
        self.decided_by = by


@dataclass(frozen=True, slots=True)
class AlertSubject:
    kind: str
    user_id: str
    handle: str
    post_id: str | None
    state: str


def decide_alert(
    sessions: sessionmaker[Session],
    alert_id: int,
    actor: Acting,
    decision: AlertDecision | str,
    note: str | None = None,
) -> None:
    """Record a decision, or raise `AlertStale` and change nothing."""
    decision = AlertDecision(decision)
    with transaction(sessions) as session:
        moved = decide_alert_state(
            session,
            alert_id,
            from_states=_FROM[decision],
            state=decision.value,
            decided_by=acting_id(actor),
            note=note,
        )
        if not moved:
            row = alert_state_and_decider(session, alert_id)
            raise AlertStale(alert_id, row[0] if row else None, row[1] if row else None)
        kind, rule, handle = alert_kind_rule_handle(session, alert_id)
        audit(
            session,
            actor=actor,
            action=f"alert_{decision.value}",
            subject=f"@{handle}",
            reason=note,
            detail={"alert_id": alert_id, "kind": kind, "rule": rule},
        )


def not_done(exc: ReadError, network: NetworkLimits) -> str:
    """What to tell SLT when the network (`network`, the reader's) refused a mute or a hide."""
    name = network.name
    if exc.kind is ReadErrorKind.CREDENTIALS:
        # "Try later" would not help: the keys are wrong or were revoked.
        return (
            f"Not done: {name} refused the bot's keys. Do it in the {name} app, and ask whoever "
            f"runs the bot to check {network.credentials or 'its keys'} and restart it."
        )
    return f"Not done: {name} refused ({exc}). Try later, or do it in the {name} app."


def mute_author(
    sessions: sessionmaker[Session], reader: SocialReader, alert_id: int, actor: Acting
) -> None:
    """Mute the account on the network, then record it (muting twice is harmless; a lost race
    is not)."""
    subject = _open_subject(sessions, alert_id, AlertDecision.MUTED)
    reader.mute(subject.user_id)
    decide_alert(sessions, alert_id, actor, AlertDecision.MUTED)


def hide_reply(
    sessions: sessionmaker[Session], reader: SocialReader, alert_id: int, actor: Acting
) -> None:
    subject = _open_subject(sessions, alert_id, AlertDecision.HIDDEN)
    if subject.post_id is None or subject.kind != "reply":
        raise ValueError(f"alert {alert_id} is not about a reply: there is nothing to hide")
    reader.hide_reply(subject.post_id)
    decide_alert(sessions, alert_id, actor, AlertDecision.HIDDEN)


def _open_subject(
    sessions: sessionmaker[Session], alert_id: int, decision: AlertDecision
) -> AlertSubject:
    with transaction(sessions) as session:
        alert = alert_by_id(session, alert_id)
        if alert is None or alert.state not in _FROM[decision]:
            raise AlertStale(
                alert_id, alert.state if alert else None, alert.decided_by if alert else None
            )
        return AlertSubject(
            alert.kind, alert.subject_id, alert.subject_handle, alert.post_id, alert.state
        )


def record_staff_block(sessions: sessionmaker[Session], alert_id: int, chat_user: Acting) -> str:
    """The member of staff says they blocked the account: audit it (SLT still decide).

    Returns the staff account's handle. Only the member of staff the alert is about may say so.
    """
    with transaction(sessions) as session:
        alert = alert_by_id(session, alert_id)
        staff = staff_account_by_id(session, alert.staff_account_id) if alert else None
        if alert is None or staff is None or staff.chat_user != acting_id(chat_user):
            raise PermissionError("only the member of staff this alert is about can say this")
        audit(
            session,
            actor=chat_user,
            action="alert_staff_blocked",
            subject=f"@{alert.subject_handle}",
            detail={"alert_id": alert_id, "staff_account_id": staff.id},
        )
        return staff.handle


def staff_has_blocked(session: Session, alert_id: int) -> bool:
    """For the card: has the member of staff said they blocked the account?"""
    return staff_block_recorded(session, alert_id)
