"""The draft's reply chain on Teams: findings, notices, what happens next, "Who is pictured?".

As Slack's `checks_reply`: the author is mentioned where they must act, and the button that
opens the "Who is pictured?" dialog is an `Action.Submit` with the contract's data
`{"msteams": {"type": "task/fetch"}, "verb": "draft_declare", "draft": "<id>"}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chatbot.adapters.teams.elements import (
    Json,
    Mentions,
    TeamsCard,
    adaptive_card,
    clip,
    container,
    rich,
    run,
    task_fetch,
    text_block,
)
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Finding, Severity
from chatbot.services.draft_view import DraftView

MAX_FINDINGS = 12  # more would crowd the card (and its 28 KB); the replies have them all
SEVERITY_HEADINGS = {
    Severity.BLOCK: ("⛔ **Must change before it can be posted**", "attention"),
    Severity.WARN: ("⚠️ **Worth checking**", "warning"),
    Severity.INFO: ("ℹ️ **For information**", "accent"),
}


# -- findings ----------------------------------------------------------------------------------


def _finding_items(finding: Finding) -> list[Json]:
    line = [run("• "), run(finding.message)]
    if finding.excerpt:
        line.append(run(f" (“{clip(finding.excerpt, 200)}”)", italic=True))
    items = [rich(*line)]
    if finding.clause:
        items.append(
            rich(run("Policy: "), run(clip(finding.clause, 300), italic=True), isSubtle=True)
        )
    items[-1]["inlines"].append(run(f"  [{finding.rule}]", isSubtle=True, size="small"))
    return items


def findings_items(findings: Sequence[Finding], *, limit: int = MAX_FINDINGS) -> list[Json]:
    """Findings grouped by severity, worst first, each with its clause and rule."""
    items: list[Json] = []
    shown = 0
    for severity in (Severity.BLOCK, Severity.WARN, Severity.INFO):
        group = [f for f in findings if f.severity is severity]
        if not group or shown >= limit:
            continue
        heading, colour = SEVERITY_HEADINGS[severity]
        body: list[Json] = [text_block(heading, color=colour)]
        for finding in group[: limit - shown]:
            body.extend(_finding_items(finding))
        shown += min(len(group), limit - shown)
        items.append(container(body, spacing="medium"))
    if shown < len(findings):
        items.append(
            text_block("More findings than fit here; see the draft's replies.", isSubtle=True)
        )
    return items


# -- the draft's reply chain -------------------------------------------------------------------


def declare_button(view: DraftView, title: str = "Say who is pictured") -> Json:
    """Opens the "Who is pictured?" dialog (`task/fetch` with verb `draft_declare`)."""
    return task_fetch(title, "draft_declare", {"draft": str(view.id)})


def checks_reply(
    view: DraftView, notices: Sequence[str] = (), *, names: Mapping[str, str] | None = None
) -> TeamsCard:
    """What the author sees in the reply chain: findings, notices, and what happens next."""
    mention = Mentions(names or {})
    body: list[Json] = [rich(run("ℹ️ "), run(n)) for n in notices]
    if view.verdict.findings:
        body.extend(findings_items(view.verdict.findings))
    else:
        body.append(text_block("✅ Looks good: no problems found."))
    actions: list[Json] = []
    state = view.state
    if state is DraftState.AWAITING_DECLARATION:
        author = mention(view.author_id, "the author")
        body.append(
            text_block(
                f"{author} Before SLT see it, say who is in the photos and describe each one.",
                weight="bolder",
            )
        )
        actions.append(declare_button(view) | {"style": "positive"})
        summary = "Say who is in the photos before SLT can approve this draft."
    elif state is DraftState.NEEDS_CHANGES:
        author = mention(view.author_id, "the author")
        body.append(
            text_block(
                f"{author} Edit your draft to fix the blocking points: the bot checks it again.",
                isSubtle=True,
            )
        )
        summary = "The checks block this draft: see the points in the replies."
    elif state is DraftState.PENDING_APPROVAL:
        body.append(text_block("It is now waiting for approval by SLT.", isSubtle=True))
        summary = "Checked: waiting for approval by SLT."
    else:
        summary = "Checked."
    if view.photos and state in (DraftState.NEEDS_CHANGES, DraftState.PENDING_APPROVAL):
        actions.append(declare_button(view, "Change who is pictured"))
    card = adaptive_card(body, actions, mentions=mention, fallback_text=summary)
    return TeamsCard(text=summary, content=card)


def notice_card(text: str) -> TeamsCard:
    """A plain notice in the reply chain (a rejection, a post that went out), text as typed."""
    return TeamsCard(text=clip(text, 150), content=adaptive_card([rich(run(clip(text, 4000)))]))


__all__ = ["checks_reply", "declare_button", "findings_items", "notice_card"]
