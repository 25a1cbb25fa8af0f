"""In the drafts channel: the checks' reply in a draft's thread, and the message of a
draft sent with the compose form."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ConfirmObject,
    MarkdownTextObject,
    SectionBlock,
)

from chatbot.adapters.slack.cards.common import (
    MAX_BLOCKS,
    Card,
    button,
    clip,
    context_block,
    findings_blocks,
    post_text_block,
    sections,
)
from chatbot.adapters.slack.render import escape, mrkdwn
from chatbot.domain.drafts import DraftState
from chatbot.domain.messages import Telling
from chatbot.services.draft_view import DraftView

# -- the draft's thread ------------------------------------------------------------------------


def checks_reply(view: DraftView, notices: Sequence[Telling] = ()) -> Card:
    """What the author sees in the thread: findings, notices, and what happens next."""
    blocks: list[Block] = []
    if notices:
        blocks.extend(sections(f":information_source: {mrkdwn(n)}" for n in notices))
    if view.verdict.findings:
        blocks.extend(findings_blocks(view.verdict.findings))
    else:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=":white_check_mark: Looks good: no problems found.")
            )
        )
    state = view.state
    # The author is mentioned where they must act: a draft sent with /tweet is the bot's
    # message, and Slack does not tell them about replies in its thread otherwise.
    author = f"<@{view.author_id}>"
    if state is DraftState.AWAITING_DECLARATION:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"{author} Before SLT see it, say who is in the photos and describe "
                    "each one."
                ),
                accessory=button("Say who is pictured", "draft_declare", view.id, "primary"),
            )
        )
        summary = "Say who is in the photos before SLT can approve this draft."
    elif state is DraftState.NEEDS_CHANGES:
        blocks.append(
            context_block(
                f"{author} Edit your draft to fix the blocking points: the bot checks it again."
            )
        )
        summary = "The checks block this draft: see the points in this thread."
    elif state is DraftState.PENDING_APPROVAL:
        blocks.append(context_block("It is now waiting for approval by SLT."))
        summary = "Checked: waiting for approval by SLT."
    else:
        summary = "Checked."
    if view.photos and state in (DraftState.NEEDS_CHANGES, DraftState.PENDING_APPROVAL):
        blocks.append(
            ActionsBlock(
                elements=[button("Change who is pictured", "draft_declare", view.id)],
            )
        )
    return Card(text=summary, blocks=blocks[:MAX_BLOCKS])


def composed_draft(
    author: str, text: str, draft_id: int | None = None, *, withdrawn: bool = False
) -> Card:
    """The drafts-channel message for a draft sent with the compose form.

    The message is the bot's, so its author cannot edit or delete it in Slack: the buttons
    (for the author only, checked on the server) do that instead.
    """
    summary = f"Draft from <@{author}>" + (" (withdrawn)" if withdrawn else "")
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{summary}:*")),
        post_text_block(text),
    ]
    if withdrawn:
        blocks.append(context_block("Withdrawn by its author."))
    elif draft_id is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    button("Edit…", "draft_edit", draft_id),
                    button(
                        "Withdraw",
                        "draft_withdraw",
                        draft_id,
                        confirm=ConfirmObject(
                            title="Withdraw this draft?",
                            text="SLT will no longer see it. This cannot be undone.",
                            confirm="Withdraw",
                            deny="Keep it",
                        ),
                    ),
                ]
            )
        )
        blocks.append(context_block("Only the author can edit or withdraw this draft."))
    return Card(text=f"{summary}:\n{escape(clip(text, 2900))}", blocks=blocks)
