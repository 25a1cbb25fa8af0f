"""Drafts arriving from chat: new messages, edits, deletions, and the photo declaration.

The chat adapter has already turned the platform's markup into the text that would be posted;
this package stores the draft once, prepares its photos, runs the checks and moves it along the
lifecycle. It talks to the outside only through the `DraftChat` port.

- `drafts`: new messages, edits and withdrawals, and the announcement of the checks.
- `photos`: the files of a message judged, downloaded, prepared and stored.
- `composed`: drafts written in the compose form, which only their author changes.
- `declaration`: who is pictured, the alt texts and where the photos came from.
- `pictured`: the choices of who is pictured, as the declaration form offers them.

The names the chat adapters use are importable from here: every chat adapter calls them, so one
import path keeps them alike.
"""

from chatbot.services.intake.composed import NOT_AUTHOR, OwnDraft, composed_draft, not_composed
from chatbot.services.intake.declaration import (
    NOT_DECLARABLE,
    NOT_DECLARER,
    NOT_ON_REGISTER,
    PHOTO_SOURCES,
    Declaration,
    DeclarationForm,
    DeclarationResult,
    declaration_form,
    declare,
    suggest_pupils,
)
from chatbot.services.intake.drafts import (
    CHECK_FAILED,
    IncomingMessage,
    announce,
    cancel_outbox,
    edit,
    receive,
    takedown_note,
    withdraw,
)
from chatbot.services.intake.pictured import (
    UNREGISTERED,
    UNREGISTERED_CHOICE,
    Choice,
    chosen_labels,
    every_choice,
    parse_choices,
    suggest_choices,
)

__all__ = [
    "CHECK_FAILED",
    "NOT_AUTHOR",
    "NOT_DECLARABLE",
    "NOT_DECLARER",
    "NOT_ON_REGISTER",
    "PHOTO_SOURCES",
    "UNREGISTERED",
    "UNREGISTERED_CHOICE",
    "Choice",
    "Declaration",
    "DeclarationForm",
    "DeclarationResult",
    "IncomingMessage",
    "OwnDraft",
    "announce",
    "cancel_outbox",
    "chosen_labels",
    "composed_draft",
    "declaration_form",
    "declare",
    "edit",
    "every_choice",
    "not_composed",
    "parse_choices",
    "receive",
    "suggest_choices",
    "suggest_pupils",
    "takedown_note",
    "withdraw",
]
