"""A draft post and the states it moves through (DESIGN.md, "Draft lifecycle")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DraftState(StrEnum):
    POSTED = "posted"
    AWAITING_DECLARATION = "awaiting_declaration"
    CHECKED = "checked"
    NEEDS_CHANGES = "needs_changes"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    DELETED = "deleted"
    FAILED = "failed"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


S = DraftState

# Before publishing, an author's edit re-checks the draft and a deletion withdraws it.
EDITABLE: frozenset[DraftState] = frozenset(
    {
        S.POSTED,
        S.AWAITING_DECLARATION,
        S.CHECKED,
        S.NEEDS_CHANGES,
        S.PENDING_APPROVAL,
        S.APPROVED,
        S.SCHEDULED,
        S.FAILED,
    }
)

TRANSITIONS: dict[DraftState, frozenset[DraftState]] = {
    S.POSTED: frozenset({S.AWAITING_DECLARATION, S.CHECKED}),
    S.AWAITING_DECLARATION: frozenset({S.CHECKED}),
    S.CHECKED: frozenset({S.NEEDS_CHANGES, S.PENDING_APPROVAL}),
    S.NEEDS_CHANGES: frozenset({S.REJECTED, S.APPROVED, S.SCHEDULED}),  # approved = override
    S.PENDING_APPROVAL: frozenset({S.APPROVED, S.SCHEDULED, S.REJECTED}),
    S.APPROVED: frozenset({S.PUBLISHING, S.SCHEDULED}),
    S.SCHEDULED: frozenset({S.PUBLISHING, S.PENDING_APPROVAL}),  # cancel returns to SLT
    S.PUBLISHING: frozenset({S.PUBLISHED, S.APPROVED, S.FAILED, S.NEEDS_REVIEW}),
    S.PUBLISHED: frozenset({S.DELETED}),
    S.FAILED: frozenset({S.APPROVED}),  # SLT's Retry
    S.NEEDS_REVIEW: frozenset({S.PUBLISHED, S.APPROVED, S.FAILED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DELETED: frozenset(),
}
for _state in EDITABLE:
    # An edit goes back through the checks; a deleted message withdraws the draft.
    TRANSITIONS[_state] = TRANSITIONS[_state] | {S.POSTED, S.WITHDRAWN}


class IllegalTransition(Exception):
    def __init__(self, current: DraftState, wanted: DraftState) -> None:
        super().__init__(f"a draft cannot go from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def check_transition(current: DraftState, wanted: DraftState) -> None:
    if wanted not in TRANSITIONS[current]:
        raise IllegalTransition(current, wanted)


@dataclass(frozen=True, slots=True)
class PhotoCheck:
    """What the policy needs to know about one photo."""

    alt_text: str = ""
    face_count: int | None = None  # None: not counted (or not an image)
    problem: str | None = None  # why the file cannot be used, in a teacher's words
    filename: str = ""


@dataclass(frozen=True, slots=True)
class DraftContent:
    """Everything the policy engine judges: text, photos, and who is declared in them."""

    text: str
    photos: tuple[PhotoCheck, ...] = ()
    declared: bool = False  # a declaration of who is pictured has been made
    no_pupils: bool = False  # ...and it says the photos show no pupils
    pictured: tuple[str, ...] = ()  # full names of the pupils declared as pictured
    # Twitter consent of each of `pictured`, in order, when the caller knew the pupils by id (so
    # two pupils of one name are told apart); None: each name is looked up in the register
    # (`chatbot check --pictured "First Last"`).
    pictured_consent: tuple[bool, ...] | None = None
    # Pupils declared as pictured who are not on the register of the post's year (a leaver, or
    # a register not yet imported): counted only, so no finding repeats their names.
    pictured_off_register: int = 0
    unregistered_pictured: bool = False  # "someone who is not on the register" is pictured
    post_date: date = field(default_factory=date.today)
    # Answers to "Is 'Frank' here one of our pupils?", by the question's key (see
    # Finding.question): True = a pupil (the finding stays, no longer unsure), False = someone
    # else (the finding goes).
    name_answers: Mapping[str, bool] = field(default_factory=dict)
