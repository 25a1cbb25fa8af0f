"""Does a follower's display name or handle look like a pupil's full name?

Only full names count (first or preferred name with the surname): a first name alone is far too
common across 100,000 followers to mean anything. Handles are split the way people write them
(``zoe_smith2015``, ``ZoeSmith``, ``zoesmith``, ``xXzoesmithXx``) and looked up in a dict of
names with the spaces taken out, so a check costs a few dict lookups whatever the register's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatbot.domain.folding import fold
from chatbot.domain.pupils import Pupil, Register
from chatbot.policy.name_index import full_name_keys

_WORDS = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# Decorations around a handle's name: "its", "the", "real", "official", "x" runs.
_AFFIX = re.compile(r"^(?:its|the|real|official|im|x+)+|(?:x+|official|real)$")
_MAX_SPAN = 6  # words in the longest name looked for (Anne-Marie van der Berg: 5)


@dataclass(frozen=True, slots=True)
class NameHit:
    pupil_id: int | None
    field: str  # "name" (display name) or "handle"


class PupilNameIndex:
    def __init__(self, register: Register) -> None:
        self._by_key: dict[str, Pupil] = {}
        for pupil in register.pupils:
            # The policy's idea of a pupil's full names, as letters only (handles have no
            # apostrophes or hyphens).
            for given, surname in sorted(full_name_keys(pupil)):
                first, last = _letters(given), _letters(surname)
                # Both orders: registers and some handles put the surname first.
                self._by_key.setdefault(first + last, pupil)
                self._by_key.setdefault(last + first, pupil)

    def __len__(self) -> int:
        return len(self._by_key)

    def match_name(self, display_name: str) -> Pupil | None:
        return self._lookup_spans(_words(display_name))

    def match_handle(self, handle: str) -> Pupil | None:
        handle = handle.removeprefix("@")
        # zoe_smith2015 -> [zoe, smith]; ZoeSmith -> [zoe, smith]; zoesmith -> [zoesmith]
        tokens: list[str] = []
        for chunk in re.split(r"[\d_]+", handle):
            tokens.extend(fold(t) for t in _CAMEL.findall(chunk) or [chunk] if t)
        if hit := self._lookup_spans(tokens):
            return hit
        letters = fold(re.sub(r"[\d_]+", "", handle))
        stripped = _AFFIX.sub("", letters)
        return self._by_key.get(letters) or self._by_key.get(stripped)

    def match(self, display_name: str, handle: str) -> NameHit | None:
        if pupil := self.match_name(display_name):
            return NameHit(pupil.id, "name")
        if pupil := self.match_handle(handle):
            return NameHit(pupil.id, "handle")
        return None

    def _lookup_spans(self, tokens: list[str]) -> Pupil | None:
        by_key = self._by_key
        count = len(tokens)
        for start in range(count):
            key = tokens[start]
            for end in range(start + 1, min(count, start + _MAX_SPAN)):
                key += tokens[end]
                if (pupil := by_key.get(key)) is not None:
                    return pupil
        # A one-word handle like "zoesmith" is a single token: the whole of it may be a name.
        if count == 1:
            return by_key.get(tokens[0])
        return None


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _letters(keys: tuple[str, ...]) -> str:
    return "".join(_WORDS.findall("".join(keys)))
