"""The `/consent` form: the school office records a consent given or withdrawn."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Channel

CALLBACK_ID = "record_consent"
PUPIL = "consent_pupil"
CHANNEL = "consent_channel"
ANSWER = "consent_answer"
YEAR = "consent_year"
NOTE = "consent_note"
CONFIRM_IMPORT = "register_import_confirm"

_CHANNELS = {Channel.TWITTER: "Twitter (the school's X account)", Channel.WEBSITE: "Website"}


def consent_modal(years: Sequence[AcademicYear]) -> View:
    """The form; `years` are the academic years offered, the default (the current one) first."""
    channels = [Option(value=c.value, label=label) for c, label in _CHANNELS.items()]
    answers = [
        Option(value="withdrawn", label="Withdrawn"),
        Option(value="given", label="Given"),
    ]
    year_options = [Option(value=str(y), label=str(y)) for y in years]
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Record consent",
        submit="Record",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=PUPIL,
                label="Pupil",
                element=ExternalDataSelectElement(
                    action_id=PUPIL, placeholder="Type a name", min_query_length=1
                ),
                hint="Pupils of one name are told apart by their year group.",
            ),
            InputBlock(
                block_id=CHANNEL,
                label="Consent for",
                element=RadioButtonsElement(
                    action_id=CHANNEL, options=channels, initial_option=channels[0]
                ),
            ),
            InputBlock(
                block_id=ANSWER,
                label="The parent has",
                element=RadioButtonsElement(action_id=ANSWER, options=answers),
            ),
            InputBlock(
                block_id=YEAR,
                label="Academic year",
                element=StaticSelectElement(
                    action_id=YEAR, options=year_options, initial_option=year_options[0]
                ),
            ),
            InputBlock(
                block_id=NOTE,
                label="Note",
                optional=True,
                element=PlainTextInputElement(
                    action_id=NOTE,
                    placeholder="letter from parent, 1 Dec",
                    max_length=500,
                ),
                hint="Kept in the audit log: no names, please.",
            ),
        ],
    )


def import_preview_blocks(text: str, value: str | None) -> list[Block]:
    """The bot's answer to a register sent in a DM; with `value`, the button that imports it."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text[:3000]))]
    if value is not None:
        blocks.append(
            ActionsBlock(
                block_id="register_import",
                elements=[
                    ButtonElement(
                        action_id=CONFIRM_IMPORT, text="Import", value=value, style="primary"
                    )
                ],
            )
        )
    return blocks
