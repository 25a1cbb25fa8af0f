"""Splitting a run-together hashtag (#welldoneava, #TEAMISLA) into words, so a pupil's name in
it is seen as a word of its own: never by searching for the name inside it, which finds "Ella"
in #umbrella.

The split is the one with the fewest pieces, each a word the dictionary knows (in any case,
so #cinderella stays one word) or a pupil's name; a run of letters that is neither costs more
than two words, so an unknown brand or initials rarely force a name out of its neighbours.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from chatbot.domain.folding import fold

_LONGEST = 20  # no English word or name in a hashtag is longer
# An unknown run costs more than two words and grows with its length, so "umbr" + "ella" loses
# to "umbrella" and "welldoneava" as one unknown run loses to "well" + "done" + "ava".
_UNKNOWN = 1.5
_UNKNOWN_PER_LETTER = 0.5
_SHORT = frozenset({"a", "i"})


class HashtagSplitter:
    def __init__(self, is_word: Callable[[str], bool], names: frozenset[str]) -> None:
        self._is_word = is_word
        self._names = names
        self.split = lru_cache(maxsize=4_096)(self._split)

    def _known(self, piece: str) -> bool:
        if len(piece) == 1:
            return piece in _SHORT
        return fold(piece) in self._names or piece.isdigit() or self._is_word(piece)

    def _split(self, tag: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of each piece of the lower-case `tag`, in order."""
        n = len(tag)
        best = [0.0] + [float("inf")] * n
        back = [0] * (n + 1)
        for end in range(1, n + 1):
            for start in range(max(0, end - _LONGEST), end):
                if best[start] == float("inf"):
                    continue
                piece = tag[start:end]
                # fewest pieces first; among equals, longer words (a tiny bonus per letter²)
                cost = (
                    1.0 - len(piece) ** 2 / 10_000
                    if self._known(piece)
                    else _UNKNOWN + _UNKNOWN_PER_LETTER * len(piece)
                )
                if best[start] + cost < best[end]:
                    best[end], back[end] = best[start] + cost, start
        pieces: list[tuple[int, int]] = []
        end = n
        while end > 0:
            pieces.append((back[end], end))
            end = back[end]
        return tuple(reversed(pieces))
