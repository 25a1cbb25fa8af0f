"""The forms: the photo declaration, a reason, a schedule, a post's link, composing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    ExternalDataMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    TimePickerElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from chatbot.adapters.slack.cards.common import (
    PHOTO_SOURCE_LABELS,
    SECTION_LIMIT,
    clip,
    context_block,
)

PICTURED_HINT = (
    "Everyone recognisable. Pupils without Twitter consent cannot be posted. A child not on "
    "the register: type their name and choose “Someone who is not on the register”."
)

# -- modals ------------------------------------------------------------------------------------


def declare_modal(
    draft_id: int,
    photo_count: int,
    *,
    alt_texts: Sequence[str] = (),
    initial_pupils: Sequence[tuple[int | str, str]] = (),  # (value: an id or UNREGISTERED, label)
    no_pupils: bool = False,
    source: str | None = None,
) -> View:
    none_option = Option(value="none", text="No pupils are pictured")
    pupils = ExternalDataMultiSelectElement(
        action_id="pictured_pupils",
        placeholder="Type a name",
        min_query_length=1,
        initial_options=[Option(value=str(v), label=clip(label, 75)) for v, label in initial_pupils]
        or None,
    )
    blocks: list[Block] = [
        InputBlock(
            block_id="pictured_pupils",
            label="Pupils in the photos",
            element=pupils,
            optional=True,
            hint=PICTURED_HINT,
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
        title=clip(title, 24),
        close="OK",
        blocks=[SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)))],
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
                    initial_value=clip(initial_text, 3000) or None,
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
            context_block(note),
        ],
    )
