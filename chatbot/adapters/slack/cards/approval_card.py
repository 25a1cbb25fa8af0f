"""The approval card SLT decide on, in the approvals channel."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    ImageBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from chatbot.adapters.slack.cards.common import (
    MAX_BLOCKS,
    PHOTO_SOURCE_LABELS,
    Card,
    age,
    button,
    clip,
    context_block,
    findings_blocks,
    london,
    post_text_block,
    sections,
)
from chatbot.adapters.slack.name_views import cleared_line
from chatbot.adapters.slack.render import escape
from chatbot.domain.drafts import DraftState
from chatbot.services.draft_view import DraftView

# -- the approval card -------------------------------------------------------------------------


def _status(view: DraftView, now: datetime, dry_run: bool) -> str:
    by = f"<@{view.decided_by}>" if view.decided_by else "SLT"
    at = f" at {london(view.decided_at)}" if view.decided_at else ""
    reason = f"\nReason: {escape(view.reason)}" if view.reason else ""
    state = view.state
    if state in (DraftState.POSTED, DraftState.CHECKED):
        return ":hourglass_flowing_sand: Being checked…"
    if state is DraftState.AWAITING_DECLARATION:
        return ":hourglass_flowing_sand: Waiting for the author to say who is in the photos."
    if state is DraftState.PENDING_APPROVAL:
        return f":eyes: Waiting for approval (posted {age(view.created_at, now)} ago)."
    if state is DraftState.NEEDS_CHANGES:
        extra = (
            " SLT may override the blocking points, giving a reason."
            if view.overridable
            else " These points cannot be overridden."
        )
        return ":no_entry: The checks block this draft: the author must change it." + extra
    if state is DraftState.APPROVED and view.post_unconfirmed:
        # Never "queued": the last try may have put it on X, and the next one finds out.
        return (
            f":hourglass_flowing_sand: Approved by {by}{at}. X did not confirm the last try, so "
            "this may already be posted; the bot is checking and tries again shortly (X "
            f"refuses the same text twice).{reason}"
        )
    if state is DraftState.APPROVED:
        return f":white_check_mark: Approved by {by}{at}; queued to post on X.{reason}"
    if state is DraftState.PUBLISHING and view.post_unconfirmed:
        return ":outbox_tray: Posting to X… (it may already be posted; the bot is checking)"
    if state is DraftState.SCHEDULED:
        when = london(view.not_before) if view.not_before else "a later time"
        return f":calendar: Approved by {by}{at}; will be posted at {when} (London time)."
    if state is DraftState.PUBLISHING:
        return ":outbox_tray: Posting to X…"
    if state is DraftState.PUBLISHED:
        where = f"<{view.post_url}|{escape(view.post_url)}>" if view.post_url else "X"
        note = (
            "\n_Dry run: X credentials are not set, so nothing was really posted._"
            if dry_run
            else ""
        )
        return f":white_check_mark: Posted on {where} (approved by {by}).{note}"
    if state is DraftState.FAILED:
        return ":x: Posting to X failed. Press *Retry* to try again, or reject the draft."
    if state is DraftState.NEEDS_REVIEW:
        return (
            ":warning: The bot stopped while posting this, so it may or may not be on X. "
            "Look at the school's account: if the post is there press *Mark as published*, "
            "if not press *Retry*."
        )
    if state is DraftState.DELETED:
        # decided_by is who approved it; who asked for the takedown, and why, is in the audit log.
        return ":wastebasket: Deleted from X. The audit log records who asked for it and why."
    if state is DraftState.REJECTED:
        return f":x: Not approved by {by}{at}.{reason}"
    return ":leftwards_arrow_with_hook: Withdrawn: the author deleted the message."


def _actions(view: DraftView) -> list[ButtonElement]:
    state, draft_id = view.state, view.id
    if state is DraftState.PENDING_APPROVAL and not view.verdict.blocking:
        confirm = ConfirmObject(
            title="Post this on X?",
            text="It will be posted on the school's account straight away.",
            confirm="Approve and post",
            deny="Not yet",
        )
        return [
            button("Approve", "draft_approve", draft_id, "primary", confirm),
            button("Approve for later…", "draft_schedule", draft_id),
            button("Reject…", "draft_reject", draft_id, "danger"),
        ]
    if state is DraftState.NEEDS_CHANGES:
        buttons = []
        if view.overridable:
            buttons.append(button("Override and approve…", "draft_override", draft_id))
        buttons.append(button("Reject…", "draft_reject", draft_id, "danger"))
        return buttons
    if state is DraftState.SCHEDULED:
        return [button("Cancel schedule", "draft_cancel_schedule", draft_id)]
    if state is DraftState.FAILED:
        return [button("Retry", "draft_retry", draft_id, "primary")]
    if state is DraftState.NEEDS_REVIEW:
        return [
            button("Mark as published…", "draft_mark_published", draft_id),
            button("Retry", "draft_retry", draft_id),
        ]
    if state is DraftState.PUBLISHED:
        confirm = ConfirmObject(
            title="Delete the post from X?",
            text="You will be asked why; the bot then deletes the post from the school's account.",
            confirm="Continue",
            deny="Keep it",
        )
        return [button("Delete from X…", "draft_takedown", draft_id, "danger", confirm)]
    return []


def _photo_blocks(view: DraftView) -> list[Block]:
    blocks: list[Block] = []
    problems = []
    for photo in view.photos:
        label = f"Photo {photo.position + 1}"
        if photo.problem:
            problems.append(f"• {label} ({escape(photo.filename)}): {escape(photo.problem)}")
        elif photo.file_id and photo.usable and len(blocks) < 4:
            alt = photo.alt_text or "no description yet"
            blocks.append(
                ImageBlock(
                    slack_file={"id": photo.file_id},
                    alt_text=clip(alt, 2000),
                    title=PlainTextObject(text=clip(f"{label}: {alt}", 2000), emoji=False),
                )
            )
    if len(view.photos) > 4:
        problems.insert(0, f"{len(view.photos)} files shared; a post takes at most 4 photos.")
    if problems:
        blocks.extend(sections(problems))
    if view.photos:
        if view.no_pupils:
            who = "No pupils pictured (declared by the author)."
        elif view.pictured:
            who = "Pictured: " + "; ".join(
                f"{escape(p.label)} {'✅ consent' if p.consent else '⛔ NO consent'}"
                for p in view.pictured
            )
        else:
            who = "Nobody has said yet who is in the photos."
        source = PHOTO_SOURCE_LABELS.get(view.photo_source or "", "")
        blocks.append(context_block(who + (f" Source: {source}." if source else "")))
    return blocks


def draft_card(view: DraftView, *, now: datetime, dry_run: bool = False) -> Card:
    """The approval card for every state: buttons follow the state and the verdict."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Draft #{view.id}* by <@{view.author_id}> for the school's X account"
            )
        ),
        post_text_block(view.text),
    ]
    length = f"{view.weighted_length}/{view.max_length} characters (as X counts them)"
    if view.too_long:
        length = ":no_entry: " + length
    notes = [length]
    if view.has_link:
        notes.append("a post with a link costs more on X")
    blocks.append(context_block(" · ".join(notes)))
    blocks.extend(_photo_blocks(view))
    if view.verdict.findings:
        blocks.append(DividerBlock())
        blocks.extend(findings_blocks(view.verdict.findings))
    elif view.state not in (DraftState.POSTED, DraftState.AWAITING_DECLARATION):
        blocks.append(context_block(":white_check_mark: The checks found nothing to change."))
    if view.cleared:  # SLT see who said a name is not a pupil's
        blocks.append(context_block("\n".join(cleared_line(c) for c in view.cleared)))
    blocks.append(DividerBlock())
    blocks.append(SectionBlock(text=MarkdownTextObject(text=_status(view, now, dry_run))))
    buttons = _actions(view)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"draft_{view.id}", elements=buttons))
    assert len(blocks) <= MAX_BLOCKS  # noqa: S101 (bounded by construction above)
    state = view.state.value.replace("_", " ")
    text = f"Draft #{view.id} by <@{view.author_id}> ({state}): {escape(clip(view.text, 150))}"
    return Card(text=text, blocks=blocks)
