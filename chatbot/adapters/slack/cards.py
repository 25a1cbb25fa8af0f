"""Block Kit for drafts: the approval card, thread replies, modals, App Home.

Built with `slack_sdk.models.blocks`, which checks Slack's length limits when a block is turned
into JSON. Staff text is escaped (``& < >``) wherever Slack would read it as markup; the post
itself is shown in a rich-text quote, which Slack never reformats, so SLT see it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    ExternalDataMultiSelectElement,
    HeaderBlock,
    ImageBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    RichTextBlock,
    RichTextQuoteElement,
    SectionBlock,
    TimePickerElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from chatbot.adapters.slack.name_views import cleared_line
from chatbot.domain.academic_year import LONDON
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Finding, Severity
from chatbot.services.chat_text import escape
from chatbot.services.draft_view import MAX_WEIGHTED_LENGTH, DraftView
from chatbot.services.home import DraftLine, HomeData

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


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def london(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y, %H:%M')}"


def age(since: datetime, now: datetime) -> str:
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def _sections(lines: Iterable[str], limit: int = SECTION_LIMIT) -> list[SectionBlock]:
    """Lines packed into as few mrkdwn sections as Slack's 3000-character limit allows."""
    blocks: list[SectionBlock] = []
    current = ""
    for raw in lines:
        line = _clip(raw, limit)
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
        line += f" (“{escape(_clip(finding.excerpt, 200))}”)"
    if finding.clause:
        line += f"\n      _Policy: {escape(_clip(finding.clause, 300))}_"
    return line


def findings_blocks(findings: Sequence[Finding], max_blocks: int = 9) -> list[Block]:
    """Findings grouped by severity, worst first, each with its clause."""
    blocks: list[Block] = []
    for severity in (Severity.BLOCK, Severity.WARN, Severity.INFO):
        group = [f for f in findings if f.severity is severity]
        if group:
            lines = [_SEVERITY_HEADINGS[severity], *(_finding_line(f) for f in group)]
            blocks.extend(_sections(lines))
    if len(blocks) > max_blocks:
        blocks = blocks[: max_blocks - 1]
        blocks.append(_context("More findings than fit here; see the draft's thread."))
    return blocks


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=_clip(text, SECTION_LIMIT))])


def _post_text_block(text: str) -> Block:
    if not text.strip():
        return _context("_(no text)_")
    shown = _clip(text, 2900)
    return RichTextBlock(
        elements=[RichTextQuoteElement(elements=[{"type": "text", "text": shown}])]
    )


def _button(
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
            _button("Approve", "draft_approve", draft_id, "primary", confirm),
            _button("Approve for later…", "draft_schedule", draft_id),
            _button("Reject…", "draft_reject", draft_id, "danger"),
        ]
    if state is DraftState.NEEDS_CHANGES:
        buttons = []
        if view.overridable:
            buttons.append(_button("Override and approve…", "draft_override", draft_id))
        buttons.append(_button("Reject…", "draft_reject", draft_id, "danger"))
        return buttons
    if state is DraftState.SCHEDULED:
        return [_button("Cancel schedule", "draft_cancel_schedule", draft_id)]
    if state is DraftState.FAILED:
        return [_button("Retry", "draft_retry", draft_id, "primary")]
    if state is DraftState.NEEDS_REVIEW:
        return [
            _button("Mark as published…", "draft_mark_published", draft_id),
            _button("Retry", "draft_retry", draft_id),
        ]
    if state is DraftState.PUBLISHED:
        confirm = ConfirmObject(
            title="Delete the post from X?",
            text="You will be asked why; the bot then deletes the post from the school's account.",
            confirm="Continue",
            deny="Keep it",
        )
        return [_button("Delete from X…", "draft_takedown", draft_id, "danger", confirm)]
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
                    alt_text=_clip(alt, 2000),
                    title=PlainTextObject(text=_clip(f"{label}: {alt}", 2000), emoji=False),
                )
            )
    if len(view.photos) > 4:
        problems.insert(0, f"{len(view.photos)} files shared; a post takes at most 4 photos.")
    if problems:
        blocks.extend(_sections(problems))
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
        blocks.append(_context(who + (f" Source: {source}." if source else "")))
    return blocks


