"""spylls' parsed dictionary, kept as plain columns so that a process loads it fast.

Unpickling spylls' own objects took ~200 ms of every process's first engine build: 97k `Word`
dataclasses, each with a set, a dict and a list. Here the words are columns (one string of stems,
flag-set numbers, capitalisation bytes), the indexes are strings of keys with arrays of row
numbers, and a `Word` is made only when a look-up reaches it. spylls' lookup and suggestion code
runs unchanged on top. The affix rules' regular expressions (2,400 of them) are kept as their
source and compiled on first use: recompiling them all was a third of every load, and a check
uses a few dozen.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from functools import cached_property
from typing import Any, TypeAlias

from spylls.hunspell.algo.capitalization import Type as CapType
from spylls.hunspell.algo.lookup import Lookup
from spylls.hunspell.algo.suggest import Suggest
from spylls.hunspell.data.dic import Dic, Word

# Bumped whenever the stored shape changes, so an older cache is parsed again, never misread.
STORE_FORMAT = "compact-5"

# A stem's rows: one row number (most stems) or several.
Rows: TypeAlias = "int | list[int] | array[int]"
# Extras of the few rows that have them: data tags, alternative spellings (None: none).
Extras = dict[int, tuple[dict[str, list[str]] | None, list[str] | None]]


class LazyPattern:
    """A regular expression compiled the first time it is used; pickled as its source."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return (LazyPattern, (self.pattern, self.flags))

    def __getattr__(self, name: str) -> Any:  # search, sub, fullmatch, finditer...
        if name.startswith("__") or name in LazyPattern.__slots__:
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


def _lazy(value: Any) -> Any:
    return LazyPattern(value.pattern, value.flags) if isinstance(value, re.Pattern) else value


def lazy_patterns(aff: Any) -> Any:
    """Swap the compiled patterns on `aff`'s rules (REP, PFX, SFX, BREAK, COMPOUNDRULE...) for
    lazy ones, in place; patterns elsewhere are left as they are."""
    for value in vars(aff).values():
        rules = value.values() if isinstance(value, dict) else [value]
        for rule in rules:
            for item in rule if isinstance(rule, list) else [rule]:
                if hasattr(item, "__dict__") and not isinstance(item, type):
                    for name, attr in vars(item).items():
                        if isinstance(attr, re.Pattern):
                            setattr(item, name, _lazy(attr))
    return aff


class CompactDic(Dic):  # type: ignore[misc]  # spylls is untyped
    """A `Dic` kept as columns (stems, flag sets, capitalisation types) whose entries become
    `Word` objects on first look-up."""

    def __init__(
        self,
        columns: tuple[list[str], list[tuple[str, ...]], array[int], bytes, Extras],
        index: dict[str, Rows],
        lower: dict[str, Rows],
    ) -> None:
        # Dic's own __init__ would build empty indexes; these are the finished ones.
        self._stems, self._flag_sets, self._flag_ids, self._captypes, self._extras = columns
        self.index = index
        self.lowercase_index = lower
        self._made: dict[int, Word] = {}

    def _word(self, row: int) -> Word:
        word = self._made.get(row)
        if word is None:
            data, alt_spellings = self._extras.get(row, (None, None))
            flags = set(self._flag_sets[self._flag_ids[row]])
            captype = CapType(self._captypes[row])
            word = Word(self._stems[row], flags, data or {}, alt_spellings or [], captype)
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
        return [self._word(row) for row in range(len(self._stems))]

    def __repr__(self) -> str:
        return f"CompactDic(... {len(self._stems)} words ...)"


def _pack(index: dict[str, Rows]) -> tuple[str, bytes, dict[str, bytes]]:
    """An index as one string of keys, their single rows as machine integers (-1: several) and
    the several rows apart, as machine integers too: pickle reads that in a few milliseconds
    instead of tens. (spylls' lower-case index also files every word under each of its letters,
    half a million rows.)"""
    singles = array("i", (rows if isinstance(rows, int) else -1 for rows in index.values()))
    several = {
        key: array("i", rows).tobytes() for key, rows in index.items() if not isinstance(rows, int)
    }
    return "\n".join(index), singles.tobytes(), several


def _unpack(packed: tuple[str, bytes, dict[str, bytes]]) -> dict[str, Rows]:
    keys, singles, several = packed
    rows = array("i")
    rows.frombytes(singles)
    index: dict[str, Rows] = dict(zip(keys.split("\n"), rows, strict=True)) if rows else {}
    for key, packed_rows in several.items():
        index[key] = many = array("i")
        many.frombytes(packed_rows)
    return index


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
        dic = self.dic
        return {
            "format": STORE_FORMAT,
            "aff": self.aff,
            "stems": "\n".join(dic._stems),
            "flag_sets": dic._flag_sets,
            "flag_ids": dic._flag_ids.tobytes(),
            "captypes": dic._captypes,
            "extras": dic._extras,
            "index": _pack(dic.index),
            "lower": _pack(dic.lowercase_index),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoredHunspell:
        if state.get("format") != STORE_FORMAT:
            raise ValueError("a dictionary cache of another format")
        flag_ids = array("H")
        flag_ids.frombytes(state["flag_ids"])
        stems = state["stems"].split("\n")
        if len(stems) != len(flag_ids) or len(stems) != len(state["captypes"]):
            raise ValueError("a dictionary cache whose columns differ in length")
        columns = (stems, state["flag_sets"], flag_ids, state["captypes"], state["extras"])
        dic = CompactDic(columns, _unpack(state["index"]), _unpack(state["lower"]))
        return cls(state["aff"], dic)

    @classmethod
    def from_spylls(cls, parsed: Any) -> StoredHunspell:
        """Convert what spylls parsed from the .aff/.dic files."""
        where: dict[int, int] = {}
        flag_sets: dict[tuple[str, ...], int] = {}  # 2.5k distinct among 97k words
        stems: list[str] = []
        flag_ids = array("H")
        captypes = bytearray()
        extras: Extras = {}
        for row, word in enumerate(parsed.dic.words):
            where[id(word)] = row
            stems.append(word.stem)
            flag_ids.append(flag_sets.setdefault(tuple(sorted(word.flags)), len(flag_sets)))
            captypes.append(word.captype.value)
            if word.data or word.alt_spellings:
                extras[row] = (word.data or None, word.alt_spellings or None)

        def renumber(index: dict[str, list[Word]]) -> dict[str, Rows]:
            return {
                stem: where[id(words[0])] if len(words) == 1 else [where[id(w)] for w in words]
                for stem, words in index.items()
            }

        columns = (stems, list(flag_sets), flag_ids, bytes(captypes), extras)
        dic = CompactDic(columns, renumber(parsed.dic.index), renumber(parsed.dic.lowercase_index))
        return cls(lazy_patterns(parsed.aff), dic)
