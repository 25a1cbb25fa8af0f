"""Rule `offensive`: offensive language in the post or its alt text, disguises included."""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import OffensiveRule
from chatbot.policy.offensive import OffensiveMatcher
from chatbot.policy.rules import Post, located
from chatbot.policy.text import excerpt


class OffensiveCheck:
    def __init__(self, config: OffensiveRule) -> None:
        self.config = config
        self.matcher = OffensiveMatcher(config.words, config.safe_phrases)

    def check(self, post: Post) -> Iterator[Finding]:
        for where, analysis in post.texts():
            for hit in self.matcher.find(analysis.text):
                yield self.config.finding(
                    f"“{hit.matched}” is offensive language. Take it out: nothing offensive "
                    "goes out from the school's account.",
                    excerpt=located(where, excerpt(analysis.text, hit.start, hit.end)),
                )
        for tag, words in post.text.hashtag_phrases:  # #ShitDay hides the word in CamelCase
            if self.matcher.find(tag.text) or not (hits := self.matcher.find(words)):
                continue  # a whole-hashtag match was reported above
            yield self.config.finding(
                f"“#{tag.text}” contains offensive language (“{hits[0].matched}”). Take it out.",
                excerpt=excerpt(post.text.text, tag.start, tag.end),
            )