def draft_card(view: DraftView, *, now: datetime, dry_run: bool = False) -> Card:
    """The approval card for every state: buttons follow the state and the verdict."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Draft #{view.id}* by <@{view.author_id}> for the school's X account"
            )
        ),
        _post_text_block(view.text),
    ]
    length = f"{view.weighted_length}/{MAX_WEIGHTED_LENGTH} characters (as X counts them)"
    if view.too_long:
        length = ":no_entry: " + length
    notes = [length]
    if view.has_link:
        notes.append("a post with a link costs more on X")
    blocks.append(_context(" · ".join(notes)))
    blocks.extend(_photo_blocks(view))
    if view.verdict.findings:
        blocks.append(DividerBlock())
        blocks.extend(findings_blocks(view.verdict.findings))
    elif view.state not in (DraftState.POSTED, DraftState.AWAITING_DECLARATION):
        blocks.append(_context(":white_check_mark: The checks found nothing to change."))
    if view.cleared:  # SLT see who said a name is not a pupil's
        blocks.append(_context("\n".join(cleared_line(c) for c in view.cleared)))
    blocks.append(DividerBlock())
    blocks.append(SectionBlock(text=MarkdownTextObject(text=_status(view, now, dry_run))))
    buttons = _actions(view)
    if buttons:
        blocks.append(ActionsBlock(block_id=f"draft_{view.id}", elements=buttons))
    assert len(blocks) <= MAX_BLOCKS  # noqa: S101 (bounded by construction above)
    state = view.state.value.replace("_", " ")
    text = f"Draft #{view.id} by <@{view.author_id}> ({state}): {escape(_clip(view.text, 150))}"
    return Card(text=text, blocks=blocks)


# -- the draft's thread ------------------------------------------------------------------------


def checks_reply(view: DraftView, notices: Sequence[str] = ()) -> Card:
    """What the author sees in the thread: findings, notices, and what happens next."""
    blocks: list[Block] = []
    if notices:
        blocks.extend(_sections(f":information_source: {escape(n)}" for n in notices))
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
                accessory=_button("Say who is pictured", "draft_declare", view.id, "primary"),
            )
        )
        summary = "Say who is in the photos before SLT can approve this draft."
    elif state is DraftState.NEEDS_CHANGES:
        blocks.append(
            _context(
                f"{author} Edit your draft to fix the blocking points: the bot checks it again."
            )
        )
        summary = "The checks block this draft: see the points in this thread."
    elif state is DraftState.PENDING_APPROVAL:
        blocks.append(_context("It is now waiting for approval by SLT."))
        summary = "Checked: waiting for approval by SLT."
    else:
        summary = "Checked."
    if view.photos and state in (DraftState.NEEDS_CHANGES, DraftState.PENDING_APPROVAL):
        blocks.append(
            ActionsBlock(
                elements=[_button("Change who is pictured", "draft_declare", view.id)],
            )
        )
    return Card(text=summary, blocks=blocks[:MAX_BLOCKS])


# -- modals ------------------------------------------------------------------------------------


def declare_modal(
    draft_id: int,
    photo_count: int,
    *,
    alt_texts: Sequence[str] = (),
    initial_pupils: Sequence[tuple[int, str]] = (),
    no_pupils: bool = False,
    source: str | None = None,
) -> View:
    none_option = Option(value="none", text="No pupils are pictured")
    pupils = ExternalDataMultiSelectElement(
        action_id="pictured_pupils",
        placeholder="Type a name",
        min_query_length=1,
        initial_options=[
            Option(value=str(i), label=_clip(label, 75)) for i, label in initial_pupils
        ]
        or None,
    )
    blocks: list[Block] = [
        InputBlock(
            block_id="pictured_pupils",
            label="Pupils in the photos",
            element=pupils,
            optional=True,
            hint="Everyone recognisable. Pupils without Twitter consent cannot be posted.",
        ),
        InputBlock(
            block_id="no_pupils",
            label="Or",
            element=CheckboxesElement(
                action_id="no_pupils",
                options=[none_option],
                initial_options=[none_option] if no_pupils else None,
            ),
            optional=True,
        ),
    ]
    for n in range(min(photo_count, 4)):
        blocks.append(
            InputBlock(
                block_id=f"alt_text_{n}",
                label=f"Describe photo {n + 1} for people who cannot see it",
                element=PlainTextInputElement(
                    action_id=f"alt_text_{n}",
                    max_length=1000,
                    initial_value=alt_texts[n] if n < len(alt_texts) and alt_texts[n] else None,
                    placeholder="For example: children planting bulbs in the school garden",
                ),
                optional=True,
            )
        )
    options = [Option(value=k, text=v) for k, v in PHOTO_SOURCE_LABELS.items()]
    initial = next((o for o in options if o.value == source), None)
    blocks.append(
        InputBlock(
            block_id="photo_source",
            label="Where the photos came from",
            element=RadioButtonsElement(
                action_id="photo_source", options=options, initial_option=initial
            ),
        )
    )
    return _draft_form(
        "declare_photos", draft_id, title="Who is pictured?", submit="Save", blocks=blocks
    )


def _draft_form(
    callback_id: str, draft_id: int, *, title: str, submit: str, blocks: list[Block]
) -> View:
    """A modal about one draft: its id travels in the metadata, checked again on submission."""
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=str(draft_id),
        title=title,
        submit=submit,
        close="Cancel",
        blocks=blocks,
    )


def reason_modal(callback_id: str, draft_id: int, *, title: str, label: str, submit: str) -> View:
    return _draft_form(
        callback_id,
        draft_id,
        title=title,
        submit=submit,
        blocks=[
            InputBlock(
                block_id="reason",
                label=label,
                element=PlainTextInputElement(action_id="reason", multiline=True, max_length=2000),
            )
        ],
    )


def schedule_modal(draft_id: int, today: date) -> View:
    return _draft_form(
        "schedule_post",
        draft_id,
        title="Approve for later",
        submit="Approve",
        blocks=[
            InputBlock(
                block_id="post_date",
                label="Day (London time)",
                element=DatePickerElement(
                    action_id="post_date", initial_date=(today + timedelta(days=1)).isoformat()
                ),
            ),
            InputBlock(
                block_id="post_time",
                label="Time",
                element=TimePickerElement(action_id="post_time", initial_time="08:30"),
            ),
        ],
    )


def mark_published_modal(draft_id: int) -> View:
    return _draft_form(
        "mark_published",
        draft_id,
        title="Mark as published",
        submit="Save",
        blocks=[
            InputBlock(
                block_id="url",
                label="Link to the post on X",
                element=PlainTextInputElement(
                    action_id="url", placeholder="https://x.com/HuntsCrossPri/status/…"
                ),
            )
        ],
    )


def notice_modal(title: str, text: str) -> View:
    return View(
        type="modal",
        title=_clip(title, 24),
        close="OK",
        blocks=[SectionBlock(text=MarkdownTextObject(text=_clip(text, SECTION_LIMIT)))],
    )


def compose_modal(initial_text: str = "", *, draft_id: int | None = None, photos: int = 0) -> View:
    """The `/tweet` form; with `draft_id`, the form that edits that composed draft."""
    if draft_id is None:
        photos_label = "Photos (up to 4)"
        note = (
            "With photos, the bot then asks in the draft's thread who is pictured. You can "
            "also post a draft with its photos straight in the drafts channel."
        )
    else:
        photos_label = "New photos (up to 4)"
        note = (
            f"Leave the photos empty to keep the {photos} already shared."
            if photos
            else "The draft is checked again when you save."
        )
    return View(
        type="modal",
        callback_id="compose_draft",
        private_metadata=str(draft_id) if draft_id is not None else None,
        title="New post draft" if draft_id is None else "Edit post draft",
        submit="Send to drafts" if draft_id is None else "Save changes",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="text",
                label="What the post says",
                element=PlainTextInputElement(
                    action_id="text",
                    multiline=True,
                    max_length=3000,
                    initial_value=_clip(initial_text, 3000) or None,
                ),
            ),
            InputBlock(
                block_id="photos",
                label=photos_label,
                element=FileInputElement(
                    action_id="photos",
                    filetypes=["jpg", "jpeg", "png", "gif", "webp", "heic"],
                    max_files=4,
                ),
                optional=True,
            ),
            _context(note),
        ],
    )


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
        _post_text_block(text),
    ]
    if withdrawn:
        blocks.append(_context("Withdrawn by its author."))
    elif draft_id is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    _button("Edit…", "draft_edit", draft_id),
                    _button(
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
        blocks.append(_context("Only the author can edit or withdraw this draft."))
    return Card(text=f"{summary}:\n{escape(_clip(text, 2900))}", blocks=blocks)


# -- App Home ----------------------------------------------------------------------------------

_STATE_LABELS = {
    DraftState.POSTED: "being checked",
    DraftState.AWAITING_DECLARATION: "waiting for you to say who is pictured",
    DraftState.CHECKED: "being checked",
    DraftState.NEEDS_CHANGES: "needs changes (see its thread)",
    DraftState.PENDING_APPROVAL: "waiting for SLT",
    DraftState.APPROVED: "approved, queued for X",
    DraftState.SCHEDULED: "approved, scheduled",
    DraftState.PUBLISHING: "being posted",
    DraftState.PUBLISHED: "posted on X",
    DraftState.DELETED: "deleted from X",
    DraftState.FAILED: "posting failed (SLT can retry)",
    DraftState.NEEDS_REVIEW: "SLT are checking whether it was posted",
    DraftState.REJECTED: "not approved",
    DraftState.WITHDRAWN: "withdrawn",
}


def _snippet(line: DraftLine) -> str:
    text = " ".join(line.text.split())
    return escape(_clip(text, 80)) if text else "_(photos only)_"


def _home_lines(lines: Sequence[DraftLine], render: Any, empty: str) -> list[Block]:
    if not lines:
        return [_context(empty)]
    return list(_sections(render(line) for line in lines))


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
        blocks.append(_context(f"The Twitter policy is next due for review on {review}."))
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
                    f"• #{d.id} {_STATE_LABELS[d.state]} by <@{d.decided_by}>"
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
                f"• #{d.id} {_STATE_LABELS[d.state]}, {age(d.created_at, now)} ago: {_snippet(d)}"
            ),
            "You have no drafts. Post one in the drafts channel, or use /tweet.",
        )
    )
    return View(type="home", blocks=blocks[:100])


__all__ = [
    "MAX_BLOCKS",
    "Card",
    "age",
    "checks_reply",
    "compose_modal",
    "composed_draft",
    "declare_modal",
    "draft_card",
    "findings_blocks",
    "home_view",
    "london",
    "mark_published_modal",
    "notice_modal",
    "reason_modal",
    "schedule_modal",
]
