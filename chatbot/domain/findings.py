"""What the policy checks say about a draft."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARN: 1, Severity.BLOCK: 2}


class Outcome(StrEnum):
    """The verdict: the worst severity among the findings (info counts as pass)."""

    PASS = "pass"  # noqa: S105 (a verdict, not a password)
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    clause: str
    excerpt: str = ""
    overridable: bool = False
    # A name the engine cannot tell is a pupil's: `question` is a stable key of the name and
    # the sentence it stands in (an edit of that sentence asks again), `subject` the name as
    # written, for "Is 'Frank' here one of our pupils?". Empty when the engine is sure.
    question: str = ""
    subject: str = ""

    @property
    def unsure(self) -> bool:
        return bool(self.question)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "clause": self.clause,
            "excerpt": self.excerpt,
        }
        if self.unsure:
            out["unsure"] = True
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Verdict:
        ordered = sorted(findings, key=lambda f: (-f.severity.rank, f.rule))
        return cls(tuple(ordered))

    @property
    def outcome(self) -> Outcome:
        worst = max((f.severity.rank for f in self.findings), default=0)
        return (Outcome.PASS, Outcome.WARN, Outcome.BLOCK)[worst]

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCK)

    @property
    def overridable(self) -> bool:
        """SLT may override only when every blocking finding allows it."""
        blocking = self.blocking
        return bool(blocking) and all(f.overridable for f in blocking)

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.outcome.value,
            "findings": [f.as_dict() for f in self.findings],
        }
