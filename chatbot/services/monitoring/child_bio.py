"""Does a bio read as a child's, perhaps a child of this school?

What SLT want to see: a pupil (or any under-13) following the school or a member of staff. What
they do not want: every parent and teacher who mentions a year group. So:

- A stated age under 13 about the writer ("I'm 11", "10 yrs old", "age 9") flags, but not an age
  about someone else ("mum of a 10 year old", "my 9yo", "children aged 7-11").
- A year group (Year 5, Y5, Yr 5, Reception) flags unless the bio reads as an adult's: parent,
  teacher, governor and the like ("mum of two, Year 6 teacher" is a member of staff, not a pupil).
- The school's name alone never flags (parents and old pupils follow the school), but it is
  shown with a year group, because "Year 5 at Hunts Cross" is the strongest hint there is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatbot.domain.folding import fold

YOUNGEST, OLDEST = 4, 12
_NUMBER_WORDS = {
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_N = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
# What may follow "I'm 11" for it to be an age: the end, punctuation, "years", "and"...
_AGE_TAIL = r"(?=\s*(?:$|[^\w\s]|y(?:ea)?rs?[\s-]*old\b|y/?o\b|and\b|but\b|so\b|from\b|going\b))"
_SELF_AGE = re.compile(
    r"\b(?:i'?m|i\s+am)\s+(?:only\s+|just\s+|nearly\s+|almost\s+)?" + _N + _AGE_TAIL
)
_YEARS_OLD = re.compile(
    r"(?<![\w/-])" + _N + r"\s*-?\s*(?:y(?:ea)?rs?[\s-]*old|y/?o|y\.o\.?)(?!\w)"
)
_AGED = re.compile(r"\bage[d]?\s*:?\s*" + _N + r"(?!\s*(?:-|–|to|and|&|\+|/)\s*\d)(?!\w)")
_YEAR_GROUP = re.compile(r"\b(?:year|yr|y)\s?([1-6])\b|\b(reception)\b")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words before an age that make it someone else's ("mum of a 10 year old", "my 9yo").
_OTHERS = _word_set(
    "my our his her their a an of to with for two three four both son sons daughter daughters "
    "kids children boys girls twins grandchildren grandson granddaughter pupils students "
    "learners class"
)
_ADULT = _word_set(
    "mum mom mummy mam mother dad daddy father parent parents grandma grandmother grandad "
    "grandpa grandparent nan nana nanna teacher teachers teaching teach headteacher deputy "
    "governor governors senco staff educator tutor coordinator leader lead phase wife "
    "husband married nurse trustee pta chair ect nqt retired"
)
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True, slots=True)
class ChildSignal:
    evidence: str  # the words that triggered it, short enough for the card


class ChildBioDetector:
    def __init__(self, school_name: str, account: str) -> None:
        generic = {"primary", "school", "junior", "infant", "infants", "academy", "the", "of"}
        core = [w for w in _WORD.findall(fold(school_name)) if w not in generic]
        patterns = []
        if core:
            patterns.append(r"\b" + r"[\s-]*".join(re.escape(w) for w in core) + r"\b")
        if account:
            patterns.append(r"@?\b" + re.escape(fold(account.removeprefix("@"))) + r"\b")
        self._school = re.compile("|".join(patterns)) if patterns else None

    def check(self, bio: str) -> ChildSignal | None:
        if not bio:
            return None
        text = fold(bio)
        if age := _stated_age(text):
            return ChildSignal(age)
        group = _YEAR_GROUP.search(text)
        if group is None or _reads_adult(text):
            return None
        evidence = group.group(0)
        if self._school is not None and (school := self._school.search(text)):
            evidence = f"{evidence} · {school.group(0)}"
        return ChildSignal(evidence)


def _age(token: str) -> int:
    return _NUMBER_WORDS[token] if token in _NUMBER_WORDS else int(token)


def _stated_age(text: str) -> str | None:
    for match in _SELF_AGE.finditer(text):
        if YOUNGEST <= _age(match.group(1)) <= OLDEST:
            return match.group(0).strip()
    for pattern in (_YEARS_OLD, _AGED):
        for match in pattern.finditer(text):
            if not YOUNGEST <= _age(match.group(1)) <= OLDEST:
                continue
            before = _WORD.findall(text[max(0, match.start() - 30) : match.start()])[-2:]
            if _OTHERS.intersection(before):
                continue
            return match.group(0).strip()
    return None


def _reads_adult(text: str) -> bool:
    return not _ADULT.isdisjoint(_WORD.findall(text))
