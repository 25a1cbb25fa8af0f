"""Cues from the rest of a name's sentence: dates, adverbs and actions after it, season
possessives, a line of its own, wishes and questions, pronouns that follow."""

from __future__ import annotations

import re

from chatbot.policy.name_class_words import class_length
from chatbot.policy.name_context import joined
from chatbot.policy.name_usage import (
    _DATE_WORDS,
    _DAY_NUMBER,
    _NOT_DOING,
    _PAST,
    _PERSONAL,
    _REQUEST,
    _SEASONAL,
    _SENTENCE_END,
)
from chatbot.policy.text import Word

# a date written short ("back Mon 2 Nov"), where a name (Môn) would be no pupil's
_SHORT_DAYS = frozenset({"mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri"})
_SHORT_MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept"})
_SHORT_MONTHS |= {"oct", "nov", "dec"}
_NUMBERED = [[k] for k in ("class", "year", "yr", "group", "table", "room", "team", "house")]


def in_a_short_date(words: list[Word], keys: list[str], i: int) -> bool:
    """ "back Mon 2 Nov", "on 5 Jan", "Mon–Wed": a weekday before a day number or beside
    another, a month after a day number."""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    before = keys[i - 1] if i > 0 else ""
    if not words[i].text.isascii() or keys[max(0, i - 2) : max(0, i - 1)] in _NUMBERED:
        return False  # "Môn 2, Cai 1" (a weekday has no accent), "Star of the Week, Class 4: Jun"
    return (
        (keys[i] in _SHORT_DAYS and _DAY_NUMBER.fullmatch(after) is not None)
        or (keys[i] in _SHORT_MONTHS and _DAY_NUMBER.fullmatch(before) is not None)
        # "pick-up is 11:45 Mon–Wed": a run of days
        or (keys[i] in _SHORT_DAYS and (after in _SHORT_DAYS or before in _SHORT_DAYS))
    )


