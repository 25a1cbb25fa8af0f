"""Classes of a school, as posts write them after or before a child's name: "in Year 4",
"from Reception", "Y5", "(5J)", "from 2B", "Year 6's Ismail", and what a child put in a class
did ("will in yr1 built a tower"). A class singles out a child of the school.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from chatbot.policy import name_context as ctx
from chatbot.policy import name_sentences as sentences
from chatbot.policy.name_class_words import CLASS, class_length
from chatbot.policy.text import Word

# A class named by its year and a teacher's letter (5J, 2M, RB), as written in brackets
_LETTERED = re.compile(r"[1-6r][a-z]{1,2}|(?:y|yr|p|b)[1-7r][a-z]?")


def class_in_brackets(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Marcus (5J)", "Ivy (Y2)": a class in brackets right after the name."""
    j = i + 1
    return (
        j < len(words)
        and ctx.gap(text, words, i, j).strip() == "("
        and _LETTERED.fullmatch(keys[j]) is not None
        and text[words[j].end : words[j].end + 1] == ")"
    )


def of_a_class(words: list[Word], keys: list[str], i: int) -> bool:
    """ "Year 6's Ismail", "Reception's Maryam": a class's own child."""
    j = i - 1
    if j < 0 or words[j].bare == words[j].text:
        return False
    return keys[j] in CLASS or (j > 0 and keys[j - 1] in {"year", "yr"} and keys[j].isdigit())


def in_a_class(keys: list[str], i: int, text: str = "", words: list[Word] | None = None) -> bool:
    """ "Scarlet in Year 1", "Zac Y4": the words after a name put it in a class (with `text`
    and `words`, in the same sentence: "Success! Year 6 raised £400" puts nobody in a class)."""
    if (
        words is not None
        and i + 1 < len(words)
        and any(c in ".!?" for c in ctx.gap(text, words, i, i + 1))
    ):
        return False
    after = keys[i + 1] if i + 1 < len(keys) else ""
    after2 = keys[i + 2] if i + 2 < len(keys) else ""
    # ("Harry from 2B", "Matilda in 2K": a class with its teacher's letter; "in 3D" is a shape)
    lettered = (
        after in {"from", "in"}
        and _LETTERED.fullmatch(after2) is not None
        and not (after == "in" and after2.endswith("d"))
    )
    return after in CLASS or (after in {"in", "from"} and after2 in CLASS) or lettered


def a_class_given(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Joy in Year 2", "Joy (2B)", "Year 2's Joy": a class puts the name among the children."""
    return (
        in_a_class(keys, i, text, words)
        or class_in_brackets(text, words, keys, i)
        or of_a_class(words, keys, i)
    )


def did_in_a_class(keys: list[str], i: int, given: Collection[str], *, doing: bool = False) -> bool:
    """ "will in yr1 built a tower", "faith (y6) and joy (y5) ran the tuck shop": a name put in a
    class before what the child did (or what two did); a class alone may be the season's ("summer
    in year 6 is busy" reads on, so a verb must follow)."""
    size = class_length(keys, i + 1)
    if not size:
        return False
    k = i + 1 + size
    if k + 1 < len(keys) and keys[k] in {"and", "&"} and keys[k + 1] in given:
        k += 2 + class_length(keys, k + 2)
    # (with `doing`, what the child is doing: "jack y6 doing keepy ups" opening an alt text)
    return k < len(keys) and (
        sentences.a_past(keys[k])
        or keys[k] in {"were", "both", "have"}
        or (doing and len(keys[k]) >= 5 and keys[k].endswith("ing"))
    )
