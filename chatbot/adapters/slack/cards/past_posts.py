"""The past-posts card: a withdrawn pupil's live posts, for SLT to delete from X or keep.

Per post: its date (London time), an excerpt and the link; while nobody has decided, the buttons
`past_post_delete` (a confirm, then the reason form `past_post_delete_reason`) and
`past_post_keep` (the reason form `past_post_keep_reason`), value: the post's draft id. The
card itself says which review it is (its channel and ts), so a value naming a post not on it is
refused. Once decided, the buttons give way to who did what, when and why.
"""

from __future__ import annotations

import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from chatbot.adapters.slack.cards.common import MAX_BLOCKS, Card, clip, context_block, london
from chatbot.adapters.slack.render import escape, mention
from chatbot.services.past_posts import PastPost, PostStatus, ReviewView

DELETE_ACTION = "past_post_delete"
KEEP_ACTION = "past_post_keep"
DELETE_CALLBACK = "past_post_delete_reason"
KEEP_CALLBACK = "past_post_keep_reason"
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{6,}$")
_MAX_POSTS = (MAX_BLOCKS - 2) // 2  # two blocks a post, the heading and a note


def _who(person: str | None) -> str:
    if not person:
        return "someone"
    return mention(person) if _SLACK_USER.match(person) else f"`{escape(person)}`"


def past_posts_card(view: ReviewView) -> Card:
    count = len(view.posts)
    heading = (
        f":warning: *Twitter consent withdrawn* for *{escape(view.pupil_label)}* "
        f"(recorded by {_who(view.withdrawn_by)}, {london(view.withdrawn_at)}). "
        f"{count} live post{'s' if count != 1 else ''} on X picture{'s' if count == 1 else ''} "
        "them: delete each from X, or review it and keep it."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=heading))]
    for post in view.posts[:_MAX_POSTS]:
        blocks.extend(_post_blocks(post))
    if count > _MAX_POSTS:
        blocks.append(
            context_block(
                f"{count - _MAX_POSTS} more: `chatbot consent posts` lists them all; "
                "delete with `chatbot x delete`."
            )
        )
    text = f"Twitter consent withdrawn: {count} live post(s) to review"
    return Card(text=text, blocks=blocks)


def _post_blocks(post: PastPost) -> list[Block]:
    when = london(post.published_at) if post.published_at else "date unknown"
    link = f"<{post.url}|View on X>" if post.url else f"post {escape(post.post_id)}"
    line = f"*{when}* · {link} · draft #{post.draft_id}\n>{escape(clip(post.excerpt, 300))}"
    section = SectionBlock(block_id=f"post_{post.draft_id}", text=MarkdownTextObject(text=line))
    if post.status is PostStatus.OPEN:
        return [section, ActionsBlock(block_id=f"act_{post.draft_id}", elements=_buttons(post))]
    return [section, context_block(_outcome(post))]


def _buttons(post: PastPost) -> list[ButtonElement]:
    confirm = ConfirmObject(
        title="Delete from X?",
        text="The post is deleted from the school's X account for good. You give a reason next.",
        confirm="Continue",
        deny="Cancel",
        style="danger",
    )
    value = str(post.draft_id)
    return [
        ButtonElement(
            text=PlainTextObject(text="Delete from X"),
            action_id=DELETE_ACTION,
            value=value,
            style="danger",
            confirm=confirm,
        ),
        ButtonElement(
            text=PlainTextObject(text="Reviewed, keep"), action_id=KEEP_ACTION, value=value
        ),
    ]


def _outcome(post: PastPost) -> str:
    when = f", {london(post.at)}" if post.at else ""
    why = f": “{escape(clip(post.reason or '', 500))}”" if post.reason else ""
    who = _who(post.by)
    if post.status is PostStatus.DELETING:
        return f":hourglass: Being deleted from X, chosen by {who}{when}{why}"
    if post.status is PostStatus.DELETE_FAILED:
        return (
            f":warning: Could not be deleted from X (chosen by {who}{when}): delete it by hand "
            "on X, or with `chatbot x delete`"
        )
    if post.status is PostStatus.DELETED:
        return f":wastebasket: Deleted from X, chosen by {who}{when}{why}"
    if post.status is PostStatus.KEPT:
        return f":white_check_mark: Reviewed and kept by {who}{when}{why}"
    return f":wastebasket: No longer on X: taken down by {who}"


def past_post_reason_modal(review_id: int, draft_id: int, *, delete: bool) -> View:
    """The reason form; the review and the post travel in the metadata, checked again."""
    label = (
        "Why is the post being deleted from X? (kept in the audit log)"
        if delete
        else "Why may the post stay on X? (kept in the audit log)"
    )
    return View(
        type="modal",
        callback_id=DELETE_CALLBACK if delete else KEEP_CALLBACK,
        private_metadata=f"{review_id}:{draft_id}",
        title="Delete from X" if delete else "Reviewed, keep",
        submit="Delete from X" if delete else "Keep",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="reason",
                label=label,
                element=PlainTextInputElement(action_id="reason", multiline=True, max_length=500),
            )
        ],
    )
