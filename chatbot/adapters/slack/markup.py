"""Slack message markup -> the text that will be posted on X.

Slack sends a message's ``text`` with its own markup: ``&amp; &lt; &gt;`` escapes, links as
``<url|label>``, mentions as ``<@U…>``, emoji as ``:shortcode:``. A post on X carries none of
that, so links become their URL, emoji become characters, and anything that only means something
inside Slack (people, channels, ``@here``) is removed and reported to the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import emoji

# <...> spans: Slack escapes a literal "<" as "&lt;", so every "<" in the raw text opens markup.
_ANGLE = re.compile(r"<([^<>]*)>")
_SKIN_TONE = re.compile(r"(:[a-zA-Z0-9_+\-']+:):skin-tone-([2-6]):")
_SKIN_TONES = {"2": "\U0001f3fb", "3": "\U0001f3fc", "4": "\U0001f3fd", "5": "\U0001f3fe"}
_SKIN_TONES["6"] = "\U0001f3ff"
_SPACES = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True, slots=True)
class Converted:
    text: str
    # What was taken out because it cannot be posted, in a teacher's words (no names).
    notices: tuple[str, ...] = ()


def unescape(text: str) -> str:
    # Order matters: "&amp;lt;" is a literal "&lt;" typed by the author.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emojize(text: str) -> str:
    # Slack writes skin tones as a second shortcode (":wave::skin-tone-3:").
    text = _SKIN_TONE.sub(
        lambda m: str(emoji.emojize(m.group(1), language="alias")) + _SKIN_TONES[m.group(2)], text
    )
    converted: str = emoji.emojize(text, language="alias")
    return converted


def to_post_text(text: str) -> Converted:
    """Turn a Slack message's `text` into the post, with notices for what was removed."""
    notices: list[str] = []
    removed: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            removed.add("people")
            return ""
        if target.startswith("#"):
            removed.add("channels")
            return ""
        if target.startswith("!"):
            if target.startswith("!date^"):
                return unescape(label)  # a formatted date: its fallback text
            removed.add("broadcasts")
            return ""
        if target.startswith("mailto:"):
            return unescape(target.removeprefix("mailto:"))
        if target.startswith(("tel:", "sms:")):
            return unescape(label or target.partition(":")[2])
        # A link: X shows the URL itself, whatever label Slack displayed.
        return unescape(target)

    # Replace markup spans first, then unescape the rest, so "&lt;@U1&gt;" stays literal text.
    parts: list[str] = []
    last = 0
    for match in _ANGLE.finditer(text):
        parts.append(_emojize(unescape(text[last : match.start()])))
        parts.append(replace(match))
        last = match.end()
    parts.append(_emojize(unescape(text[last:])))
    result = "".join(parts)

    if removed:
        result = "\n".join(_SPACES.sub(" ", line).strip() for line in result.split("\n"))
    if "people" in removed:
        notices.append(
            "A post on X cannot mention people in Slack, so the @mentions were left out. "
            "Write the person's role instead (for example: our Year 4 teacher)."
        )
    if "channels" in removed:
        notices.append("Links to Slack channels mean nothing on X, so they were left out.")
    if "broadcasts" in removed:
        notices.append("@here, @channel and @everyone were left out: they only work in Slack.")
    return Converted(text=result.strip(), notices=tuple(notices))
