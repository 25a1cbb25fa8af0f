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
from chatbot.policy.name_usage import PRAISE_BEFORE
from chatbot.policy.text import Word

_LONGEST = 20  # no English word or name in a hashtag is longer
# An unknown run costs more than two words and grows with its length, so "umbr" + "ella" loses
# to "umbrella" and "welldoneava" as one unknown run loses to "well" + "done" + "ava".
_UNKNOWN = 1.5
_UNKNOWN_PER_LETTER = 0.5
_SHORT = frozenset({"a", "i"})
# Among splits of as many pieces, one with a pupil's name wins: #islathestar is "isla the star",
# not "is lathe star" (fewer pieces still win: #umbrella is never "umbr" + "ella")
_NAME_BONUS = 0.05
# Before a word-name in a run-together hashtag, these show it is a name: #welldonegrace.
# (not the short ones typed on phones: #citypoppy is no "ty poppy")
PRAISE = (*("".join(w) for w in PRAISE_BEFORE if len("".join(w)) >= 5), "team", "go")
# After a word-name in a run-together hashtag, these show it is a name: #hollyrocks
DOES = frozenset(
    {"rocks", "rules", "wins", "won", "scores", "scored", "smashedit", "joins", "shone"}
    | {"joined", "reads", "sings", "sang", "dances", "danced", "swims", "swam", "writes"}
    | {"wrote", "paints", "painted", "bakes", "baked", "performs", "performed", "passes"}
    | {"passed", "achieves", "achieved", "nailsit", "nailedit", "smashesit"}
)  # (a child's doings: not "starts" or "arrives", which a season does too)


class HashtagSplitter:
    def __init__(
        self,
        is_word: Callable[[str], bool],
        names: frozenset[str],
        *,
        extra: frozenset[str] = frozenset(),
    ) -> None:
        self._is_word = is_word
        self._names = names
        self._extra = extra  # other known pieces: the words of listed phrases (Rashford)
        self.split = lru_cache(maxsize=4_096)(self._split)

    def _known(self, piece: str) -> bool:
        if len(piece) == 1:
            return piece in _SHORT
        key = fold(piece)
        return (
            key in self._names
            or key in self._extra
            or piece.isdigit()
            or self._is_word(piece)
            or (key[-1] == "s" and key[:-1] in self._names)  # #yusufsbirthday
        )

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
                    1.0 - len(piece) ** 2 / 10_000 - (_NAME_BONUS if piece in self._names else 0)
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

    def _ends_in_a_name(self, lower: str, pieces: tuple[tuple[int, int], ...]) -> bool:
        """#douzepointswiktoria: words of another language, then a pupil's long name at the end
        (a hashtag ends with the child it is for); never a short one (#umbrella is no Ella)."""
        start, end = pieces[-1]
        return (
            start >= 4
            and end - start >= 5
            and fold(lower[start:end]) in self._names
            and not self._is_word(lower[start:end])
        )

    def parts(self, parts: list[Word]) -> list[Word]:
        """CamelCase parts as they are; a run-together part (#welldoneava, #TEAMISLA) split
        into its words. A word-name in it counts after praise or at its end (#welldonegrace,
        #birdspotterbilly), not at its start (#summerfair)."""
        out: list[Word] = []
        for part in parts:
            lower = part.text.lower()
            run_together = (
                part.text.islower()
                or part.text.isupper()
                or (part.text[1:].islower() and not self._is_word(lower))
            )
            if len(lower) < 5 or not run_together:
                out.append(part)
                continue
            pieces = self.split(lower)
            if not all(self._known(lower[a:b]) for a, b in pieces):
                if not self._ends_in_a_name(lower, pieces):
                    out.append(part)  # #Morpurgo is a name of its own, not "mo" + something
                    continue
                pieces = ((0, pieces[-1][0]), pieces[-1])  # the unknown words as one piece
            for n, (start, end) in enumerate(pieces):
                piece = lower[start:end]
                nxt = lower[slice(*pieces[n + 1])] if n + 1 < len(pieces) else ""
                praised = (n > 0 and (n == len(pieces) - 1 or lower[:start].endswith(PRAISE))) or (
                    fold(piece) in self._names and nxt in DOES  # #hollyrocks
                )
                text = piece.capitalize() if praised else piece
                if nxt and piece.endswith("s") and fold(piece[:-1]) in self._names:
                    # #jacksbirthday: Jack's birthday
                    text = piece[:-1].capitalize() + "'s"
                out.append(Word(text, part.start + start, part.start + end, False, True))
        return out
