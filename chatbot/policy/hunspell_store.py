"""spylls' parsed dictionary, kept as plain tuples so that a process loads it fast.

Unpickling spylls' own objects took ~200 ms of every process's first engine build: 97k `Word`
dataclasses, each with a set, a dict and a list. Here the words are tuples and indexes of row
numbers (a fifth of the bytes, a fifth of the time), and a `Word` is made only when a look-up
reaches it. spylls' lookup and suggestion code runs unchanged on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from spylls.hunspell.algo.capitalization import Type as CapType
from spylls.hunspell.algo.lookup import Lookup
from spylls.hunspell.algo.suggest import Suggest
from spylls.hunspell.data.dic import Dic, Word

# Bumped whenever the stored shape changes, so an older cache is parsed again, never misread.
STORE_FORMAT = "compact-2"

# stem, flags, capitalisation type, data tags (None: none), alternative spellings (None: none)
Row = tuple[str, tuple[str, ...], int, dict[str, list[str]] | None, list[str] | None]
# A stem's rows: one row number (most stems) or a list of them.
Rows = int | list[int]


class CompactDic(Dic):  # type: ignore[misc]  # spylls is untyped
    """A `Dic` whose entries become `Word` objects on first look-up."""

    def __init__(self, rows: list[Row], index: dict[str, Rows], lower: dict[str, Rows]) -> None:
        # Dic's own __init__ would build empty indexes; these are the finished ones.
        self._rows = rows
        self.index = index
        self.lowercase_index = lower
        self._made: dict[int, Word] = {}

    def _word(self, row: int) -> Word:
        word = self._made.get(row)
        if word is None:
            stem, flags, captype, data, alt_spellings = self._rows[row]
            word = Word(stem, set(flags), data or {}, alt_spellings or [], CapType(captype))
            self._made[row] = word
        return word

    def homonyms(self, stem: str, *, ignorecase: bool = False) -> list[Word]:
        rows: Rows | None = (self.lowercase_index if ignorecase else self.index).get(stem)
        if rows is None:
            return []
        if isinstance(rows, int):
            return [self._word(rows)]
        return [self._word(row) for row in rows]

    @property
    def words(self) -> list[Word]:
        """Every entry: only spylls' suggester asks, once, on the first word it cannot place."""
        return [self._word(row) for row in range(len(self._rows))]

    def __repr__(self) -> str:
        return f"CompactDic(... {len(self._rows)} words ...)"


class StoredHunspell:
    """The parts of spylls' `Dictionary` that the bot uses: look-ups now, suggestions on demand."""

    def __init__(self, aff: Any, dic: CompactDic) -> None:
        self.aff = aff
        self.dic = dic
        self.lookuper = Lookup(aff, dic)

    def lookup(self, word: str) -> bool:
        return bool(self.lookuper(word))

    def suggest(self, word: str) -> Iterator[str]:
        """spylls' own ranking (n-grams included): only the spelling benchmark's baseline."""
        yield from self.suggester(word)

    @cached_property
    def suggester(self) -> Suggest:
        return Suggest(self.aff, self.dic, self.lookuper)

    def to_state(self) -> dict[str, Any]:
        return {
            "format": STORE_FORMAT,
            "aff": self.aff,
            "rows": self.dic._rows,
            "index": self.dic.index,
            "lower": self.dic.lowercase_index,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoredHunspell:
        if state.get("format") != STORE_FORMAT:
            raise ValueError("a dictionary cache of another format")
        return cls(state["aff"], CompactDic(state["rows"], state["index"], state["lower"]))

    @classmethod
    def from_spylls(cls, parsed: Any) -> StoredHunspell:
        """Convert what spylls parsed from the .aff/.dic files."""
        rows: list[Row] = []
        where: dict[int, int] = {}
        flag_sets: dict[tuple[str, ...], tuple[str, ...]] = {}  # 2.5k distinct among 97k words
        for word in parsed.dic.words:
            where[id(word)] = len(rows)
            flags = tuple(sorted(word.flags))
            rows.append(
                (
                    word.stem,
                    flag_sets.setdefault(flags, flags),
                    word.captype.value,
                    word.data or None,
                    word.alt_spellings or None,
                )
            )

        def renumber(index: dict[str, list[Word]]) -> dict[str, Rows]:
            return {
                stem: where[id(words[0])] if len(words) == 1 else [where[id(w)] for w in words]
                for stem, words in index.items()
            }

        dic = CompactDic(rows, renumber(parsed.dic.index), renumber(parsed.dic.lowercase_index))
        return cls(parsed.aff, dic)
