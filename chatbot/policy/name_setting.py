"""What the sentence around a name is about: a work (a book, a song), a place, a film, long ago,
a name being given, and quoted titles. Each test looks at word `i`, as those in name_context do."""

from __future__ import annotations

import re
from collections.abc import Callable

from chatbot.policy.name_context import (
    _IS,
    _PLACE_NOUNS,
    _READ,
    _SMALL,
    _WORKS,
    capitalised,
    gap,
    joined,
)
from chatbot.policy.text import Word


def a_work(
    text: str, words: list[Word], keys: list[str], i: int, is_word: Callable[[str], bool]
) -> bool:
    """A title, not a pupil: "Matilda is our class novel", "Year 1 read Peace at Last" (a
    Title Case run after "read" whose capitalised words include an ordinary word)."""
    sentence = sentence_of(words, i)
    if (
        i + 2 < sentence.stop
        and keys[i + 1] in _IS
        and any(keys[n] in _WORKS for n in range(i + 2, min(i + 6, sentence.stop)))
        and keys[i + 2] in {"our", "the", "a", "this", "be", "my", "their", "your"}
    ):
        return True
    # "read The Happy Prince": the name ends a Title Case run that follows "read"
    start = i
    while (
        start > 0
        and i - start < 4
        and capitalised(words[start - 1])
        and not words[start].sentence_start
        and joined(text, words, start - 1, start)
    ):
        start -= 1
    if (
        start < i
        and start > 0
        and keys[start - 1] in _READ
        and joined(text, words, start - 1, start)
        and any(is_word(words[n].bare) for n in range(start, i))
    ):
        return True
    if i == 0 or keys[i - 1] not in _READ or not joined(text, words, i - 1, i):
        return False
    n = i + 1
    while n < sentence.stop and n - i <= 4 and joined(text, words, n - 1, n):
        if keys[n] in _SMALL and words[n].text.islower():
            n += 1
            continue
        return capitalised(words[n]) and is_word(words[n].bare)
    return False


def sentence_of(words: list[Word], i: int) -> range:
    """The positions of the words in word i's sentence."""
    start = i
    while start > 0 and not words[start].sentence_start:
        start -= 1
    end = i + 1
    while end < len(words) and not words[end].sentence_start:
        end += 1
    return range(start, end)


def about_a_place(keys: list[str], sentence: range) -> bool:
    return any(keys[n] in _PLACE_NOUNS for n in sentence)


def quoted_positions(text: str, words: list[Word]) -> set[int]:
    """Words inside a short quotation that opens with a capital: a title ("Matilda", “The
    Iron Man”), not a pupil."""
    positions: set[int] = set()
    for pattern in _QUOTED:
        for match in pattern.finditer(text):
            inner = match.group(1)
            if not inner[:1].isupper() or len(inner.split()) > 10:
                continue
            start, end = match.start(1), match.end(1)
            positions.update(n for n, w in enumerate(words) if start <= w.start < end)
    return positions


# “…”, "…", ‘…’ and '…' (a straight quote opens after no letter and closes before none, so
# the apostrophes of "Year 5's" and "don't" never open or close one)
_QUOTED = (
    re.compile(r"“([^”\n]{1,120})”"),
    re.compile(r'"([^"\n]{1,120})"'),
    re.compile(r"‘([^’\n]{1,120})’(?!\w)"),
    re.compile(r"(?<![\w'])'([^'\n]{1,120}?)'(?!\w)"),
)


_INDEFINITE = frozenset({"a", "an", "every", "any", "each"})
_CLAUSE_BREAKS = frozenset({"and", "but", "that", "so", "while", "whereas", "or"})


def a_name_given(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "In Akan, a boy born on Saturday is Kwame", "a girl called Afua": a name said of any
    child of a kind is the name itself, not a pupil ("our star of the week is Kwame" is)."""
    if i < 2 or not joined(text, words, i - 1, i):
        return False
    verb = keys[i - 1]
    if verb in {"called", "named"}:
        # "a boy called Kwame", "a little girl named Afua"
        return any(
            keys[j] in _INDEFINITE and all(words[n].text.islower() for n in range(j, i - 1))
            for j in (i - 3, i - 4)
            if j >= 0
        )
    if verb not in {"is", "was"}:
        return False
    j = i - 2
    while j > 0 and i - j < 10 and not words[j].sentence_start:
        if keys[j - 1] in _CLAUSE_BREAKS or gap(text, words, j - 1, j).strip(" \"'“”"):
            break
        j -= 1
    return keys[j] in _INDEFINITE and j < i - 2


def long_ago(words: list[Word], keys: list[str], i: int) -> bool:
    """Word i's sentence gives a year before any primary pupil was born ("in 1996")."""
    return any(
        len(keys[n]) == 4 and keys[n].isdigit() and 1000 <= int(keys[n]) < 2010
        for n in sentence_of(words, i)
    )


# Words that say a sentence speaks of a film
_FILM = frozenset(
    {"film", "films", "movie", "movies", "cinema", "screen", "popcorn", "pixar", "disney"}
    | {"trailer", "dvd", "soundtrack", "dreamworks"}
)


def about_a_film(keys: list[str], i: int) -> bool:
    """A film word near word i (an emoji may part a sentence: "Luca 🌊 on the big screen")."""
    return any(k in _FILM for k in keys[max(0, i - 8) : i + 9])
