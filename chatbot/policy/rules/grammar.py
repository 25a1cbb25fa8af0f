"""Rule `grammar`: cheap checks that are right nearly every time.

Repeated words, a sentence without a capital, shouting, too many !!!, a lower-case "i", and
a/an (conservative: only clear cases; "a university", "an hour" and acronyms are left alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from chatbot.domain.findings import Finding
from chatbot.policy.model import GrammarRule
from chatbot.policy.rules import Post
from chatbot.policy.text import Word, excerpt

_LOWER_I = frozenset({"i", "i'm", "i've", "i'll", "i'd"})
_VOWELS = "aeiou"
# Words after which a full stop is an abbreviation, not the end of a sentence.
_ABBREVIATIONS = frozenset({"etc", "approx", "vs", "no", "incl", "st", "mr", "mrs", "ms", "dr"})
# "a"/"an" used as letters or labels ("plan a or b") rather than articles.
_NOT_NOUNS = frozenset({"and", "or", "is", "of", "as", "in", "on", "at", "it", "if", "etc"})


class GrammarCheck:
    def __init__(self, config: GrammarRule, acronyms: Iterable[str]) -> None:
        self.config = config
        self._repeated_ok = frozenset(w.casefold() for w in config.repeated_ok)
        self._acronyms = frozenset(acronyms)
        self._marks = re.compile(rf"[!?]{{{config.max_marks + 1},}}")
        self._a_before = tuple(p.casefold() for p in config.a_before)
        self._an_before = tuple(p.casefold() for p in config.an_before)

    def check(self, post: Post) -> Iterator[Finding]:
        text = post.text.text
        words = list(post.text.words)
        yield from self._repeated(text, words)
        yield from self._capitals(text, words)
        yield from self._shouting(text, words)
        yield from self._lower_i(text, words)
        yield from self._articles(text, words)
        match = self._marks.search(post.text.prose)
        if match:
            yield self.config.finding(
                f"“{match.group()}”: one exclamation or question mark is enough.",
                excerpt=excerpt(text, match.start(), match.end()),
            )

    def _repeated(self, text: str, words: list[Word]) -> Iterator[Finding]:
        for before, word in pairwise(words):
            key = word.text.casefold()
            if (
                key == before.text.casefold()
                and key not in self._repeated_ok
                and text[before.end : word.start].isspace()
                and not key.isdigit()
            ):
                yield self.config.finding(
                    f"“{before.text} {word.text}”: the word is repeated; delete one.",
                    excerpt=excerpt(text, before.start, word.end),
                )

    def _capitals(self, text: str, words: list[Word]) -> Iterator[Finding]:
        for index, word in enumerate(words):
            first = word.text[0]
            if not (first.isalpha() and first.islower()) or word.text.casefold() in _LOWER_I:
                continue
            if any(c.isupper() for c in word.text[1:]):
                continue  # iPad, eBay
            if self._starts_sentence(text, words, index):
                yield self.config.finding(
                    f"“{word.text}” starts a sentence: give it a capital letter.",
                    excerpt=excerpt(text, word.start, word.end),
                )

    @staticmethod
    def _starts_sentence(text: str, words: list[Word], index: int) -> bool:
        i = words[index].start - 1
        while i >= 0 and text[i] in " \t\"'“‘(":
            i -= 1
        if i < 0:
            return True
        if text[i] not in ".!?" or i == words[index].start - 1:
            return False  # only after the mark and a space: not in 3.5 or e.g.
        if text[i] == "." and index > 0:
            before = words[index - 1]
            if before.end == i and (
                len(before.text) == 1 or before.text.casefold() in _ABBREVIATIONS
            ):
                return False
        return True

    def _shouting(self, text: str, words: list[Word]) -> Iterator[Finding]:
        run: list[Word] = []
        for word in [*words, None]:
            loud = (
                word is not None
                and len(word.text) >= 2
                and word.text.isupper()
                and word.text not in self._acronyms
            )
            if loud and word is not None:
                run.append(word)
                continue
            if len(run) >= self.config.shouting_words:
                yield self.config.finding(
                    "Several words in capitals read as shouting; write them in lower case "
                    "(acronyms like PE or KS2 are fine).",
                    excerpt=excerpt(text, run[0].start, run[-1].end),
                )
            run = []

    def _lower_i(self, text: str, words: list[Word]) -> Iterator[Finding]:
        for word in words:
            if text[word.end : word.end + 1] == "." and text[word.end + 1 : word.end + 2].isalpha():
                continue  # i.e.
            if word.text.replace("’", "'") in _LOWER_I:
                yield self.config.finding(
                    f"“{word.text}”: “I” is always a capital letter.",
                    excerpt=excerpt(text, word.start, word.end),
                )
                return

    def _articles(self, text: str, words: list[Word]) -> Iterator[Finding]:
        for article, word in pairwise(words):
            if (
                article.text not in ("a", "A", "an", "An")
                or not text[article.end : word.start].isspace()
            ):
                continue
            key = word.text.casefold()
            if (
                not word.text[0].isalpha()
                or len(word.text) < 2
                or word.text.isupper()
                or key in _NOT_NOUNS
            ):
                continue
            vowel = key[0] in _VOWELS
            if article.text.casefold() == "a":
                # "u" can sound either way (a unicorn, an umbrella): left alone
                if vowel and key[0] != "u" and not key.startswith(self._a_before):
                    yield self._article(text, article, word, "an")
            elif not vowel and not key.startswith(self._an_before):
                yield self._article(text, article, word, "a")

    def _article(self, text: str, article: Word, word: Word, right: str) -> Finding:
        fixed = right.capitalize() if article.text[0].isupper() else right
        return self.config.finding(
            f"“{article.text} {word.text}”: write “{fixed} {word.text}”.",
            excerpt=excerpt(text, article.start, word.end),
        )