def in_a_date(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    return (
        before in _DATE_WORDS
        or after in _SEASONAL
        or _DAY_NUMBER.fullmatch(before) is not None
        or _DAY_NUMBER.fullmatch(after) is not None
    )


# "Aurora even taught...", "Noah also scored": a word that may stand between a name and what
# the child did
_ADVERBS = frozenset(
    {"even", "also", "then", "just", "really", "always", "proudly", "bravely", "carefully"}
    | {"confidently", "independently", "happily", "kindly", "quickly", "beautifully", "both"}
    | {"finally", "expertly", "patiently", "calmly", "politely", "quietly", "swiftly"}
)


# words in -ly that are no adverb
_NOT_ADVERBS = frozenset(
    {"family", "early", "only", "lily", "holly", "jolly", "belly", "jelly", "rally", "ally"}
    | {"italy", "july", "sally", "daily", "weekly", "monthly", "yearly", "friendly", "lovely"}
    | {"silly", "ugly", "bully", "fly", "reply", "supply", "apply", "curly", "woolly", "molly"}
)


def _an_adverb(key: str) -> bool:
    """ "even", "also", or a word in -ly: "Joy absolutely smashed it"."""
    return key in _ADVERBS or (len(key) > 5 and key.endswith("ly") and key not in _NOT_ADVERBS)


def a_past(key: str) -> bool:
    """What somebody did: "built", "ran", "helped"."""
    return key in _PAST or (len(key) > 4 and key.endswith("ed"))


def action_follows(
    text: str,
    words: list[Word],
    keys: list[str],
    i: int,
    *,
    adverb: bool = True,
    doing: bool = True,
) -> bool:
    """What the child did or is doing follows the name, perhaps after an adverb (not with
    `adverb` False: "Summer finally arrived" is the season). With `doing` False only what was
    done counts: "Berry picking at the allotment" is as likely an activity as a child."""
    j = i + 1
    if j >= len(words) or not text[words[i].end : words[j].start].isspace():
        return False
    if adverb and _an_adverb(keys[j]) and j + 1 < len(words) and joined(text, words, j, j + 1):
        j += 1
    if j + 1 < len(words) and text[words[j].end : words[j + 1].start] == "-":
        j += 1  # "Ben top-scored with 24": the verb is the compound's last part
    key = keys[j]
    if key.endswith("ing") and keys[j + 1 : j + 2] and keys[j + 1] in _EVENT_HEADS:
        return False  # "Gift wrapping station", "Star gazing evening": a thing's activity
    endings = ("ed", "ing") if doing else ("ed",)
    return key in _PAST or (len(key) > 4 and key.endswith(endings) and key not in _NOT_DOING)


# After "<word> <-ing>", these make the two an activity's name, not what a child is doing
_EVENT_HEADS = frozenset(
    {"station", "stall", "session", "sessions", "evening", "morning", "afternoon", "day"}
    | {"club", "competition", "contest", "workshop", "workshops", "activity", "activities"}
    | {"event", "party", "challenge", "display", "lesson", "lessons", "trip", "walk", "table"}
    | {"corner", "area", "zone", "fair", "week", "tips", "skills", "demonstration", "demo"}
    | {"kit", "kits", "time", "season", "stand", "tent", "booth", "experience", "extravaganza"}
)


# After "Summer's" these make the 's a verb ("Summer's here", "Autumn's arrived") or the
# possessive a season's own ("Autumn's colours"): the season, not a pupil called Summer.
_SEASON_CONTRACTED = frozenset(
    {"here", "there", "back", "over", "gone", "been", "come", "coming", "nearly", "almost"}
    | {"finally", "just", "really", "so", "very", "not", "a", "an", "the", "in", "on", "upon"}
    | {"definitely", "officially", "well", "truly", "still", "always", "our", "my", "arrived"}
    | {"about", "around", "near", "nearly", "due", "sure", "hot", "cold", "warm", "wet"}
)
_SEASONS_OWN = frozenset(
    {"colours", "colors", "leaves", "weather", "sun", "sunshine", "heat", "warmth", "harvest"}
    | {"end", "start", "arrival", "beauty", "glory", "light", "days", "day", "evenings", "nights"}
    | {"chill", "frost", "storms", "rain", "first", "bounty", "fruits", "treasures", "flowers"}
    | {"blossom", "snow", "wind", "winds", "gifts", "splendour", "magic", "return", "last"}
    | {"bank", "half", "term", "holiday", "holidays", "festival", "fair", "sky", "skies"}
)

# What a child makes that ends in -ing ("Summer's painting"), unlike "Summer's coming"
_WORK_IN_ING = frozenset(
    {"painting", "drawing", "writing", "handwriting", "building", "reading", "singing"}
    | {"baking", "knitting", "sewing", "weaving", "recording", "sketching", "carving"}
)


def contracted(key: str) -> bool:
    """After a name's 's, a word that makes the 's "is" or "has": "Hope's a wonderful thing"."""
    return key in _SEASON_CONTRACTED


def season_possessive(text: str, words: list[Word], keys: list[str], i: int) -> bool | None:
    """A month or season's name with 's before a lower-case word: True for a child's thing
    ("Summer's volcano"), False for the season ("Summer's here", "Autumn's colours"), None
    when no lower-case word follows."""
    word = words[i]
    if word.bare == word.text or i + 1 >= len(words) or not joined(text, words, i, i + 1):
        return None
    if not words[i + 1].text.islower():
        return None
    nxt = keys[i + 1]
    if nxt in _SEASON_CONTRACTED or nxt in _SEASONS_OWN or nxt.endswith(("ed", "ly")):
        return False
    return not nxt.endswith("ing") or nxt in _WORK_IN_ING  # "Summer's coming" / "painting"


def alone_on_its_line(text: str, word: Word) -> bool:
    """A list of names, one a line ("Stars of the week:\nGrace P\nWill"); an initial may follow."""
    line_start = text.rfind("\n", 0, word.start) + 1
    line_end = text.find("\n", word.end)
    before = text[line_start : word.start]
    after = text[word.start + len(word.bare) : len(text) if line_end < 0 else line_end]
    if any(c.isalnum() for c in before):
        return False
    rest = after.removeprefix("'s").removeprefix("’s").strip()
    if rest[:1].isupper() and (len(rest) == 1 or not rest[1].isalnum()):
        rest = rest[1:]  # "Grace P" or "Grace P."
    return not any(c.isalnum() for c in rest)


def opens_a_wish_or_question(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "May the ribbons not get tangled", "Will you join us?": a word-name that is also a verb
    (may, will), right before a pronoun or determiner."""
    if keys[i] not in {"may", "will"} or i + 1 >= len(keys) or not joined(text, words, i, i + 1):
        return False
    if keys[i + 1] in _REQUEST:
        return True
    # "Will Y2 parents pls make sure...": a class's families asked
    j = i + 1 + class_length(keys, i + 1)
    if j > i + 1 and keys[j : j + 1] and keys[j] in _REQUEST:
        return True
    # "Will Edmund give in to the White Witch?": a question about somebody named after it
    end = _A_SENTENCE_END.search(text, words[i + 1].end)
    return (
        words[i].sentence_start
        and words[i + 1].text[:1].isupper()
        and end is not None
        and end.group() == "?"
    )


_A_SENTENCE_END = re.compile(r"[.!?\n]")


def a_sentence_of_its_own(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Bear. Remembered every single line": the name a sentence of its own, and the next
    sentence what the child did, its subject left out."""
    j = i + 1
    if not words[i].sentence_start or j >= len(words) or not words[j].sentence_start:
        return False
    gap = text[words[i].end : words[j].start]
    return (
        words[i].bare == words[i].text
        and gap.strip()[:1] in {".", "!"}
        and words[j].text[:1].isupper()
        and a_past(keys[j])
    )


def personal_pronoun_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """The sentence is about a person: "Grace has worked hard on her handwriting"."""
    if i + 1 < len(keys) and keys[i + 1] in _REQUEST:
        return False
    for j in range(i + 1, len(words)):
        if any(c in _SENTENCE_END for c in text[words[j - 1].end : words[j].start]):
            return False
        if keys[j] in _PERSONAL:
            return True
    return False
