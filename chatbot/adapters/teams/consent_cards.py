"""The office's consent form on Teams: the card with its button, and the dialog it opens.

Written "consent" (or "/consent") in the bot's personal chat, the bot answers with
`consent_prompt` (also a button on the home card): an `Action.Submit` whose data is
``{"msteams": {"type": "task/fetch"}, "verb": "consent_open"}``. The dialog (`consent_dialog`) is
an Adaptive Card 1.5 with the inputs `pupil`, `channel`, `status`, `academic_year` and `note`,
and a submit action carrying ``verb: "consent_record"``; Teams sends the inputs back merged with
that data as `task/submit`.

Pupils are offered as Slack's picker labels them, "First Last (Year 4)"; two pupils who still
share a label (one name, one year group) are told apart by their UPN, or else by the register's
own number, so that the office never has to guess. The whole register travels as static choices
(`style: "filtered"`) while it fits the dialog; a bigger one is searched by the bot
(`choices.data` on the dataset `consent_pupils`, answered only for the office and SLT).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chatbot.adapters.teams.dialogs import STATIC_CHOICES_BUDGET
from chatbot.adapters.teams.elements import (
    Json,
    TeamsCard,
    adaptive_card,
    clip,
    rich,
    run,
    task_fetch,
    text_block,
)
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.ids import parse_id
from chatbot.domain.pupils import Channel, Pupil
from chatbot.domain.pupils import told_apart as unique_labels
from chatbot.services.registers.office import CHOOSE_PUPIL, MAX_NOTE, ConsentRequest

OPEN_VERB = "consent_open"
RECORD_VERB = "consent_record"
DATASET = "consent_pupils"
TITLE = "Record consent"
BUTTON = "Record a consent change"
CHOOSE_STATUS = "Choose given or withdrawn."
CHOOSE_CHANNEL = "Choose Twitter or the website."
INPUTS = ("pupil", "channel", "status", "academic_year", "note")
_LABEL_LIMIT = 75  # as Slack's option labels

_CHANNELS = {
    Channel.TWITTER.value: "Twitter (the school's X account)",
    Channel.WEBSITE.value: "Website",
}
_STATUSES = {"withdrawn": "Withdrawn", "given": "Given"}

Choices = Sequence[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class PupilChoice:
    """A pupil on this year's register as the dialog offers them."""

    id: int
    label: str  # "First Last (Year 4)"
    upn: str = ""


def told_apart(pupils: Sequence[PupilChoice]) -> list[tuple[int, str]]:
    """(id, label) with a label shared by two pupils made unique (the core's rule: the UPN,
    else the register number)."""
    labels = unique_labels(
        [Pupil("", "", id=p.id, upn=p.upn) for p in pupils], [p.label for p in pupils]
    )
    return [(p.id, label) for p, label in zip(pupils, labels, strict=True)]


def consent_prompt() -> TeamsCard:
    """The personal chat's answer to "consent": one button that opens the dialog."""
    body = [
        text_block("**Consent for photos**", size="medium", style="heading"),
        text_block(
            "Record a parent's consent given or withdrawn (Twitter or the website). "
            "It applies at once and is kept in the audit log.",
            isSubtle=True,
        ),
    ]
    card = adaptive_card(
        body, [consent_button()], fallback_text="Record a consent change: open the form"
    )
    return TeamsCard(text="Record a consent change", content=card)


def consent_button() -> Json:
    return task_fetch(BUTTON, OPEN_VERB, {})


def _choices(pupils: Choices) -> list[Json]:
    return [{"title": clip(label, _LABEL_LIMIT), "value": str(i)} for i, label in pupils]


def _fits(choices: list[Json]) -> bool:
    return len(json.dumps(choices, ensure_ascii=False).encode()) <= STATIC_CHOICES_BUDGET


def pupil_input(register: Choices, chosen: tuple[int, str] | None) -> Json:
    """The `pupil` choice set: the register as static choices if it fits, else searched."""
    element: Json = {
        "type": "Input.ChoiceSet",
        "id": "pupil",
        "label": "Pupil",
        "style": "filtered",
        "placeholder": "Type a name",
        "isRequired": True,
        "errorMessage": CHOOSE_PUPIL,
    }
    static = _choices(register)
    if _fits(static):
        element["choices"] = static
    else:
        element["choices"] = _choices([chosen] if chosen else [])
        element["choices.data"] = {"type": "Data.Query", "dataset": DATASET}
    if chosen is not None:
        element["value"] = str(chosen[0])
    return element


