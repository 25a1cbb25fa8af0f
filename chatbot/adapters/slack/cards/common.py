"""What every Slack view shares: the Card, the limits, small Block Kit helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    RichTextBlock,
    RichTextQuoteElement,
    SectionBlock,
)

from chatbot.adapters.slack.render import escape
from chatbot.domain.findings import Finding, Severity
from chatbot.domain.london import age as age  # noqa: PLC0414 (the cards import it from here)
from chatbot.domain.london import london_time

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
_SEVERITY_HEADINGS = {
    Severity.BLOCK: ":no_entry: *Must change before it can be posted*",
    Severity.WARN: ":warning: *Worth checking*",
    Severity.INFO: ":information_source: *For information*",
}
PHOTO_SOURCE_LABELS = {"staff": "Taken by staff", "permission": "Used with permission"}


@dataclass(frozen=True, slots=True)
class Card:
    """A message: the plain `text` fallback (notifications, screen readers) and its blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def blocks_json(self) -> list[dict[str, Any]]:
        return [b.to_dict() for b in self.blocks]


# -- small helpers -----------------------------------------------------------------------------

london = london_time  # the cards' name for it


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sections(lines: Iterable[str], limit: int = SECTION_LIMIT) -> list[SectionBlock]:
    """Lines packed into as few mrkdwn sections as Slack's 3000-character limit allows."""
    blocks: list[SectionBlock] = []
    current = ""
    for raw in lines:
        line = clip(raw, limit)
        if current and len(current) + 1 + len(line) > limit:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=current)))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=current)))
    return blocks


def _finding_line(finding: Finding) -> str:
    line = f"• {escape(finding.message)}"
    if finding.excerpt:
        line += f" (“{escape(clip(finding.excerpt, 200))}”)"
    if finding.clause:
        line += f"\n      _Policy: {escape(clip(finding.clause, 300))}_"
    return line


def findings_blocks(findings: Sequence[Finding], max_blocks: int = 9) -> list[Block]:
    """Findings grouped by severity, worst first, each with its clause."""
    blocks: list[Block] = []
    for severity in (Severity.BLOCK, Severity.WARN, Severity.INFO):
        group = [f for f in findings if f.severity is severity]
        if group:
            lines = [_SEVERITY_HEADINGS[severity], *(_finding_line(f) for f in group)]
            blocks.extend(sections(lines))
    if len(blocks) > max_blocks:
        blocks = blocks[: max_blocks - 1]
        blocks.append(context_block("More findings than fit here; see the draft's thread."))
    return blocks


def context_block(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, SECTION_LIMIT))])


def post_text_block(text: str) -> Block:
    if not text.strip():
        return context_block("_(no text)_")
    shown = clip(text, 2900)
    return RichTextBlock(
        elements=[RichTextQuoteElement(elements=[{"type": "text", "text": shown}])]
    )


def button(
    text: str,
    action_id: str,
    draft_id: int,
    style: str | None = None,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=text),
        action_id=action_id,
        value=str(draft_id),
        style=style,
        confirm=confirm,
    )
