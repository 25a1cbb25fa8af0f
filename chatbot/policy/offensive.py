"""Offensive words in any text (posts, follower bios, mentions), disguises included.

Disguises undone before matching: look-alike digits and symbols (sh1t, @rse, $hit), stars for
letters (f*ck), letters spelt out with dots or spaces (s.h.i.t, s h i t) and stretched letters
(shiiiit). Matching is on whole words only (with the usual endings: -s, -ed, -ing, -er, -y), so
Scunthorpe, Penistone, Cockermouth, Dickens, class and assess never match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from chatbot.domain.folding import fold
from chatbot.policy.text import unleet

# letters, digits and the symbols used for letters (! and | only inside a word: sh!t)
_TOKEN = re.compile(r"(?:[^\W_]|[*@$]|[!|](?=[^\W_]))+")
_SUFFIXES = ("", "s", "es", "ed", "er", "ers", "ing", "in", "y")
_DOUBLED = ("y", "ing", "ed", "er", "ers")  # shitty, fucker, shitting
_SPELT_OUT_GAP = re.compile(r"^[\s.\-_,·•]{1,2}$")
_RUN = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class WordHit:
    word: str  # the listed word it matched
    matched: str  # as written in the text
    start: int
    end: int


def _collapse(word: str) -> str:
    return _RUN.sub(r"\1", word)


class OffensiveMatcher:
    """Built once from a word list; `find` is cheap per text."""

    def __init__(self, words: Iterable[str], safe_phrases: Iterable[str] = ()) -> None:
        self._forms: dict[str, str] = {}
        for word in words:
            base = fold(word.strip())
            if not base:
                continue
            for suffix in _SUFFIXES:
                self._forms.setdefault(base + suffix, base)
            for suffix in _DOUBLED:
                self._forms.setdefault(base + base[-1] + suffix, base)
        self._collapsed = {_collapse(form): base for form, base in self._forms.items()}
        safe = [re.escape(p.strip()).replace(r"\ ", r"\s+") for p in safe_phrases if p.strip()]
        self._safe = re.compile(r"\b(?:" + "|".join(safe) + r")\b", re.I) if safe else None

    def find(self, text: str) -> list[WordHit]:
        safe_spans = [m.span() for m in self._safe.finditer(text)] if self._safe else []
        tokens = [
            (m.group().strip("*"), m.start(), m.end())
            for m in _TOKEN.finditer(text)
            if not any(a <= m.start() < b for a, b in safe_spans)
        ]
        hits: list[WordHit] = []
        for token, start, end in tokens:
            if len(token) > 1 and (word := self._match(token)):
                hits.append(WordHit(word, text[start:end], start, end))
        hits.extend(self._spelt_out(text, tokens))
        return sorted(hits, key=lambda h: h.start)

    def _match(self, token: str) -> str | None:
        plain = unleet(token)
        if "*" in plain:
            return self._starred(plain)
        if plain in self._forms:
            return self._forms[plain]
        if _RUN.search(plain) and re.search(r"(.)\1\1", plain):  # stretched: shiiiit
            return self._collapsed.get(_collapse(plain))
        return None

    def _starred(self, token: str) -> str | None:
        # f*ck, sh*t: each star one letter; at least two real letters, the first one real.
        if token[0] == "*" or sum(c.isalpha() for c in token) < 2:
            return None
        pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]"))
        return next((base for form, base in self._forms.items() if pattern.fullmatch(form)), None)

    def _spelt_out(self, text: str, tokens: list[tuple[str, int, int]]) -> list[WordHit]:
        """Runs of single characters with small gaps between them: s.h.i.t, f u c k."""
        hits: list[WordHit] = []
        run: list[tuple[str, int, int]] = []
        for token in [*tokens, ("", len(text) + 1, len(text) + 1)]:
            joined = (
                run
                and len(token[0]) == 1
                and _SPELT_OUT_GAP.match(text[run[-1][2] : token[1]]) is not None
            )
            if joined:
                run.append(token)
                continue
            if len(run) >= 3 and (word := self._match("".join(t[0] for t in run))):
                hits.append(WordHit(word, text[run[0][1] : run[-1][2]], run[0][1], run[-1][2]))
            run = [token] if len(token[0]) == 1 else []
        return hits


@lru_cache(maxsize=8)
def _matcher(words: tuple[str, ...], safe_phrases: tuple[str, ...]) -> OffensiveMatcher:
    return OffensiveMatcher(words, safe_phrases)


def find_offensive(
    text: str, words: Iterable[str], safe_phrases: Iterable[str] = ()
) -> list[WordHit]:
    """Offensive words in `text` (e.g. ``policy.rules.offensive.words``); matchers are cached."""
    return _matcher(tuple(words), tuple(safe_phrases)).find(text)
