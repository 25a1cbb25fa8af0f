"""The "Who is pictured?" dialog (a Teams task module) and the invoke answers' envelopes.

The dialog's inputs are the contract's: `pictured_pupils` (a multi-select `Input.ChoiceSet`, the
value the chosen pupils' ids joined by commas), `no_pupils` (an `Input.Toggle`), one
`alt_text_<n>` per photo, and `photo_source` (as Slack's modal has it: the core asks for it).
Its own submit action carries `verb: "declare_photos"` and `draft`; Teams sends back that data
merged with the inputs as `task/submit`.

Which pupils to offer: the whole register as static choices (`style: "filtered"`, Teams filters
as the person types, with no call to the bot) while they fit `STATIC_CHOICES_BUDGET` bytes; a
bigger register is searched by the bot instead (`choices.data`, a `Data.Query` on the dataset
`pupils`, answered by `search_response` to the `application/search` invoke), since every static
choice travels in the dialog and Teams keeps a card to about 28 KB. The pupils already chosen
stay static choices either way, so their names show when the dialog opens.

Errors come back from the core keyed by input id; Teams can only show an input's own
`errorMessage` for its client-side checks, so the core's messages are drawn in red under the
input they are about, and summed up at the top.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from chatbot.adapters.teams.cards import PHOTO_SOURCE_LABELS
from chatbot.adapters.teams.elements import (
    CARD_CONTENT_TYPE,
    Json,
    adaptive_card,
    clip,
    rich,
    run,
    text_block,
)
from chatbot.services.intake import (
    UNREGISTERED,
    UNREGISTERED_CHOICE,
    Declaration,
    DeclarationForm,
)

DATASET = "pupils"
STATIC_CHOICES_BUDGET = 20_000  # bytes of choices JSON; about 400 pupils
SEARCH_RESULTS = 15  # Teams shows at most 15 choices of a dynamic search
MAX_PHOTOS = 4
_LABEL_LIMIT = 75  # as Slack's option labels: a register label is "First Last (Year 4)"

Pupils = Sequence[tuple[int | str, str]]  # (the value sent back: an id or "unregistered", label)
PICTURED_HINT = (
    "Everyone recognisable. Pupils without Twitter consent cannot be posted. A child not on "
    "the register: choose “Someone who is not on the register”."
)


def _choices(pupils: Pupils) -> list[Json]:
    return [{"title": clip(label, _LABEL_LIMIT), "value": str(v)} for v, label in pupils]


def _fits(choices: list[Json]) -> bool:
    return len(json.dumps(choices, ensure_ascii=False).encode()) <= STATIC_CHOICES_BUDGET


def pupils_input(register: Pupils | None, chosen: Pupils) -> Json:
    """The `pictured_pupils` choice set: static for a register that fits, else searched.

    Searched, "someone who is not on the register" stays a static choice, so that it is
    always there and never offered twice."""
    element: Json = {
        "type": "Input.ChoiceSet",
        "id": "pictured_pupils",
        "label": "Pupils in the photos",
        "isMultiSelect": True,
        "style": "filtered",
        "placeholder": "Type a name",
    }
    static = _choices(register) if register is not None else None
    if static is not None and _fits(static):
        element["choices"] = static
    else:
        always = [] if any(v == UNREGISTERED for v, _ in chosen) else [UNREGISTERED_CHOICE]
        element["choices"] = _choices([*chosen, *always])
        element["choices.data"] = {"type": "Data.Query", "dataset": DATASET}
    if chosen:
        element["value"] = ",".join(str(v) for v, _ in chosen)
    return element


def _error(errors: Mapping[str, str], key: str) -> list[Json]:
    message = errors.get(key)
    return [rich(run(message, color="attention"), spacing="none")] if message else []


def declare_dialog(
    draft_id: int,
    photo_count: int,
    *,
    register: Pupils | None = None,
    alt_texts: Sequence[str] = (),
    initial_pupils: Pupils = (),
    no_pupils: bool = False,
    source: str | None = None,
    errors: Mapping[str, str] | None = None,
) -> Json:
    """The dialog's card; with `errors` (input id -> message), the same card showing them.

    `register` is the pupils to offer ((id, "First Last (Year 4)")), or None to search them;
    `initial_pupils` those already chosen. Re-rendering after an error passes what was sent.
    """
    errors = errors or {}
    body: list[Json] = []
    if errors:
        body.append(
            text_block("Please check the points in red below.", color="attention", weight="bolder")
        )
    body.append(pupils_input(register, initial_pupils))
    body.append(
        text_block(
            PICTURED_HINT,
            isSubtle=True,
            size="small",
            spacing="none",
        )
    )
    body.extend(_error(errors, "pictured_pupils"))
    body.append(
        {
            "type": "Input.Toggle",
            "id": "no_pupils",
            "title": "No pupils are pictured",
            "valueOn": "true",
            "valueOff": "false",
            "value": "true" if no_pupils else "false",
        }
    )
    body.extend(_error(errors, "no_pupils"))
    for n in range(min(photo_count, MAX_PHOTOS)):
        alt: Json = {
            "type": "Input.Text",
            "id": f"alt_text_{n}",
            "label": f"Describe photo {n + 1} for people who cannot see it",
            "maxLength": 1000,
            "placeholder": "For example: children planting bulbs in the school garden",
        }
        if n < len(alt_texts) and alt_texts[n]:
            alt["value"] = clip(alt_texts[n], 1000)
        body.append(alt)
        body.extend(_error(errors, f"alt_text_{n}"))
    sources: Json = {
        "type": "Input.ChoiceSet",
        "id": "photo_source",
        "label": "Where the photos came from",
        "style": "expanded",
        "isRequired": True,
        "errorMessage": "Choose where the photos came from.",
        "choices": [{"title": v, "value": k} for k, v in PHOTO_SOURCE_LABELS.items()],
    }
    if source in PHOTO_SOURCE_LABELS:
        sources["value"] = source
    body.append(sources)
    body.extend(_error(errors, "photo_source"))
    submit = {
        "type": "Action.Submit",
        "title": "Save",
        "style": "positive",
        "data": {"verb": "declare_photos", "draft": str(draft_id)},
    }
    return adaptive_card(body, [submit], fallback_text="Who is pictured?")


def declare_dialog_for(
    draft_id: int,
    form: DeclarationForm,
    *,
    register: Pupils | None = None,
) -> Json:
    """The dialog pre-filled from the store (what `intake.declaration_form` returns)."""
    declared = form.declaration
    return declare_dialog(
        draft_id,
        form.photo_count,
        register=register,
        alt_texts=declared.alt_texts,
        initial_pupils=form.pupils,
        no_pupils=declared.no_pupils,
        source=declared.source,
    )


# -- what comes back ---------------------------------------------------------------------------


def _flag(raw: object) -> bool:
    return raw is True or str(raw).strip().lower() == "true"


def parse_declaration(data: Mapping[str, Any], photo_count: int) -> Declaration:
    """The `task/submit` data as the core's `Declaration`: pupils' ids, and "unregistered" for
    someone not on the register (other values dropped: the core then says the pupil is not
    on the register only for ids it cannot find)."""
    raw = [s.strip() for s in str(data.get("pictured_pupils") or "").split(",")]
    ids = tuple(int(p) for p in raw if p.isascii() and p.isdigit())
    alts = tuple(
        str(data.get(f"alt_text_{n}") or "").strip() for n in range(min(photo_count, MAX_PHOTOS))
    )
    source = str(data.get("photo_source") or "").strip() or None
    return Declaration(
        pupil_ids=ids,
        no_pupils=_flag(data.get("no_pupils")),
        alt_texts=alts,
        source=source,
        unregistered=UNREGISTERED in raw,
    )


# -- task-module envelopes ---------------------------------------------------------------------


def continue_task(card: Json, *, title: str = "Who is pictured?", height: str = "large") -> Json:
    """The answer to `task/fetch` (or to a `task/submit` with errors): show this card."""
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": title,
                "height": height,
                "width": "medium",
                "card": {"contentType": CARD_CONTENT_TYPE, "content": card},
            },
        }
    }


def message_task(text: str) -> Json:
    """Close the dialog (or refuse to open it) with a short message to the person."""
    return {"task": {"type": "message", "value": clip(text, 500)}}


def action_message(text: str) -> Json:
    """The answer to an `adaptiveCard/action` invoke that tells only the clicker (a refusal):
    Teams shows it to them and leaves the card as it is."""
    return {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": clip(text, 500),
    }


def action_card(card: Json) -> Json:
    """The answer to an `adaptiveCard/action` invoke that redraws the card for the clicker
    (everyone else sees the change once the card's activity is updated)."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}


def search_response(pupils: Pupils) -> Json:
    """The body answering the `application/search` invoke for the dataset `pupils`."""
    results = _choices(pupils[:SEARCH_RESULTS])
    return {
        "type": "application/vnd.microsoft.search.searchResponse",
        "value": {"results": results},
    }


__all__ = [
    "DATASET",
    "STATIC_CHOICES_BUDGET",
    "action_card",
    "action_message",
    "continue_task",
    "declare_dialog",
    "declare_dialog_for",
    "message_task",
    "parse_declaration",
    "pupils_input",
    "search_response",
]
