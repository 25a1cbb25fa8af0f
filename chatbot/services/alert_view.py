"""A safeguarding alert as its card shows it, on every chat platform: read from the store in one go.

The card tells SLT who (the handle and a link to the profile or post), which rule, and the
evidence. For a name match it says which pupil the name looks like, read from the register when
the card is drawn: the alerts table keeps only the pupil's id (see DESIGN.md, "Safeguarding").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.monitoring import (
    alert_by_id,
    pupil_by_id,
    pupil_year_group,
    staff_account_by_id,
)
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.networks import NetworkLimits
from chatbot.domain.pupils import Pupil
from chatbot.services.monitoring.decisions import staff_has_blocked

# Each monitor rule in SLT's words, the same on every card.
RULES = {
    "pupil-name": "name or handle like a pupil's on the register",
    "child-bio": "bio reads like a child's",
    "offensive": "offensive language",
    "extremism": "extremist phrase (Prevent)",
    "undermining": "undermines the school, its staff, parents or governors",
    "new-empty-account": "brand-new empty account",
}
_ABOUT_A_POST = frozenset({"mention", "reply"})


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    kind: str
    rule: str
    evidence: str
    handle: str
    post_id: str | None
    state: str
    decided_by: str | None
    decided_at: datetime | None
    note: str | None
    pupil_label: str | None  # "Zoë Smith (Year 5)", read from the register for the card only
    staff_handle: str | None
    staff_blocked: bool
    network: str  # the network's name, for "Open the post on …"
    link: str  # the post's public link for a mention or reply, else the profile's ('' if none)

    @property
    def links_post(self) -> bool:
        """Whether `link` opens the post (a mention or a reply), not the profile."""
        return bool(self.post_id) and self.kind in _ABOUT_A_POST

    @property
    def rule_words(self) -> str:
        return RULES.get(self.rule, self.rule)

    @property
    def headline(self) -> str:
        who = f"@{self.handle}"
        if self.kind == "staff_follower":
            return f"{who} follows a member of staff, @{self.staff_handle or '?'}"
        if self.kind == "reply":
            return f"A reply from {who}"
        if self.kind == "mention":
            return f"A mention by {who}"
        return f"A new follower: {who}"


def alert_link(limits: NetworkLimits, kind: str, handle: str, post_id: str | None) -> str:
    if post_id and kind in _ABOUT_A_POST:
        return limits.post_url(handle, post_id)
    return limits.profile_url(handle)


def load_alert_view(session: Session, alert_id: int, limits: NetworkLimits) -> AlertView | None:
    """The alert's card as it is now; `limits`: the network read (its name, its links)."""
    alert = alert_by_id(session, alert_id)
    if alert is None:
        return None
    staff = staff_account_by_id(session, alert.staff_account_id) if alert.staff_account_id else None
    return AlertView(
        id=alert.id,
        kind=alert.kind,
        rule=alert.rule,
        evidence=alert.evidence,
        handle=alert.subject_handle,
        post_id=alert.post_id,
        state=alert.state,
        decided_by=alert.decided_by,
        decided_at=alert.decided_at,
        note=alert.note,
        pupil_label=_pupil_label(session, alert.pupil_id) if alert.pupil_id else None,
        staff_handle=staff.handle if staff else None,
        staff_blocked=staff_has_blocked(session, alert.id) if staff else False,
        network=limits.name,
        link=alert_link(limits, alert.kind, alert.subject_handle, alert.post_id),
    )


def _pupil_label(session: Session, pupil_id: int) -> str | None:
    row = pupil_by_id(session, pupil_id)
    if row is None:
        return None
    group = pupil_year_group(session, pupil_id, str(AcademicYear.at(utcnow())))
    return Pupil(row.first_name, row.last_name, row.preferred_name, group or "").label
