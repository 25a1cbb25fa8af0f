"""Running the policy over a stored draft, and the states that follow from the verdict.

Shared by intake (new drafts, edits, declarations) and approval (consent re-checked before an
approval), so a draft is always judged the same way.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from chatbot.adapters.db.models import Draft, FindingRow
from chatbot.adapters.db.publishing import (
    find_draft,
    flush_changes,
    pupils_by_id,
    staff_display_names,
)
from chatbot.adapters.db.repositories import move
from chatbot.domain.academic_year import LONDON, AcademicYear
from chatbot.domain.actors import Acting
from chatbot.domain.drafts import DraftContent, DraftState, PhotoCheck
from chatbot.domain.findings import Finding, Outcome, Severity, Verdict
from chatbot.domain.pupils import Register
from chatbot.policy.engine import PolicyEngine
from chatbot.policy.model import Policy
from chatbot.services.registers import load_register, on_register_in, twitter_consent

# Safeguarding rules no one may override, whatever the policy file says (DESIGN.md).
NEVER_OVERRIDABLE: frozenset[str] = frozenset(
    {"photo-consent", "pupil-name-with-photo", "photo-undeclared", "offensive", "extremism"}
)


def may_override(verdict: Verdict) -> bool:
    """SLT may override only when every blocking finding allows it, never a safeguarding rule."""
    return verdict.overridable and not any(f.rule in NEVER_OVERRIDABLE for f in verdict.blocking)


def post_day(draft: Draft, now: datetime) -> date:
    """The day the post would go out, in London: its scheduled time, or today."""
    moment = draft.not_before if draft.not_before and draft.not_before > now else now
    return moment.astimezone(LONDON).date()


def content_of(session: Session, draft: Draft, day: date) -> DraftContent:
    ids = [p.pupil_id for p in draft.pictured]
    pictured = pupils_by_id(session, ids) if ids else []
    on_register = on_register_in(session, ids, AcademicYear.of(day))
    shown = [p for p in pictured if p.id in on_register]
    # By id, not by name: of two pupils called Amy Smith, this one's consent is what counts.
    consent = twitter_consent(session, [p.id for p in shown], day)
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
        pictured=tuple(f"{p.first_name} {p.last_name}" for p in shown),
        pictured_consent=tuple(consent[p.id] for p in shown),
        pictured_off_register=sum(1 for p in pictured if p.id not in on_register),
        unregistered_pictured=draft.unregistered_pictured,
        post_date=day,
        name_answers={a.question: a.is_pupil for a in draft.name_answers},
    )


class _EngineCache:
    """Engines by (policy, register, staff): building one indexes every pupil's name (~18 ms
    for 2,000 pupils), checking with it is cheap.

    The key is the register's content, read afresh for every check, not a version number
    someone must remember to bump: a pupil added or a consent changed a moment ago gives a
    different key, so a stale register can never be used.
    """

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._engines: OrderedDict[tuple[int, Register, tuple[str, ...]], PolicyEngine] = (
            OrderedDict()
        )

    def get(self, policy: Policy, register: Register, staff: Sequence[str]) -> PolicyEngine:
        key = (id(policy), register, tuple(staff))
        with self._lock:
            engine = self._engines.get(key)
            # id() alone could be reused by a new policy once the old one is freed
            if engine is not None and engine.policy is policy:
                self._engines.move_to_end(key)
                return engine
        engine = PolicyEngine(policy, register, staff_names=key[2])
        with self._lock:
            self._engines[key] = engine
            while len(self._engines) > self._size:
                self._engines.popitem(last=False)
        return engine


engines = _EngineCache()


def judge(session: Session, draft: Draft, policy: Policy, now: datetime) -> Verdict:
    """The verdict on the draft as stored now (consent read afresh from the register)."""
    day = post_day(draft, now)
    register = load_register(session, AcademicYear.of(day))
    staff = staff_display_names(session)
    verdict = engines.get(policy, register, staff).check(content_of(session, draft, day))
    return Verdict.of(_enforce_safeguarding(verdict.findings))


def _enforce_safeguarding(findings: tuple[Finding, ...]) -> list[Finding]:
    return [
        replace(f, overridable=False) if f.overridable and f.rule in NEVER_OVERRIDABLE else f
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
                question=f.question,
                subject=f.subject[:200],
            )
        )
    draft.verdict = verdict.outcome.value
    flush_changes(session)


def stored_verdict(draft: Draft) -> Verdict:
    return Verdict.of(
        Finding(
            rule=row.rule,
            severity=Severity(row.severity),
            message=row.message,
            clause=row.clause,
            excerpt=row.excerpt,
            overridable=row.overridable and row.rule not in NEVER_OVERRIDABLE,
            question=row.question,
            subject=row.subject,
        )
        for row in draft.findings
    )


def needs_declaration(draft: Draft) -> bool:
    return bool(draft.photos) and not draft.declared


def settle(
    session: Session, draft_id: int, policy: Policy, now: datetime, *, actor: Acting
) -> DraftState:
    """Check the draft again and move it to where the verdict puts it; returns the new state.

    From any editable state the draft goes back through `posted`, so every transition (and its
    audit row) follows the lifecycle in DESIGN.md.
    """
    draft = find_draft(session, draft_id)
    if draft is None:
        raise LookupError(f"draft {draft_id} does not exist")
    state = DraftState(draft.state)
    if state not in (DraftState.POSTED, DraftState.AWAITING_DECLARATION):
        move(session, draft_id, state, DraftState.POSTED, actor=actor, action="recheck")
        state = DraftState.POSTED
    draft = find_draft(session, draft_id)
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
