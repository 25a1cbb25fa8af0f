"""How a class is written: "Year 4", "Y5", "yr1", "P6", "B2" (Welsh), "Reception", "Derbyn",
"KS2". The lowest of the name modules, so that every reading of context can ask it."""

from __future__ import annotations

import re

# "in Year 4", "from Reception", "Y5": a class, so a child of the school
# Scottish primaries count P1 (Reception's age) to P7
CLASS = frozenset(
    {"year", "yr", "class", "reception", "rec", "nursery", "y1", "y2", "y3", "y4", "y5", "y6"}
    | {"p1", "p2", "p3", "p4", "p5", "p6", "p7"}
    | {"b1", "b2", "b3", "b4", "b5", "b6", "derbyn"}  # Welsh: Blwyddyn 1, Derbyn (Reception)
)

# "in yr1", "(y6)", "in year 5", "from reception": a class written the terse way
_CLASS_TOKEN = re.compile(r"(?:y|yr|year)[1-6r]|[pb][1-7]|rec|reception|nursery|derbyn|ks[12]")


_CLASS_WORD = frozenset({"year", "yr", "y", "class"})


_CLASS_NUMBER = re.compile(r"[1-6r]|[1-6][a-z]?")


def a_class_token(key: str) -> bool:
    """One word that is a class: "y2", "p6", "reception"."""
    return _CLASS_TOKEN.fullmatch(key) is not None


def class_length(keys: list[str], j: int) -> int:
    """How many words from j make a class ("in yr1", "y6", "year 5"); 0 if none."""
    n = j + 1 if j < len(keys) and keys[j] in {"in", "from"} else j
    if n < len(keys) and _CLASS_TOKEN.fullmatch(keys[n]):
        return n + 1 - j
    if n + 1 < len(keys) and keys[n] in _CLASS_WORD and _CLASS_NUMBER.fullmatch(keys[n + 1]):
        return n + 2 - j
    return 0
