"""Rule `mention`: @mentions of (or replies to) accounts not on the policy's allowlist; the
school does not engage individual parents on Twitter."""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import MentionRule
from chatbot.policy.rules import Post
from chatbot.policy.text import excerpt


class MentionCheck:
    def __init__(self, config: MentionRule) -> None:
        self.config = config
        self._allowed = frozenset(config.allowed_accounts)

    def check(self, post: Post) -> Iterator[Finding]:
        text = post.text.text
        seen: set[str] = set()
        for mention in post.text.mentions:
            handle = mention.text.casefold()
            if handle in self._allowed or handle in seen:
                continue
            seen.add(handle)
            reply = not text[: mention.start].strip()
            what = "reads as a reply to" if reply else "mentions"
            yield self.config.finding(
                f"The post {what} @{mention.text}, which is not on the policy's list of "
                "accounts the school engages with. The school does not engage individual "
                "parents on Twitter: take the @ out, or ask SLT to add the account to the list.",
                excerpt=excerpt(text, mention.start, mention.end),
            )
