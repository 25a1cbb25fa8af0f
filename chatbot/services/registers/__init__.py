"""The pupil register and consents: importing the school's roster, recording consent given or
withdrawn, reading the register for the rules, and removing leavers.

How an import treats consent (what a school expects of its consent forms):

- The file is the office's record of the forms that came back: "yes" records consent given,
  "no" records it refused. A later file may turn a refusal into consent (a form came back late).
- A file saying "no" where consent was given is a withdrawal: it takes effect at once, as
  ``given=False`` with ``withdrawn_at``/``withdrawn_by`` set.
- An import never brings back a withdrawn consent. A parent's withdrawal, recorded with
  ``chatbot consent withdraw`` or by an earlier file, outlives a re-import of an older export
  that still says "yes"; only ``chatbot consent give`` restores it. The import reports each such
  line so the office can check it.
- Consent belongs to one academic year: a new year's file adds that year's rows and leaves last
  year's alone (they lapse with the year; `remove_leavers` deletes what is no longer needed).

Functions here take the caller's session and never commit: the caller owns the transaction, so a
failed import or a dry run leaves nothing behind. Audit rows carry counts and pupil ids, never
names.
"""

from chatbot.services.registers.consent import (
    AmbiguousPupil,
    ConsentChange,
    ConsentStatus,
    PupilNotFound,
    RegisterError,
    find_pupil,
    give_consent,
    withdraw_consent,
)
from chatbot.services.registers.importing import ImportReport, KeptWithdrawn, import_roster
from chatbot.services.registers.reading import (
    RegisterLine,
    count_leavers,
    list_register,
    load_register,
    on_register_in,
    remove_leavers,
    search_off_register,
    search_pupils,
    twitter_consent,
)

__all__ = [
    "AmbiguousPupil",
    "ConsentChange",
    "ConsentStatus",
    "ImportReport",
    "KeptWithdrawn",
    "PupilNotFound",
    "RegisterError",
    "RegisterLine",
    "count_leavers",
    "find_pupil",
    "give_consent",
    "import_roster",
    "list_register",
    "load_register",
    "on_register_in",
    "remove_leavers",
    "search_off_register",
    "search_pupils",
    "twitter_consent",
    "withdraw_consent",
]
