"""Where a word is part of a place's name: Hope Street, William Brown Street, the Isle of
Struay, Loch Ness."""

from __future__ import annotations

from chatbot.policy.text import Word

_PLACES = frozenset(
    {"street", "road", "lane", "avenue", "drive", "close", "way", "square", "park", "gardens"}
    | {"dock", "hall", "house", "centre", "library", "museum", "church", "cathedral"}
    | {"hospital", "station", "bridge", "theatre", "stadium"}
)
# "Isle of Struay", "Loch Lomond", "Mount Snowdon": the next capitalised word is a place's
_PLACE_OF = frozenset({"isle", "island", "islands", "isles", "city", "county", "vale", "kingdom"})
_PLACE_BEFORE = frozenset({"loch", "mount", "lake", "lough", "llyn"})


def place_positions(
    text: str, words: list[Word], keys: list[str], surnames: frozenset[str]
) -> set[int]:
    """The capitalised words right before a place word: Hope Street, William Brown Street; not
    when the place word is a pupil's surname (Grace Hall); and the word after "Isle of",
    "Loch" and the like (the Isle of Struay, Loch Ness)."""
    positions: set[int] = set()
    for i, word in enumerate(words):
        if (
            i + 1 < len(words)
            and keys[i] in _PLACE_BEFORE
            and word.text[:1].isupper()
            and words[i + 1].text[:1].isupper()
        ):
            positions.add(i + 1)  # "Loch Ness"
        if (
            i + 2 < len(words)
            and keys[i + 1] == "of"
            and keys[i] in _PLACE_OF
            and word.text[:1].isupper()
            and words[i + 2].text[:1].isupper()
        ):
            positions.add(i + 2)  # "the Isle of Struay"
        if keys[i] not in _PLACES or keys[i] in surnames or not word.text[:1].isupper():
            continue
        j = i - 1
        while (
            j >= 0
            and i - j <= 3
            and words[j].text[:1].isupper()
            and text[words[j].end : words[j + 1].start].isspace()
        ):
            positions.add(j)
            j -= 1
    return positions
