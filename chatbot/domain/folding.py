"""How names are compared: accents, case and apostrophe style aside."""

from __future__ import annotations

import unicodedata

# Phones type the curly one; bios and handles use the others as apostrophes too.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Letters that carry their mark in themselves, so NFKD leaves them: Stanisław is Stanislaw.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"}
    | {"œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h", "ŧ": "t", "þ": "th", "ð": "d"}
)


def fold(text: str) -> str:
    """Casefolded without accents, with one apostrophe: Zoë, ZOE and zoe are one key, and so are
    O’Connor and O'Connor. NFKD, so fancy letters (𝓩𝓸𝓮) fold to plain ones too."""
    text = text.translate(_APOSTROPHES)
    if text.isascii():  # most names and bios: nothing to decompose (100,000 followers a run)
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
