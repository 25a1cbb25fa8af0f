"""The approval card for drafts, as an Adaptive Card (the reply chain's cards: replies.py).

The same information and actions as Slack's cards (chatbot/adapters/slack/cards.py), in Teams'
idiom: decisions are `Action.Execute` buttons (verbs `draft_approve`, `draft_reject`,
`draft_override`, data `{"draft": "<id>"}`), and a decision that needs a reason or a time opens
its form under the card (`Action.ShowCard`) with the input there (`reason`, `post_date`,
`post_time`, `url`). Each state offers at most one `reason` input, so input ids stay unique.
The post and every other piece of staff text are `TextRun`s, shown exactly as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

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
from chatbot.adapters.teams.replies import findings_items
from chatbot.domain.academic_year import LONDON
from chatbot.domain.drafts import DraftState
from chatbot.domain.london import age
from chatbot.domain.london import london_time as london
from chatbot.services.draft_view import DraftView

PHOTO_SOURCE_LABELS = {"staff": "Taken by staff", "permission": "Used with permission"}


def _draft_data(view: DraftView) -> dict[str, str]:
    return {"draft": str(view.id)}


def reason_input(label: str) -> Json:
    return {
        "type": "Input.Text",
        "id": "reason",
        "label": label,
        "isMultiline": True,
        "maxLength": 2000,
        "isRequired": True,
        "errorMessage": "Please give a reason (it is kept in the audit log).",
    }


# -- the approval card -------------------------------------------------------------------------


_NAMES_DECIDER = frozenset(
    {DraftState.APPROVED, DraftState.SCHEDULED, DraftState.PUBLISHED, DraftState.REJECTED}
)


def _status(view: DraftView, now: datetime, dry_run: bool, mention: Mentions) -> str:
    at = f" at {london(view.decided_at)}" if view.decided_at else ""
    state = view.state
    # A mention adds an entity, so only the states that name the decider make one.
    by = "SLT"
    if view.decided_by and state in _NAMES_DECIDER:
        by = mention(view.decided_by, "a member of SLT")
    if state in (DraftState.POSTED, DraftState.CHECKED):
        return "⏳ Being checked…"
    if state is DraftState.AWAITING_DECLARATION:
        return "⏳ Waiting for the author to say who is in the photos."
    if state is DraftState.PENDING_APPROVAL:
        return f"👀 Waiting for approval (posted {age(view.created_at, now)} ago)."
    if state is DraftState.NEEDS_CHANGES:
        extra = (
            " SLT may override the blocking points, giving a reason."
            if view.overridable
            else " These points cannot be overridden."
        )
        return "⛔ The checks block this draft: the author must change it." + extra
    if state is DraftState.APPROVED and view.post_unconfirmed:
        # Never "queued": the last try may have put it on X, and the next one finds out.
        return (
            f"⏳ Approved by {by}{at}. X did not confirm the last try, so this may already be "
            "posted; the bot is checking and tries again shortly (X refuses the same text twice)."
        )
    if state is DraftState.APPROVED:
        return f"✅ Approved by {by}{at}; queued to post on X."
    if state is DraftState.PUBLISHING and view.post_unconfirmed:
        return "📤 Posting to X… (it may already be posted; the bot is checking)"
    if state is DraftState.SCHEDULED:
        when = london(view.not_before) if view.not_before else "a later time"
        return f"📅 Approved by {by}{at}; will be posted at {when} (London time)."
    if state is DraftState.PUBLISHING:
        return "📤 Posting to X…"
    if state is DraftState.PUBLISHED:
        where = f"[{md_escape(view.post_url)}]({view.post_url})" if view.post_url else "X"
        note = (
            "\n\n_Dry run: X credentials are not set, so nothing was really posted._"
            if dry_run
            else ""
        )
        return f"✅ Posted on {where} (approved by {by}).{note}"
    if state is DraftState.FAILED:
        return "❌ Posting to X failed. Press **Retry** to try again, or reject the draft."
    if state is DraftState.NEEDS_REVIEW:
        return (
            "⚠️ The bot stopped while posting this, so it may or may not be on X. Look at the "
            "school's account: if the post is there press **Mark as published**, if not press "
            "**Retry**."
        )
    if state is DraftState.DELETED:
        # decided_by is who approved it; who asked for the takedown, and why, is in the audit log.
        return "🗑️ Deleted from X. The audit log records who asked for it and why."
    if state is DraftState.REJECTED:
        return f"❌ Not approved by {by}{at}."
    return "↩️ Withdrawn: the author deleted the message."


def _reject(view: DraftView) -> Json:
    return show_card(
        "Reject…",
        [reason_input("Why is it not approved? (the author sees this)")],
        [execute("Reject", "draft_reject", _draft_data(view), style="destructive")],
    )


def _actions(view: DraftView, now: datetime) -> list[Json]:
    state, data = view.state, _draft_data(view)
    if state is DraftState.PENDING_APPROVAL and not view.verdict.blocking:
        tomorrow = (now.astimezone(LONDON).date() + timedelta(days=1)).isoformat()
        return [
            show_card(
                "Approve…",
                [text_block("It will be posted on the school's account straight away.")],
                [execute("Approve and post", "draft_approve", data, style="positive")],
                style="positive",
            ),
            show_card(
                "Approve for later…",
                [
                    {
                        "type": "Input.Date",
                        "id": "post_date",
                        "label": "Day (London time)",
                        "value": tomorrow,
                        "isRequired": True,
                    },
                    {
                        "type": "Input.Time",
                        "id": "post_time",
                        "label": "Time",
                        "value": "08:30",
                        "isRequired": True,
                    },
                ],
                [execute("Approve", "draft_schedule", data)],
            ),
            _reject(view),
        ]
    if state is DraftState.NEEDS_CHANGES:
        if not view.overridable:
            return [_reject(view)]
        # One form, one `reason`, for both: override or reject.
        return [
            show_card(
                "Override or reject…",
                [reason_input("Your reason (kept in the audit log; the author sees it)")],
                [
                    execute("Override and approve", "draft_override", data),
                    execute("Reject", "draft_reject", data, style="destructive"),
                ],
            )
        ]
    if state is DraftState.SCHEDULED:
        return [execute("Cancel schedule", "draft_cancel_schedule", data)]
    if state is DraftState.FAILED:
        return [execute("Retry", "draft_retry", data, style="positive")]
    if state is DraftState.NEEDS_REVIEW:
        url_input = {
            "type": "Input.Text",
            "id": "url",
            "label": "Link to the post on X",
            "placeholder": "https://x.com/HuntsCrossPri/status/…",
            "isRequired": True,
            "errorMessage": "Paste the link to the post.",
        }
        return [
            show_card(
                "Mark as published…", [url_input], [execute("Save", "draft_mark_published", data)]
            ),
            execute("Retry", "draft_retry", data),
        ]
    if state is DraftState.PUBLISHED:
        return [
            show_card(
                "Delete from X…",
                [reason_input("Why should the post come down? (kept in the audit log)")],
                [execute("Delete the post from X", "draft_takedown", data, style="destructive")],
                style="destructive",
            )
        ]
    return []


def _photo_items(view: DraftView, thumbnails: Mapping[int, str]) -> list[Json]:
    items: list[Json] = []
    problems: list[str] = []
    shown = 0
    for photo in view.photos:
        label = f"Photo {photo.position + 1}"
        if photo.problem:
            problems.append(f"{label} ({photo.filename}): {photo.problem}")
            continue
        if not photo.usable or shown >= view.max_photos:
            continue
        shown += 1
        alt = photo.alt_text or "no description yet"
        caption = rich(run(f"{label}: ", weight="bolder"), run(clip(alt, 1000)), isSubtle=True)
        uri = thumbnails.get(photo.position)
        if uri:
            image = {"type": "Image", "url": uri, "altText": clip(alt, 1000), "size": "medium"}
            items.append(container([image, caption]))
        else:
            items.append(container([caption]))
    if len(view.photos) > view.max_photos:
        most = view.max_photos
        problems.insert(0, f"{len(view.photos)} files shared; a post takes at most {most} photos.")
    items.extend(rich(run("• "), run(p), color="attention") for p in problems)
    if view.photos:
        items.append(_pictured(view))
    return items


def _pictured(view: DraftView) -> Json:
    source = PHOTO_SOURCE_LABELS.get(view.photo_source or "", "")
    tail = [run(f" Source: {source}.")] if source else []
    if view.no_pupils:
        return rich("No pupils pictured (declared by the author).", *tail, isSubtle=True)
    if not view.pictured:
        return rich("Nobody has said yet who is in the photos.", *tail, isSubtle=True)
    runs: list[Json | str] = ["Pictured: "]
    for n, pupil in enumerate(view.pictured):
        if n:
            runs.append("; ")
        runs.append(run(pupil.label))
        runs.append(
            run(" ✅ consent", color="good")
            if pupil.consent
            else run(" ⛔ NO consent", color="attention", weight="bolder")
        )
    return rich(*runs, *tail)


def draft_card(
    view: DraftView,
    *,
    now: datetime,
    dry_run: bool = False,
    thumbnails: Mapping[int, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> TeamsCard:
    """The approval card for every state: buttons follow the state and the verdict.

    `thumbnails` maps a photo's position to a data URI (`thumbnails.thumbnail_uri`); `names`
    maps Entra object ids to display names, for the mentions.
    """
    mention = Mentions(names or {})
    author = mention(view.author_id, "the author")
    body: list[Json] = [
        text_block(f"**Draft #{view.id}** by {author} for the school's X account", size="medium"),
        container(
            [rich(run(clip(view.text, 2900)))]
            if view.text.strip()
            else [text_block("_(no text)_", isSubtle=True)],
            style="emphasis",
        ),
    ]
    length = f"{view.weighted_length}/{view.max_length} characters (as X counts them)"
    notes = ["⛔ " + length if view.too_long else length]
    if view.has_link:
        notes.append("a post with a link costs more on X")
    body.append(
        text_block(
            " · ".join(notes),
            isSubtle=not view.too_long,
            color="attention" if view.too_long else "default",
            spacing="small",
        )
    )
    body.extend(_photo_items(view, thumbnails or {}))
    if view.verdict.findings:
        body.append(container(findings_items(view.verdict.findings), separator=True))
    elif view.state not in (DraftState.POSTED, DraftState.AWAITING_DECLARATION):
        body.append(text_block("✅ The checks found nothing to change.", separator=True))
    for cleared in view.cleared:  # SLT see who said a name is not a pupil's
        who = mention(cleared.answered_by)
        body.append(
            text_block(
                f"'{md_escape(clip(cleared.subject, 150))}': not a pupil, said by {who}",
                isSubtle=True,
            )
        )
    body.append(text_block(_status(view, now, dry_run, mention), separator=True))
    if view.reason and view.state in (DraftState.APPROVED, DraftState.REJECTED):
        body.append(rich(run("Reason: ", weight="bolder"), run(clip(view.reason, 2000))))
    state = view.state.value.replace("_", " ")
    summary = f"Draft #{view.id} ({state}): {clip(' '.join(view.text.split()), 150)}"
    card = adaptive_card(body, _actions(view, now), mentions=mention, fallback_text=summary)
    return TeamsCard(text=summary, content=card)


__all__ = ["PHOTO_SOURCE_LABELS", "age", "draft_card", "london", "reason_input"]
