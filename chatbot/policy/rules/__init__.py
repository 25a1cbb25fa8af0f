"""The policy's checks, one module per rule family, each named after its rule id.

A rule is built once by the engine from its settings in the policy file and then judges posts:
`check(post)` yields findings. `Post` holds the draft and its text taken apart once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from chatbot.domain.drafts import DraftContent
from chatbot.domain.findings import Finding
from chatbot.policy.text import TextAnalysis


@dataclass(frozen=True, slots=True)
class Post:
    content: DraftContent
    text: TextAnalysis
    alts: tuple[TextAnalysis, ...]  # each photo's alt text, in photo order

    @classmethod
    def of(cls, content: DraftContent) -> Post:
        return cls(
            content,
            TextAnalysis(content.text),
            tuple(TextAnalysis(photo.alt_text) for photo in content.photos),
        )

    def texts(self) -> list[tuple[str, TextAnalysis]]:
        """The post's text and every non-empty alt text, each with where it is ("" = the post)."""
        out = [("", self.text)]
        out.extend(
            (f"alt text of photo {n}", alt)
            for n, alt in enumerate(self.alts, start=1)
            if alt.text.strip()
        )
        return out


class Rule(Protocol):
    def check(self, post: Post) -> Iterable[Finding]: ...


def located(where: str, excerpt: str) -> str:
    """An excerpt, prefixed with where it is when it is not the post's own text."""
    return f"{where}: {excerpt}" if where else excerpt
