"""Rule `empty`: nothing to post."""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import RuleConfig
from chatbot.policy.rules import Post


class EmptyRule:
    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        if not post.content.text.strip() and not post.content.photos:
            yield self.config.finding(
                "The post has no text and no photos. Write what you want to share, or attach "
                "photos."
            )