def _one_of(
    input_id: str, label: str, options: Mapping[str, str], value: str, *, style: str = "expanded"
) -> Json:
    element: Json = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": style,
        "isRequired": True,
        "errorMessage": f"Choose the {label.lower()}.",  # callers may say it better
        "choices": [{"title": title, "value": key} for key, title in options.items()],
    }
    if value in options:
        element["value"] = value
    return element


def _error(errors: Mapping[str, str], key: str) -> list[Json]:
    message = errors.get(key)
    return [rich(run(message, color="attention"), spacing="none")] if message else []


def consent_dialog(
    years: Sequence[AcademicYear],
    register: Choices,
    *,
    sent: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Json:
    """The dialog's card. `years` the core's (the current one first, the default); `register`
    (id, label) of this year's pupils; `sent` what came back, to show again with `errors`
    (input id -> message)."""
    sent = sent or {}
    errors = errors or {}
    labels = dict(register)
    chosen_id = parse_id(sent.get("pupil"))
    chosen = (chosen_id, labels[chosen_id]) if chosen_id in labels else None
    year_choices = {str(y): str(y) for y in years}
    year = str(sent.get("academic_year") or "") or str(years[0])
    body: list[Json] = []
    if errors:
        body.append(
            text_block("Please check the points in red below.", color="attention", weight="bolder")
        )
    body.append(pupil_input(register, chosen))
    body.append(
        text_block(
            "Pupils of one name are told apart by their year group.",
            isSubtle=True,
            size="small",
            spacing="none",
        )
    )
    body.extend(_error(errors, "pupil"))
    channel = str(sent.get("channel") or Channel.TWITTER.value)
    channels = _one_of("channel", "Consent for", _CHANNELS, channel)
    channels["errorMessage"] = CHOOSE_CHANNEL
    body.append(channels)
    body.extend(_error(errors, "channel"))
    status = _one_of("status", "The parent has", _STATUSES, str(sent.get("status") or ""))
    status["errorMessage"] = CHOOSE_STATUS
    body.append(status)
    body.extend(_error(errors, "status"))
    body.append(_one_of("academic_year", "Academic year", year_choices, year, style="compact"))
    body.extend(_error(errors, "academic_year"))
    note: Json = {
        "type": "Input.Text",
        "id": "note",
        "label": "Note",
        "placeholder": "letter from parent, 1 Dec",
        "maxLength": MAX_NOTE,
    }
    if sent.get("note"):
        note["value"] = clip(str(sent["note"]), MAX_NOTE)
    body.append(note)
    body.append(
        text_block("Kept in the audit log: no names, please.", isSubtle=True, spacing="none")
    )
    submit = {
        "type": "Action.Submit",
        "title": "Record",
        "style": "positive",
        "data": {"verb": RECORD_VERB},
    }
    return adaptive_card(body, [submit], fallback_text=TITLE)


def form_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """What the dialog itself asks for and a forged submit may lack: a status and a channel
    (input id -> message). The pupil and the year are the core's to judge."""
    errors: dict[str, str] = {}
    if str(data.get("status") or "").strip() not in _STATUSES:
        errors["status"] = CHOOSE_STATUS
    if str(data.get("channel") or "").strip() not in _CHANNELS:
        errors["channel"] = CHOOSE_CHANNEL
    return errors


def parse_consent(data: Mapping[str, Any]) -> ConsentRequest:
    """The `task/submit` data as the core's request (after `form_errors` found none). A pupil
    id that is not a number is None: the core then asks for a pupil."""
    return ConsentRequest(
        pupil_id=parse_id(str(data.get("pupil") or "").strip()),
        channel=str(data.get("channel") or "").strip(),
        give=str(data.get("status") or "").strip() == "given",
        year=str(data.get("academic_year") or "").strip(),
        note=str(data.get("note") or ""),
    )


__all__ = [
    "BUTTON",
    "CHOOSE_CHANNEL",
    "CHOOSE_STATUS",
    "DATASET",
    "INPUTS",
    "OPEN_VERB",
    "RECORD_VERB",
    "TITLE",
    "PupilChoice",
    "consent_button",
    "consent_dialog",
    "consent_prompt",
    "form_errors",
    "parse_consent",
    "pupil_input",
    "told_apart",
]
