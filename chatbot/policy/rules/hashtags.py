"""Rule `hashtags`: more hashtags than the policy allows."""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import HashtagsRule
from chatbot.policy.rules import Post


class HashtagsCheck:
    def __init__(self, config: HashtagsRule) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        tags = post.text.hashtags
        limit = self.config.max_hashtags
        if len(tags) > limit:
            yield self.config.finding(
                f"The post has {len(tags)} hashtags; the policy allows {limit}. Keep the most "
                "useful ones, at the end of the post.",
                excerpt=" ".join(f"#{t.text}" for t in tags),
            )
