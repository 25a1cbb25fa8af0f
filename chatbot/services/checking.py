"""Running the policy over a stored draft, and the states that follow from the verdict.

Shared by intake (new drafts, edits, declarations) and approval (consent re-checked before an
approval), so a draft is always judged the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatbot.domain.academic_year import LONDON, AcademicYear
from chatbot.domain.drafts import DraftContent, DraftState, PhotoCheck
from chatbot.domain.findings import Finding, Outcome, Severity, Verdict
from chatbot.policy.engine import PolicyEngine
from chatbot.policy.model import Policy
from chatbot.services.registers import load_register
from chatbot.store.models import Draft, FindingRow, PupilRow, StaffAccount
from chatbot.store.repositories import move

# Safeguarding rules no one may override, whatever the policy file says (DESIGN.md).
NEVER_OVERRIDABLE: frozenset[str] = frozenset(
    {"photo-consent", "pupil-name-with-photo", "photo-undeclared", "offensive", "extremism"}
)


def post_day(draft: Draft, now: datetime) -> date:
    """The day the post would go out, in London: its scheduled time, or today."""
    moment = draft.not_before if draft.not_before and draft.not_before > now else now
    return moment.astimezone(LONDON).date()


def content_of(session: Session, draft: Draft, day: date) -> DraftContent:
    ids = [p.pupil_id for p in draft.pictured]
    pictured = session.scalars(select(PupilRow).where(PupilRow.id.in_(ids))).all() if ids else []
    return DraftContent(
        text=draft.text,
        photos=tuple(
            PhotoCheck(
                alt_text=photo.alt_text or "",
                face_count=photo.face_count,
                problem=photo.problem,
                filename=photo.filename,
            )
            for photo in draft.photos
        ),
        declared=draft.declared,
        no_pupils=draft.no_pupils,
        pictured=tuple(f"{p.first_name} {p.last_name}" for p in pictured),
        post_date=day,
    )


def judge(session: Session, draft: Draft, policy: Policy, now: datetime) -> Verdict:
    """The verdict on the draft as stored now (consent read afresh from the register)."""
    day = post_day(draft, now)
    register = load_register(session, AcademicYear.of(day))
    staff = session.scalars(
        select(StaffAccount.display_name).where(
            StaffAccount.removed_at.is_(None), StaffAccount.display_name != ""
        )
    ).all()
    verdict = PolicyEngine(policy, register, staff_names=staff).check(
        content_of(session, draft, day)
    )
    return Verdict.of(_enforce_safeguarding(verdict.findings))


def _enforce_safeguarding(findings: tuple[Finding, ...]) -> list[Finding]:
    return [
        Finding(f.rule, f.severity, f.message, f.clause, f.excerpt, overridable=False)
        if f.overridable and f.rule in NEVER_OVERRIDABLE
        else f
        for f in findings
    ]


def store_verdict(session: Session, draft: Draft, verdict: Verdict) -> None:
    draft.findings.clear()
    for f in verdict.findings:
        draft.findings.append(
            FindingRow(
                rule=f.rule,
                severity=f.severity.value,
                message=f.message,
                clause=f.clause,
                excerpt=f.excerpt,
                overridable=f.overridable,
            )
        )
    draft.verdict = verdict.outcome.value
    session.flush()


def stored_verdict(draft: Draft) -> Verdict:
    return Verdict.of(
        Finding(
            rule=row.rule,
            severity=Severity(row.severity),
            message=row.message,
            clause=row.clause,
            excerpt=row.excerpt,
            overridable=row.overridable and row.rule not in NEVER_OVERRIDABLE,
        )
        for row in draft.findings
    )


def needs_declaration(draft: Draft) -> bool:
    return bool(draft.photos) and not draft.declared


def settle(
    session: Session, draft_id: int, policy: Policy, now: datetime, *, actor: str
) -> DraftState:
    """Check the draft again and move it to where the verdict puts it; returns the new state.

    From any editable state the draft goes back through `posted`, so every transition (and its
    audit row) follows the lifecycle in DESIGN.md.
    """
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise LookupError(f"draft {draft_id} does not exist")
    state = DraftState(draft.state)
    if state not in (DraftState.POSTED, DraftState.AWAITING_DECLARATION):
        move(session, draft_id, state, DraftState.POSTED, actor=actor, action="recheck")
        state = DraftState.POSTED
    draft = session.get(Draft, draft_id)
    assert draft is not None  # noqa: S101 (just read above, in this transaction)
    verdict = judge(session, draft, policy, now)
    store_verdict(session, draft, verdict)
    if needs_declaration(draft):
        if state is not DraftState.AWAITING_DECLARATION:
            move(session, draft_id, state, DraftState.AWAITING_DECLARATION, actor=actor)
        return DraftState.AWAITING_DECLARATION
    move(
        session,
        draft_id,
        state,
        DraftState.CHECKED,
        actor=actor,
        detail={"verdict": verdict.outcome.value},
    )
    final = (
        DraftState.NEEDS_CHANGES
        if verdict.outcome is Outcome.BLOCK
        else DraftState.PENDING_APPROVAL
    )
    move(session, draft_id, DraftState.CHECKED, final, actor=actor)
    return final
