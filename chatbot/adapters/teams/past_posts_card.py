"""The past-posts card on Teams: a withdrawn pupil's live posts, for SLT to delete or keep.

The same as Slack's card (chatbot/adapters/slack/cards/past_posts.py) in Teams' idiom. Per post
still undecided: "Delete from X" opens a confirmation under the card (`Action.ShowCard`) whose
`Action.Execute` has the verb `past_post_delete`, and "Reviewed, keep" is an `Action.Execute`
with the verb `past_post_keep`; both with data `{"post": "<draft id>"}`. The reason is one
`Input.Text` `reason` on the card (so the input id stays unique however many posts it lists);
Teams sends it with whichever button is pressed. Which review a click is about is the clicked
card itself (the invoke's `replyToId`), so a value naming a post not on it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chatbot.adapters.teams.cards import london
from chatbot.adapters.teams.elements import (
    Json,
    Mentions,
    TeamsCard,
    adaptive_card,
    clip,
    container,
    execute,
    md_escape,
    rich,
    run,
    show_card,
    text_block,
)
from chatbot.services.past_posts import PastPost, PostStatus, ReviewView

DELETE_VERB = "past_post_delete"
KEEP_VERB = "past_post_keep"
VERBS = (DELETE_VERB, KEEP_VERB)
MAX_POSTS = 20  # the card stays well under Teams' 28 KB; the command lists every one
_CLI_ACTOR = re.compile(r"^cli(:|$)")


def past_posts_card(view: ReviewView, *, names: Mapping[str, str] | None = None) -> TeamsCard:
    mention = Mentions(names or {})
    count = len(view.posts)
    who = _who(view.withdrawn_by, mention)
    body: list[Json] = [
        text_block("⚠️ **Twitter consent withdrawn**", size="Medium"),
        rich(
            "For ",
            run(view.pupil_label, weight="Bolder"),
            f". {count} live post{'s' if count != 1 else ''} on X picture"
            f"{'s' if count == 1 else ''} them: delete each from X, or review it and keep it.",
        ),
        text_block(f"Recorded by {who}, {london(view.withdrawn_at)}", isSubtle=True),
    ]
    open_posts = 0
    for post in view.posts[:MAX_POSTS]:
        body.append(_post(post, mention))
        open_posts += post.status is PostStatus.OPEN
    if count > MAX_POSTS:
        body.append(
            text_block(
                f"{count - MAX_POSTS} more: `chatbot consent posts` lists them all.", isSubtle=True
            )
        )
    if open_posts:
        body.append(
            {
                "type": "Input.Text",
                "id": "reason",
                "label": "Reason for your choice (kept in the audit log)",
                "isMultiline": True,
                "maxLength": 500,
            }
        )
    content = adaptive_card(body, mentions=mention, fallback_text="Past posts to review")
    # No pupil's name in the notification text.
    return TeamsCard(
        text=f"Twitter consent withdrawn: {count} live post(s) to review", content=content
    )


def _post(post: PastPost, mention: Mentions) -> Json:
    when = london(post.published_at) if post.published_at else "date unknown"
    items: list[Json] = [
        rich(run(when, weight="Bolder"), f" · draft #{post.draft_id}"),
        rich(run(clip(post.excerpt, 300), italic=True)),
    ]
    if post.url:
        items.append(text_block(f"[View on X]({post.url})", spacing="None"))
    if post.status is PostStatus.OPEN:
        data = {"post": str(post.draft_id)}
        confirm = show_card(
            "Delete from X",
            [text_block("Delete this post from the school's X account for good?")],
            [execute("Yes, delete from X", DELETE_VERB, data, style="destructive")],
        )
        keep = execute("Reviewed, keep", KEEP_VERB, data)
        items.append({"type": "ActionSet", "actions": [confirm, keep]})
    else:
        items.append(text_block(_outcome(post, mention), isSubtle=True))
    return container(items, separator=True, spacing="Medium")


def _who(person: str | None, mention: Mentions) -> str:
    if not person:
        return "someone"
    if _CLI_ACTOR.match(person) or person == "system":
        return f"`{md_escape(person)}`"
    return mention(person)


def _outcome(post: PastPost, mention: Mentions) -> str:
    when = f", {london(post.at)}" if post.at else ""
    why = f": “{md_escape(clip(post.reason or '', 500))}”" if post.reason else ""
    who = _who(post.by, mention)
    if post.status is PostStatus.DELETING:
        return f"⏳ Being deleted from X, chosen by {who}{when}{why}"
    if post.status is PostStatus.DELETE_FAILED:
        return (
            f"⚠️ Could not be deleted from X (chosen by {who}{when}): delete it by hand "
            "on X, or with `chatbot x delete`"
        )
    if post.status is PostStatus.DELETED:
        return f"🗑️ Deleted from X, chosen by {who}{when}{why}"
    if post.status is PostStatus.KEPT:
        return f"✅ Reviewed and kept by {who}{when}{why}"
    return f"🗑️ No longer on X: taken down by {who}"
