"""Rule `textspeak`: text language (lol, gr8, l8r, u), not school acronyms (PE, KS2, Year R)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import TextspeakRule
from chatbot.policy.rules import Post
from chatbot.policy.text import excerpt


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Case-sensitive whole-word matches of listed phrases (PE, Year R, D&T)."""
    parts = [re.escape(p.strip()).replace(r"\ ", r"\s+") for p in phrases if p.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])")


class TextspeakCheck:
    def __init__(self, config: TextspeakRule, acronyms: Iterable[str]) -> None:
        self.config = config
        self._words = {k.casefold(): v for k, v in config.words.items()}
        self._allowed = phrase_pattern(acronyms)

    def check(self, post: Post) -> Iterator[Finding]:
        text = post.text.text
        allowed = [m.span() for m in self._allowed.finditer(text)] if self._allowed else []
        seen: set[str] = set()
        for word in post.text.words:
            key = word.text.casefold().replace("’", "'")
            replacement = self._words.get(key)
            if replacement is None or key in seen:
                continue
            if len(key) == 1 and not word.text.islower():
                continue  # "u" and "r" only as lower-case words: "Year R" is a class
            if word.text.istitle() and not word.sentence_start:
                continue  # a capital mid-sentence makes a name: "well done to Ty"
            if any(a <= word.start < b for a, b in allowed):
                continue
            seen.add(key)
            advice = (
                "leave it out" if replacement.startswith("(") else f"write “{replacement}” instead"
            )
            yield self.config.finding(
                f"“{word.text}” is text language, which the policy rules out: {advice}.",
                excerpt=excerpt(text, word.start, word.end),
            )
