"""Rule `extremism`: a phrase from the Prevent list in the policy file."""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import ExtremismRule
from chatbot.policy.phrases import PhraseMatcher
from chatbot.policy.rules import Post, located
from chatbot.policy.text import excerpt


class ExtremismCheck:
    def __init__(self, config: ExtremismRule) -> None:
        self.config = config
        self.matcher = PhraseMatcher(config.phrases)

    def check(self, post: Post) -> Iterator[Finding]:
        for where, analysis in post.texts():
            for hit in self.matcher.find(analysis.text):
                yield self.config.finding(
                    f"“{hit.matched}” is on the Prevent list of extremist phrases. Take it out; "
                    "if you are unsure why, talk to the Designated Safeguarding Lead.",
                    excerpt=located(where, excerpt(analysis.text, hit.start, hit.end)),
                )
        for tag, words in post.text.hashtag_phrases:  # #WhitePower hides the phrase
            for hit in self.matcher.find(words):
                yield self.config.finding(
                    f"“#{tag.text}” contains “{hit.phrase}”, which is on the Prevent list of "
                    "extremist phrases. Take it out; if you are unsure why, talk to the "
                    "Designated Safeguarding Lead.",
                    excerpt=excerpt(post.text.text, tag.start, tag.end),
                )
