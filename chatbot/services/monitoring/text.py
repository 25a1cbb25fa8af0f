"""Text as the monitors compare it: accents and fancy letters folded, case ignored."""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def fold(text: str) -> str:
    """NFKD (so 𝓩𝓸𝓮 and Zoë both become zoe), without combining marks, casefolded."""
    if text.isascii():  # most names and bios: nothing to decompose (100,000 followers a run)
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
