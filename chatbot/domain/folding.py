"""How names are compared: accents, case and apostrophe style aside."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Casefolded without accents, with one apostrophe: Zoë, ZOE and zoe are one key, and so are
    O’Connor and O'Connor (phones type the curly one)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
