"""A post's text taken apart once for all the rules: words, sentences, hashtags, mentions, links.

Offsets are into the original text, so a rule can quote exactly what it found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from chatbot.domain.folding import fold

# X's own definitions, simplified: a handle is 1-15 word characters; a hashtag starts with a
# letter or digit run containing at least one letter.
_MENTION = re.compile(r"(?<![\w@/.])[@＠]([A-Za-z0-9_]{1,15})\b")
_HASHTAG = re.compile(r"(?<![\w#&/])[#＃](\w*[^\W\d_]\w*)")
# A word: letters, digits, inner apostrophes/hyphens/ampersands (don't, year-group, D&T).
_WORD = re.compile(r"[^\W_](?:[\w&]|['’\-](?=[^\W_]))*")
# Only these end a sentence for names: after "Star of the week:" or a list line, a capitalised
# Grace is a pupil, not a sentence's first word (missing a name is the costly mistake).
_SENTENCE_END = ".!?"
_EMOJI_MARKS = frozenset({"Mn", "Me", "Cf", "Sk"})
_OPENERS = "\"'“‘([{*-–—•· \t\r\n"
# CamelCase parts, accented letters included (#GoldenBookJosé, #WellDoneThảo): a capital and
# its small letters, a run of capitals, small letters, digits. Lu/Ll are listed from the Latin
# blocks (Vietnamese included) because `re` has no \p{Lu}.
_LATIN = [chr(c) for c in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
_UPPER = "A-Z" + re.escape("".join(c for c in _LATIN if unicodedata.category(c) == "Lu"))
_LOWER = "a-z" + re.escape("".join(c for c in _LATIN if unicodedata.category(c) == "Ll"))
_CAMEL = re.compile(rf"[{_UPPER}][{_LOWER}]+|[{_UPPER}]+(?![{_LOWER}])|[{_LOWER}]+|\d+")


_LEET = str.maketrans(
    {
        "1": "i",
        "3": "e",
        "0": "o",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
    }
)


def unleet(token: str) -> str:
    """sh1t -> shit, @rse -> arse: folded, with look-alike digits and symbols as letters.

    Only for tokens with a letter in them, so "Year 5" stays a number.
    """
    folded = fold(token)
    if not any(c.isalpha() for c in folded):
        return folded
    return folded.translate(_LEET)


# twitter-text's URL pattern takes quadratic time on long dotted runs ("s.s.s.s..." x 5,000 took
# minutes), so it only sees whitespace-free chunks that could hold a link, none longer than
# _URL_CHUNK_MAX, and at most _URL_BUDGET characters per text; beyond that, only links with a
# scheme (https://...) are recognised, by a plain pattern.
_URL_CHUNK = re.compile(r"\S+")
_MAYBE_URL = re.compile(r"\.[^\W\d_]|://")
_URL_CHUNK_MAX = 200
_URL_BUDGET = 2000
_SCHEME_URL = re.compile(r"https?://[^\s\"'<>]+[^\s\"'<>.,;:!?)\]]")


def find_urls(text: str) -> list[Span]:
    """Links as X sees them (twitter-text), with offsets into `text`."""
    spans: list[Span] = []
    budget = _URL_BUDGET
    for chunk in _URL_CHUNK.finditer(text):
        word, offset = chunk.group(), chunk.start()
        if not _MAYBE_URL.search(word):
            continue
        if len(word) > _URL_CHUNK_MAX or len(word) > budget:
            spans.extend(
                Span(m.group(), offset + m.start(), offset + m.end())
                for m in _SCHEME_URL.finditer(word)
            )
            continue
        budget -= len(word)
        # Imported on first use: twitter-text compiles large patterns (~150 ms), and most
        # posts have nothing that could be a link.
        from twitter_text import extract_urls_with_indices

        spans.extend(
            Span(u["url"], offset + u["indices"][0], offset + u["indices"][1])
            for u in extract_urls_with_indices(word)
        )
    return spans


def split_words(text: str) -> list[str]:
    """The words of a short text such as a name (Anne-Marie stays one word)."""
    return [m.group() for m in _WORD.finditer(text)]


def strip_possessive(word: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int
    sentence_start: bool = False  # the first word of a sentence (capital expected, not a name)
    in_hashtag: bool = False  # a part of a CamelCase hashtag

    @property
    def bare(self) -> str:
        """Without a possessive ending (Zoë's -> Zoë)."""
        return strip_possessive(self.text)


def excerpt(text: str, start: int, end: int, context: int = 30) -> str:
    """The match with a little text either side, on one line."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    # widen to whole words so the excerpt does not start mid-word
    while left > 0 and not text[left - 1].isspace() and start - left < context + 15:
        left -= 1
    while right < len(text) and not text[right].isspace() and right - end < context + 15:
        right += 1
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


class TextAnalysis:
    """Everything the rules read from one piece of text (a post, or a photo's alt text)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.urls: tuple[Span, ...] = tuple(find_urls(text))
        self.mentions: tuple[Span, ...] = tuple(
            Span(m.group(1), m.start(), m.end())
            for m in _MENTION.finditer(text)
            if not self._in_url(m.start())
        )
        self.hashtags: tuple[Span, ...] = tuple(
            Span(m.group(1), m.start(), m.end())
            for m in _HASHTAG.finditer(text)
            if not self._in_url(m.start())
        )
        # Prose: the text with links, handles and hashtags blanked out (offsets kept).
        chars = list(text)
        for span in (*self.urls, *self.mentions, *self.hashtags):
            chars[span.start : span.end] = " " * (span.end - span.start)
        self.prose = "".join(chars)
        self.words: tuple[Word, ...] = tuple(self._words())

    def _in_url(self, index: int) -> bool:
        return any(u.start <= index < u.end for u in self.urls)

    def _words(self) -> list[Word]:
        words: list[Word] = []
        for match in _WORD.finditer(self.prose):
            start = match.start()
            words.append(Word(match.group(), start, match.end(), self._starts_sentence(start)))
        return words

    def _starts_sentence(self, index: int) -> bool:
        i = index - 1
        text = self.text
        # openers, and what rides on an emoji (variation selectors, joiners, skin tones)
        while i >= 0 and (text[i] in _OPENERS or unicodedata.category(text[i]) in _EMOJI_MARKS):
            i -= 1
        if i < 0:
            return True
        if text[i] in _SENTENCE_END:
            return True
        # after an emoji (a post often opens with one) a new sentence may start
        return unicodedata.category(text[i]) == "So"

    @cached_property
    def hashtag_words(self) -> tuple[Word, ...]:
        """The parts of CamelCase hashtags (#WellDoneZoe -> Well, Done, Zoe), with offsets."""
        parts: list[Word] = []
        for tag in self.hashtags:
            body_start = tag.end - len(tag.text)
            for index, match in enumerate(_CAMEL.finditer(tag.text)):
                if match.group().isdigit():
                    continue
                parts.append(
                    Word(
                        match.group(),
                        body_start + match.start(),
                        body_start + match.end(),
                        sentence_start=index == 0,
                        in_hashtag=True,
                    )
                )
        return tuple(parts)

    @cached_property
    def hashtag_phrases(self) -> tuple[tuple[Span, str], ...]:
        """Each hashtag with its CamelCase parts as words (#WellDoneZoe -> "Well Done Zoe")."""
        out = []
        for tag in self.hashtags:
            parts = [w.text for w in self.hashtag_words if tag.start <= w.start < tag.end]
            out.append((tag, " ".join(parts)))
        return tuple(out)
