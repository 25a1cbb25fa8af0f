"""What a capitalised word after a first name says: Marcus Rashford, Poppy Appeal and Summer
Fair name somebody or something else where no pupil of that first name has the surname; so do
two first names before one surname no pupil has (George and Richard Cadbury)."""

from __future__ import annotations

from collections.abc import Collection

from chatbot.policy.name_context import _NOT_SURNAMES, capitalised, joined
from chatbot.policy.text import Word


def other_surname(
    text: str,
    words: list[Word],
    keys: list[str],
    i: int,
    *,
    surnames: frozenset[str],
    given: frozenset[str],
    is_word: bool,
) -> bool:
    """The name is followed by a capitalised word that no pupil of that first name has as a
    surname: Marcus Rashford, Florence Nightingale, Poppy Appeal, Summer Fair. A pupil's given
    name next ("Ava Leo and Mia"), an initial ("Ava S") or "Year 4" does not count. In a
    CamelCase hashtag the next part must not be an ordinary word (#TeamAvaRocks names Ava).
    `is_word`: the next word is an ordinary English word."""
    j = i + 1
    if j >= len(words) or words[j].sentence_start:
        return False
    if words[i].in_hashtag != words[j].in_hashtag:
        return False
    if not words[i].in_hashtag and not joined(text, words, i, j):
        return False
    if words[i].text != words[i].bare:
        return False  # a possessive: "Ava's Art" is possessive_title's business
    nxt = words[j]
    key = keys[j]
    if len(nxt.bare) < 2 or not nxt.bare[:1].isupper() or key in _NOT_SURNAMES:
        return False
    if key in surnames or key in given:
        return False
    return not (words[i].in_hashtag and is_word)


def a_shared_surname(
    text: str,
    words: list[Word],
    keys: list[str],
    i: int,
    *,
    surnames: frozenset[str],
    given: Collection[str],
) -> bool:
    """ "George and Richard Cadbury": two first names before one surname that no pupil has,
    so the first is of that family too (not "Diya and Mrs Bains"). `surnames`: every pupil's;
    `given`: the first names known."""
    j = i + 2
    if j + 1 >= len(words) or keys[i + 1] != "and" or words[i].bare != words[i].text:
        return False
    if not all(joined(text, words, n, n + 1) for n in (i, i + 1, j)):
        return False
    last = words[j + 1]
    return (
        capitalised(words[j])
        and keys[j] in given
        and capitalised(last)
        and len(last.bare) > 1
        and not last.sentence_start
        and keys[j + 1] not in surnames
        and keys[j + 1] not in _NOT_SURNAMES
    )
