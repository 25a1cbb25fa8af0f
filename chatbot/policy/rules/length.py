"""Rule `length`: longer than X allows, counted the way X counts (links 23, emoji and CJK 2)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import LengthRule
from chatbot.policy.rules import Post
from chatbot.policy.text import find_urls

_WIDE = re.compile(r"[^\u0000-\u10ff]")
_LINE_ENDS = re.compile(r"\r\n|\r|\n")


class LengthCheck:
    def __init__(self, config: LengthRule) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        limit = self.config.max_weighted_length
        if _upper_bound(post) <= limit:
            return  # most posts are clearly short: no need to count exactly
        length, over = weighted_length(post.content.text, limit)
        if length > limit:
            yield self.config.finding(
                f"The post is {length:,} characters as X counts them (a link counts as 23, an "
                f"emoji as 2); the limit is {limit}. Shorten it by {length - limit:,}.",
                excerpt=f"…{' '.join(over.split())[:80]}",
            )


def weighted_length(text: str, limit: int) -> tuple[int, str]:
    """X's weighted length of `text`, and the part of it beyond `limit`.

    twitter-text's own parser counts the same way, but its link pattern takes quadratic time
    on some texts (minutes for a long "s.s.s..."): this is its loop, with links found by
    `find_urls`, which keeps that pattern to short chunks.
    """
    # Imported here: only posts near the limit need exact counting (see _upper_bound).
    from twitter_text import extract_emojis_with_indices
    from twitter_text.config import config
    from twitter_text.get_character_weight import get_character_weight

    options = config["defaults"]
    scale = options["scale"]
    normal = _LINE_ENDS.sub("\n", unicodedata.normalize("NFC", text))
    units: dict[int, tuple[int, int]] = {}  # start -> (end, weight) for links and emoji
    for emoji in extract_emojis_with_indices(normal):
        start, end = emoji["indices"]
        units[start] = (end, options["default_weight"])
    for url in find_urls(normal):
        units[url.start] = (url.end, options["transformed_url_length"] * scale)
    weight = 0
    over_at = len(normal)
    index = 0
    while index < len(normal):
        end, unit = units.get(index, (index + 1, 0))
        weight += unit or get_character_weight(normal[index], options)
        if weight > limit * scale and over_at == len(normal):
            over_at = index
        index = end
    return weight // scale, normal[over_at:]


def _upper_bound(post: Post) -> int:
    """At least X's weighted length: a link counts 23 whatever its length, a character 1 below
    U+1100 and at most 2 above (emoji, CJK). Exact for most posts, which are plain text."""
    text, urls = post.content.text, post.text.urls
    wide = len(_WIDE.findall(text))
    return len(text) + wide + sum(23 - (u.end - u.start) for u in urls)
