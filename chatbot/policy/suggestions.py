"""Spelling suggestions ranked the way Hunspell orders its edits, with word frequency to break ties.

Hunspell tries, in order: its REP table of common misspellings, swapped neighbours, keyboard
neighbours, a missing or extra letter, and only then n-gram similarity. spylls follows that
order but yields the first hit, not the likeliest ("Thier" -> "Shier"), and its n-gram stage
takes a fifth of a second. Here every candidate within two edits is scored with a weighted edit
distance (a REP replacement, a swap, a doubled letter or a vowel for a vowel cost little, an
unrelated letter a lot) plus a penalty for a rare word, from the word counts that symspellpy ships
(Google Books n-grams intersected with SCOWL; MIT-licensed package, nothing is downloaded). Only
words the en_GB dictionary accepts are suggested, so "colour", never "color".
"""

from __future__ import annotations

import heapq
import importlib.util
import math
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import pairwise
from pathlib import Path

# Edit costs (an ordinary insertion or deletion costs 1).
_REP = 0.5  # a pair from the .aff REP table: f/ph, ch/k, ght/t...
_SWAP = 0.6  # two neighbours swapped: thier -> their
_DOUBLE = 0.5  # a doubled letter written once or a single one doubled: untill, ocured
_VOWEL = 0.6  # one vowel for another: seperate, definately
_KEY = 0.8  # a keyboard neighbour (the .aff KEY rows): gerat -> great
_SILENT_E = 0.7  # an e left out or added: develope, tomatoe, changable, lonly
_R_AFTER_VOWEL = 0.7  # an r not heard in British speech: futher, suprise, Febuary
_SOUNDS_ALIKE = 0.8  # c for s or k, s for z: concensus
_APOSTROPHE = 0.2  # dont -> don't (the list counts every contraction low)
_SPACE = 1.0  # alot -> a lot (only word pairs the bigram list has)
_FIRST_LETTER = 0.3  # added to a change of the first letter, which people seldom get wrong
# A word the dictionary has only with a capital (Center, Cole): the counts are of the common
# word, often the US spelling, so a name must be clearly likelier to win.
_NAME = 0.5
_OTHER = 1.25  # any other letter for a letter: more often a different word than a slip
# How much a word's rarity counts: ten times rarer costs this much (a fifth of a letter).
_RARITY = 0.2
# A word not in the frequency list is taken as rarer than the rarest there.
_UNLISTED_COUNT = 5_000
# Beyond this much editing a "suggestion" is junk, not help; short words need a closer match.
_MAX_COST_SHORT = 1.3  # up to 4 letters
_MAX_COST = 1.8

_VOWELS = frozenset("aeiouy")
_ALIKE = frozenset({("c", "s"), ("s", "c"), ("c", "k"), ("k", "c"), ("s", "z"), ("z", "s")})
_IZE = ("ize", "izes", "ized", "izing", "ization", "izations")


class Frequencies:
    """Word counts from symspellpy's English frequency list, searched by edit distance."""

    def __init__(self, path: Path, pairs: Path | None = None) -> None:
        self._pairs_path = pairs
        self._pairs: str | None = None
        self.counts: dict[str, int] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, count = line.partition(" ")
            if count.isdigit():
                self.counts[word] = int(count)
        self.top = max(self.counts.values(), default=1)
        # Sorted by length, so the words of a range of lengths are one slice.
        self._words = sorted(self.counts, key=len)
        self._starts: dict[int, int] = {}
        for index, word in enumerate(self._words):
            self._starts.setdefault(len(word), index)

    def count(self, word: str) -> int:
        left, space, right = word.partition(" ")
        if space:
            return self.pair_count(left, right)
        return self.counts.get(word, _UNLISTED_COUNT)

    def pair_count(self, left: str, right: str) -> int:
        """How often the two words come together (0 if unlisted): "a lot" often, "be live" not."""
        if self._pairs is None:
            # Searched as text: a few look-ups per misspelling do not pay for a 240k-entry dict.
            self._pairs = (
                "\n" + self._pairs_path.read_text(encoding="utf-8") if self._pairs_path else ""
            )
        key = f"\n{left} {right} "
        at = self._pairs.find(key)
        if at < 0:
            return 0
        end = self._pairs.find("\n", at + len(key))
        count = self._pairs[at + len(key) : end if end >= 0 else None].strip()
        return int(count) if count.isdigit() else 0

    def _start(self, length: int) -> int:
        """Index of the first word at least `length` long."""
        for size in range(max(length, 0), max(self._starts, default=0) + 1):
            if size in self._starts:
                return self._starts[size]
        return len(self._words)

    def near(self, word: str, distance: int) -> list[str]:
        """Listed words within `distance` insertions, deletions, changes or swaps of `word`."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        pool = self._words[
            self._start(len(word) - distance) : self._start(len(word) + distance + 1)
        ]
        found = process.extract_iter(word, pool, scorer=OSA.distance, score_cutoff=distance)
        return [match for match, _score, _index in found]


@cache
def english_frequencies() -> Frequencies:
    """symspellpy's list, found without importing the package (its import is slow)."""
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("symspellpy is not installed: it ships the word frequencies")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return Frequencies(
        folder / "frequency_dictionary_en_82_765.txt",
        folder / "frequency_bigramdictionary_en_243_342.txt",
    )


