"""A verdict as plain text for a teacher (`chatbot check` without ``--json``)."""

from __future__ import annotations

import textwrap

from chatbot.domain.findings import Outcome, Severity, Verdict

_HEADLINE = {
    Outcome.PASS: "PASS: nothing to change. The post can go to SLT for approval.",
    Outcome.WARN: "WARN: the post can go to SLT for approval, but look at these first.",
    Outcome.BLOCK: "BLOCK: the post cannot go out as it is. Fix what is listed under “Must fix”.",
}
_SECTION = {
    Severity.BLOCK: "Must fix",
    Severity.WARN: "Worth a look",
    Severity.INFO: "For information",
}
_WIDTH = 96


def render_report(verdict: Verdict) -> str:
    """Verdict first, then the findings grouped by severity, each with its policy clause."""
    lines = [_HEADLINE[verdict.outcome]]
    for severity in (Severity.BLOCK, Severity.WARN, Severity.INFO):
        findings = [f for f in verdict.findings if f.severity is severity]
        if not findings:
            continue
        lines += ["", f"{_SECTION[severity]} ({len(findings)}):"]
        for finding in findings:
            lines += textwrap.wrap(
                f"[{finding.rule}] {finding.message}",
                _WIDTH,
                initial_indent="  - ",
                subsequent_indent="    ",
            )
            if finding.excerpt:
                lines += textwrap.wrap(
                    f"in: {finding.excerpt}",
                    _WIDTH,
                    initial_indent="    ",
                    subsequent_indent="      ",
                )
            lines += textwrap.wrap(
                f"policy: “{finding.clause}”",
                _WIDTH,
                initial_indent="    ",
                subsequent_indent="      ",
            )
    return "\n".join(lines)
