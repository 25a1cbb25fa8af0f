"""App Home: what waits for SLT, what is scheduled, the person's own drafts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from chatbot.adapters.slack.cards.common import (
    age,
    clip,
    context_block,
    london,
    sections,
)
from chatbot.adapters.slack.render import escape
from chatbot.domain.academic_year import LONDON
from chatbot.services.home import DraftLine, HomeData

# -- App Home ----------------------------------------------------------------------------------


def _snippet(line: DraftLine) -> str:
    text = " ".join(line.text.split())
    return escape(clip(text, 80)) if text else "_(photos only)_"


def _home_lines(lines: Sequence[DraftLine], render: Any, empty: str) -> list[Block]:
    if not lines:
        return [context_block(empty)]
    return list(sections(render(line) for line in lines))


def home_view(data: HomeData) -> View:
    now = data.now
    blocks: list[Block] = [HeaderBlock(text="School X account: drafts")]
    review = london(datetime.combine(data.review_date, datetime.min.time(), tzinfo=LONDON))
    review = review.rsplit(",", 1)[0]
    if data.review_overdue:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f":warning: The school's Twitter policy was due for review on {review}: "
                    "the review is overdue. Ask the governors to review and ratify it."
                )
            )
        )
    else:
        blocks.append(context_block(f"The Twitter policy is next due for review on {review}."))
    if data.is_slt:
        blocks.append(HeaderBlock(text="Waiting for approval"))
        blocks.extend(
            _home_lines(
                data.pending,
                lambda d: (
                    f"• #{d.id} by <@{d.author_id}>, waiting {age(d.created_at, now)}: "
                    f"{_snippet(d)}"
                ),
                "Nothing is waiting for approval.",
            )
        )
        blocks.append(HeaderBlock(text="Scheduled"))
        blocks.extend(
            _home_lines(
                data.scheduled,
                lambda d: (
                    f"• #{d.id} at {london(d.not_before) if d.not_before else '?'}: {_snippet(d)}"
                ),
                "No posts are scheduled.",
            )
        )
        blocks.append(HeaderBlock(text="Recent decisions"))
        blocks.extend(
            _home_lines(
                data.decisions,
                lambda d: (
                    f"• #{d.id} {data.label(d, 'thread')} by <@{d.decided_by}>"
                    f"{' at ' + london(d.decided_at) if d.decided_at else ''}: {_snippet(d)}"
                ),
                "No decisions yet.",
            )
        )
    blocks.append(HeaderBlock(text="Your drafts"))
    blocks.extend(
        _home_lines(
            data.own,
            lambda d: (
                f"• #{d.id} {data.label(d, 'thread')}, {age(d.created_at, now)} ago: {_snippet(d)}"
            ),
            "You have no drafts. Post one in the drafts channel, or use /tweet.",
        )
    )
    return View(type="home", blocks=blocks[:100])
