"""What Slack's App Home shows, as a card for the person's 1:1 chat with the bot.

Teams has no App Home: the bot sends this card when someone opens or writes in its personal
chat. The same sections as Slack's (`cards.home_view`): the policy's review date, for SLT the
queue, the schedule and recent decisions, and the person's own drafts. Post text is staff text,
in runs; people are mentioned by their Entra object id. For the school office and SLT it ends
with the button that opens the consent dialog (as "consent" written in the chat does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from chatbot.adapters.teams.cards import age, london
from chatbot.adapters.teams.consent_cards import consent_button
from chatbot.adapters.teams.elements import (
    Json,
    Mentions,
    TeamsCard,
    adaptive_card,
    clip,
    rich,
    run,
    text_block,
)
from chatbot.domain.academic_year import LONDON
from chatbot.services.home import DraftLine, HomeData

MAX_LINES = 15  # per section: the card stays well inside Teams' 28 KB


def _snippet(line: DraftLine) -> Json:
    text = " ".join(line.text.split())
    return run(clip(text, 80)) if text else run("(photos only)", italic=True)


def _heading(text: str) -> Json:
    return text_block(f"**{text}**", size="medium", separator=True, style="heading")


def _section(
    title: str, lines: Sequence[DraftLine], head: Callable[[DraftLine], str], empty: str
) -> list[Json]:
    items = [_heading(title)]
    if not lines:
        return [*items, text_block(empty, isSubtle=True)]
    for line in lines[:MAX_LINES]:
        # The head is our Markdown (a mention, a date); the post's words are a run below it.
        items.append(text_block(head(line), spacing="small"))
        items.append(rich(_snippet(line), isSubtle=True, spacing="none"))
    if len(lines) > MAX_LINES:
        items.append(text_block(f"… and {len(lines) - MAX_LINES} more.", isSubtle=True))
    return items


def _review(data: HomeData) -> Json:
    day = data.review_date
    when = f"{datetime(day.year, day.month, day.day, tzinfo=LONDON):%a} {day.day} {day:%b %Y}"
    if data.review_overdue:
        return text_block(
            f"⚠️ The school's Twitter policy was due for review on {when}: the review is "
            "overdue. Ask the governors to review and ratify it.",
            color="warning",
        )
    return text_block(f"The Twitter policy is next due for review on {when}.", isSubtle=True)


def home_card(
    data: HomeData, *, names: Mapping[str, str] | None = None, may_record_consent: bool = False
) -> TeamsCard:
    """`may_record_consent`: the core's `office.may_record_consent` for the person."""
    mention = Mentions(names or {})
    now = data.now
    body: list[Json] = [
        text_block("School X account: drafts", size="large", weight="bolder", style="heading"),
        _review(data),
    ]
    if data.is_slt:
        body += _section(
            "Waiting for approval",
            data.pending,
            lambda d: (
                f"#{d.id} by {mention(d.author_id, 'the author')}, waiting {age(d.created_at, now)}"
            ),
            "Nothing is waiting for approval.",
        )
        body += _section(
            "Scheduled",
            data.scheduled,
            lambda d: f"#{d.id} at {london(d.not_before) if d.not_before else '?'}",
            "No posts are scheduled.",
        )
        body += _section(
            "Recent decisions",
            data.decisions,
            lambda d: (
                f"#{d.id} {data.label(d, 'replies')}"
                + (f" by {mention(d.decided_by, 'a member of SLT')}" if d.decided_by else "")
                + (f" at {london(d.decided_at)}" if d.decided_at else "")
            ),
            "No decisions yet.",
        )
    body += _section(
        "Your drafts",
        data.own,
        lambda d: f"#{d.id} {data.label(d, 'replies')}, {age(d.created_at, now)} ago",
        "You have no drafts. Post one in the drafts channel.",
    )
    summary = "Your drafts for the school's X account"
    actions = [consent_button()] if may_record_consent else []
    card = adaptive_card(body, actions, mentions=mention, fallback_text=summary)
    return TeamsCard(text=summary, content=card)


__all__ = ["home_card"]
