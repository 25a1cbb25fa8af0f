"""Rule `spelling`: words that are not British English, US spellings included.

Names on the register, staff names, surnames after a title (Mrs Gray), the school's own words,
hashtags, @handles, links, numbers and emoji are not words to check (links, handles and
hashtags are already out of `words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from chatbot.domain.findings import Finding
from chatbot.domain.folding import fold
from chatbot.policy.dictionary import Dictionary
from chatbot.policy.model import SpellingRule
from chatbot.policy.rules import Post
from chatbot.policy.text import excerpt, strip_possessive

_IZE = ("ize", "izes", "ized", "izing", "ization", "izations")
# A suggestion takes 10-25 ms (the first one in a process also loads the word frequencies,
# about 60 ms), so a post gets a few, and long words, seldom typos, none.
_SUGGESTIONS_PER_POST = 3
_SUGGEST_MAX_LENGTH = 20
# Letters the en_GB dictionary can judge (Latin script); words in other scripts are left alone.
_NOT_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
_ACRONYM_MAX = 6  # NHS, KS2, STEM: all-capital words this short are treated as acronyms


class SpellingCheck:
    def __init__(
        self,
        config: SpellingRule,
        dictionary: Dictionary,
        known_words: Iterable[str],
        titles: Iterable[str] = (),
    ) -> None:
        self.config = config
        self._dictionary = dictionary
        self._us = {k.casefold(): v for k, v in config.us_spellings.items()}
        self._known = frozenset(fold(w) for w in known_words)
        self._titles = frozenset(titles)

    def check(self, post: Post) -> Iterator[Finding]:
        text = post.text.text
        seen: set[str] = set()
        budget = [_SUGGESTIONS_PER_POST]
        previous = ""
        for word in post.text.words:
            after_title, previous = previous in self._titles, word.text
            if after_title:
                continue  # a surname (Mrs Gray), however it is spelt
            for part, offset in _parts(strip_possessive(word.text).replace("’", "'")):
                key = part.casefold()
                if key in seen or self._skip(part):
                    continue
                seen.add(key)
                start = word.start + offset
                dotted = text[start + len(part) : start + len(part) + 1] == "."
                message = self._problem(part, dotted, budget)
                if message:
                    yield self.config.finding(
                        message, excerpt=excerpt(text, start, start + len(part))
                    )

    def _skip(self, part: str) -> bool:
        if any(c.isdigit() for c in part) or not any(c.isalpha() for c in part):
            return True
        if part.isupper() and len(part) <= _ACRONYM_MAX:
            return True
        if any(c.isupper() for c in part[1:]) and not part.isupper():
            return True  # iPad, McDonald, HuntsCross: brand and proper names
        if _NOT_LATIN.search(part):
            return True
        return fold(part) in self._known

    def _problem(self, word: str, dotted: bool, budget: list[int]) -> str | None:
        key = word.casefold()
        if key in self._us:
            return (
                f"“{word}” is the US spelling: write “{self._us[key]}”."
                if "(" not in self._us[key]
                else f"“{word}” is the US spelling: write {self._us[key]}."
            )
        if self.config.prefer_ise and len(key) >= 7 and key.endswith(_IZE):
            british = key[::-1].replace("ezi", "esi", 1)[::-1]
            if self._dictionary.knows(british):
                return f"“{word}”: British English in school writes “{british}”."
        if self._dictionary.knows(word) or self._dictionary.knows(key):
            return None
        if dotted and self._dictionary.knows(f"{word}."):
            return None  # an abbreviation the dictionary has with its full stop: etc.
        suggestion = None
        if budget[0] > 0 and len(word) <= _SUGGEST_MAX_LENGTH:
            budget[0] -= 1
            suggestion = self._dictionary.suggest(word)
            if suggestion:
                suggestion = self._british(suggestion)
        hint = f" Did you mean “{suggestion}”?" if suggestion else ""
        return (
            f"“{word}” is not in the British English dictionary.{hint} If it is right (a name or "
            "a school word), carry on, or ask for it to be added to the policy's word list."
        )

    def _british(self, suggestion: str) -> str:
        """A suggestion the policy lists as a US spelling is given in the British form: the
        dictionary accepts some US forms (gray), the policy asks for the other (grey)."""
        british = self._us.get(suggestion.casefold())
        if british is None or "(" in british:
            return suggestion
        return british[:1].upper() + british[1:] if suggestion[:1].isupper() else british


def _parts(word: str) -> list[tuple[str, int]]:
    """A hyphenated word is checked part by part (year-group -> year, group)."""
    out: list[tuple[str, int]] = []
    offset = 0
    for part in word.split("-"):
        if part:
            out.append((part.strip("'"), offset + (1 if part.startswith("'") else 0)))
        offset += len(part) + 1
    return out
