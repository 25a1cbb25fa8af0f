"""Whole-word phrase lists on any text: the Prevent (extremism) list for posts, bios and
mentions, and the "undermining the school" list for mentions.

Case, accents, punctuation between words and look-alike digits (wh1te p0wer) do not hide a
phrase; a phrase never matches inside a longer word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from chatbot.policy.text import unleet

_TOKEN = re.compile(r"(?:[^\W_]|[@$]|['’](?=[^\W_]))+")


@dataclass(frozen=True, slots=True)
class PhraseHit:
    phrase: str  # as listed
    matched: str  # as written in the text
    start: int
    end: int


def _keys(text: str) -> list[tuple[str, int, int]]:
    return [
        (unleet(m.group()).replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


class PhraseMatcher:
    """Built once from a phrase list; `find` is cheap per text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for phrase in phrases:
            keys = tuple(k for k, _, _ in _keys(phrase))
            if keys:
                self._by_first[keys[0]].append((keys, phrase.strip()))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str) -> list[PhraseHit]:
        tokens = _keys(text)
        words = [t[0] for t in tokens]
        hits: list[PhraseHit] = []
        i = 0
        while i < len(tokens):
            for keys, phrase in self._by_first.get(words[i], ()):
                if tuple(words[i : i + len(keys)]) == keys:
                    start, end = tokens[i][1], tokens[i + len(keys) - 1][2]
                    hits.append(PhraseHit(phrase, text[start:end], start, end))
                    i += len(keys) - 1
                    break
            i += 1
        return hits


@lru_cache(maxsize=8)
def _matcher(phrases: tuple[str, ...]) -> PhraseMatcher:
    return PhraseMatcher(phrases)


def find_phrases(text: str, phrases: Iterable[str]) -> list[PhraseHit]:
    """Listed phrases in `text`: ``policy.rules.extremism.phrases``, ``policy.undermining``."""
    return _matcher(tuple(phrases)).find(text)