class Suggester:
    """The likeliest intended words for a misspelling, best first."""

    def __init__(
        self,
        is_good: Callable[[str], bool],
        rep: Iterable[tuple[str, str]] = (),
        keyboard: str = "qwertyuiop|asdfghjkl|zxcvbnm",
        fallback: Callable[[str], Iterable[str]] | None = None,
        frequencies: Callable[[], Frequencies] = english_frequencies,
    ) -> None:
        """`is_good(word)`: the dictionary accepts the word exactly as cased and may suggest it.
        `fallback(word)`: more candidates (the dictionary's own edits), asked only when the
        frequency list has none, since it is slower."""
        self._is_good = is_good
        # Anchored patterns (^alot$) would need their own matching; en_GB has none.
        self._rep = tuple(
            (a, b.replace("_", " ")) for a, b in rep if a and "^" not in a + b and "$" not in a + b
        )
        self._neighbours = frozenset(
            pair
            for row in keyboard.split("|")
            for left, right in pairwise(row)
            for pair in ((left, right), (right, left))
        )
        self._fallback = fallback
        self._frequencies = frequencies

    def suggestions(self, word: str, limit: int = 3) -> list[str]:
        typo = word.lower()
        freq = self._frequencies()
        candidates = set(freq.near(typo, 1 if len(typo) <= 3 else 2))
        candidates.update(self._replacements(typo))
        candidates.update(self._splits(typo, freq))
        ranked = self._rank(typo, candidates, freq)
        found = self._accept(ranked, limit, typo)
        if not found and self._fallback is not None:
            extra = {c.lower() for c in self._fallback(typo)} - candidates
            found = self._accept(self._rank(typo, extra, freq), limit, typo)
        return [_recase(word, w) for w in found]

    def _rank(
        self, typo: str, candidates: Iterable[str], freq: Frequencies
    ) -> list[tuple[float, str]]:
        limit = _MAX_COST_SHORT if len(typo) <= 4 else _MAX_COST
        scored = []
        for candidate in candidates:
            if candidate == typo:
                continue
            cost = self.cost(typo, candidate)
            if cost > limit:
                continue
            count = freq.count(candidate)
            rarity = math.log10(freq.top / max(count, 1))
            scored.append((cost + _RARITY * rarity, candidate))
        return scored

    def _accept(self, scored: list[tuple[float, str]], limit: int, typo: str) -> list[str]:
        """The best `limit` candidates the dictionary accepts, as it spells them. The dictionary
        is asked best first and only until enough are found: each look-up is slow."""
        heap: list[tuple[float, str, str | None]] = [(score, c, None) for score, c in scored]
        heapq.heapify(heap)
        out: list[str] = []
        while heap and len(out) < limit:
            score, candidate, spelt = heapq.heappop(heap)
            if spelt is None:
                spelt = self._spelling(candidate)
                if spelt is None:
                    continue
                if spelt[:1].isupper() and not candidate[:1].isupper():
                    heapq.heappush(heap, (score + _NAME, candidate, spelt))
                    continue
            if spelt.lower() != typo and spelt not in out:
                out.append(spelt)
        return out

    def _spelling(self, candidate: str) -> str | None:
        """The candidate as the dictionary has it (london -> London), British -ise preferred."""
        words = []
        for part in candidate.split(" "):
            for form in (part, part.capitalize(), part.upper()):
                if self._is_good(form):
                    words.append(form)
                    break
            else:
                return None
        spelt = " ".join(words)
        for suffix in _IZE:
            if spelt.endswith(suffix):
                british = spelt[: -len(suffix)] + "is" + suffix[2:]
                if self._is_good(british):
                    return british
        return spelt

    def _replacements(self, typo: str) -> Iterator[str]:
        """The REP table applied once, anywhere in the word (Hunspell's first kind of edit)."""
        for pattern, replacement in self._rep:
            start = typo.find(pattern)
            while start >= 0:
                yield typo[:start] + replacement + typo[start + len(pattern) :]
                start = typo.find(pattern, start + 1)

    def _splits(self, typo: str, freq: Frequencies) -> Iterator[str]:
        """Two words run together (alot -> a lot), when both are common words."""
        for i in range(1, len(typo)):
            left, right = typo[:i], typo[i:]
            if left in freq.counts and right in freq.counts and freq.pair_count(left, right):
                yield f"{left} {right}"

    def cost(self, typo: str, word: str) -> float:
        """Weighted optimal-string-alignment distance from the typo to the word."""
        n, m = len(typo), len(word)
        d = [[0.0] * (m + 1) for _ in range(n + 1)]
        # REP patterns ending at each position of the typo, found once rather than per cell
        reps: list[list[tuple[int, str]]] = [[] for _ in range(n + 1)]
        for pattern, replacement in self._rep:
            start = typo.find(pattern)
            while start >= 0:
                reps[start + len(pattern)].append((len(pattern), replacement))
                start = typo.find(pattern, start + 1)
        extra = [self._extra(typo, i) for i in range(n)]
        missing = [self._missing(word, j) for j in range(m)]
        for i in range(1, n + 1):
            d[i][0] = d[i - 1][0] + extra[i - 1] + (_FIRST_LETTER if i == 1 else 0.0)
        for j in range(1, m + 1):
            d[0][j] = d[0][j - 1] + missing[j - 1] + (_FIRST_LETTER if j == 1 else 0.0)
        for i in range(1, n + 1):
            a = typo[i - 1]
            for j in range(1, m + 1):
                b = word[j - 1]
                change = self._change(a, b)
                if i == j == 1 and change:
                    change += _FIRST_LETTER
                best = min(
                    d[i - 1][j] + extra[i - 1],
                    d[i][j - 1] + missing[j - 1],
                    d[i - 1][j - 1] + change,
                )
                if i > 1 and j > 1 and a == word[j - 2] and typo[i - 2] == b and a != b:
                    best = min(best, d[i - 2][j - 2] + _SWAP)
                for length, replacement in reps[i]:
                    if word.endswith(replacement, 0, j):
                        best = min(best, d[i - length][j - len(replacement)] + _REP)
                d[i][j] = best
        return d[n][m]

    @staticmethod
    def _extra(typo: str, i: int) -> float:
        """The typo has a letter the word lacks."""
        c = typo[i]
        if (i > 0 and typo[i - 1] == c) or (i + 1 < len(typo) and typo[i + 1] == c):
            return _DOUBLE
        if c == "e":
            return _SILENT_E
        return _APOSTROPHE if c in "'-" else 1.0

    @staticmethod
    def _missing(word: str, j: int) -> float:
        """The word has a letter the typo lacks."""
        c = word[j]
        if (j > 0 and word[j - 1] == c) or (j + 1 < len(word) and word[j + 1] == c):
            return _DOUBLE
        if c == "e":
            return _SILENT_E
        if c == "r" and j > 0 and word[j - 1] in _VOWELS:
            return _R_AFTER_VOWEL
        if c == "'":
            return _APOSTROPHE
        return _SPACE if c == " " else 1.0

    def _change(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        if a in _VOWELS and b in _VOWELS:
            return _VOWEL
        if (a, b) in _ALIKE:
            return _SOUNDS_ALIKE
        return _KEY if (a, b) in self._neighbours else _OTHER


def _recase(typed: str, suggestion: str) -> str:
    """Thier -> Their, THIER -> THEIR; a proper noun keeps the dictionary's capital."""
    if len(typed) > 1 and typed.isupper():
        return suggestion.upper()
    if typed[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion
