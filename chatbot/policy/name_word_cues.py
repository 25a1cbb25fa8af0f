"""Cues that a pupil's name which is also a word (Ivy, Joy, King, Peace) means the child where
it stands: spoken to ("ivy you were brilliant"), having earned something, wearing something,
or added to the praised ("peace too!!"); and the cue that it is the word: a feeling that fills
a place ("joy filled the hall"). Each test looks at word `i`, as those in name_cues do.
"""

from __future__ import annotations

from chatbot.policy import name_context as ctx
from chatbot.policy import name_usage as usage
from chatbot.policy.text import Word

_ADDRESSED = frozenset({"were", "are", "was", "did", "smashed", "nailed", "rocked", "absolutely"})
_ADDRESSED |= {"really", "truly", "totally", "should", "deserve", "worked", "made", "showed"}


# Names that are also verbs taking "you" ("hope you are well", "will you", "trust you had")
_VERBS_BEFORE_YOU = frozenset(
    {"hope", "will", "may", "trust", "wish", "pray", "bet", "miss", "mark", "bless", "love"}
    | {"thank", "see", "help", "join", "meet", "let", "watch", "tell", "show", "promise"}
)


def spoken_to(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "ivy you were brilliant", "Ivy you are a star": a name spoken to at the start of a
    sentence, without the comma; never a verb's ("hope you are all well")."""
    return (
        words[i].sentence_start
        and keys[i] not in _VERBS_BEFORE_YOU
        and i + 2 < len(keys)
        and keys[i + 1] == "you"
        and keys[i + 2] in _ADDRESSED
        and ctx.joined(text, words, i, i + 1)
        and ctx.joined(text, words, i + 1, i + 2)
    )


# "Joy filled the hall", "Hope spread through the school": a feeling that fills a place
_FILLING = frozenset(
    {"filled", "fills", "spread", "spreads", "flowed", "echoed", "rang", "radiated", "swept"}
    | {"overflowed", "washed", "poured", "burst", "lit", "lights", "warmed"}
)


_PLACE_NEXT = frozenset({"the", "our", "every", "each", "through", "across", "around", "all"})


def a_feeling_fills(keys: list[str], i: int) -> bool:
    """A value or feeling (Joy, Hope, Peace) before what a feeling does to a place: the word,
    not a child ("Joy filled her bottle" is still read on)."""
    return (
        usage.abstract(keys[i])
        and i + 2 < len(keys)
        and keys[i + 1] in _FILLING
        and keys[i + 2] in _PLACE_NEXT
    )


# what a child earns or wins, never a season or month ("summer got a certificate"; not "summer
# got hotter", "June brought sunshine")
_EARNED = frozenset({"got", "won", "received", "earned", "scored", "achieved", "passed"})


_WHAT_IS_EARNED = frozenset({"a", "an", "her", "his", "their", "full", "top", "first", "every"}) | {
    "the", "star", "player", "pupil", "gold", "silver", "bronze", "best", "most", "second", "third"
}  # fmt: skip


def earned_something(keys: list[str], i: int) -> bool:
    return i + 2 < len(keys) and keys[i + 1] in _EARNED and keys[i + 2] in _WHAT_IS_EARNED


# "king in the number 9 shirt" (alt text): a name before what the child is wearing
_WORN = frozenset(
    {"shirt", "top", "jumper", "hoodie", "coat", "jacket", "dress", "hat", "cap", "costume"}
    | {"kit", "uniform", "glasses", "scarf", "wellies", "boots", "trainers", "apron", "goggles"}
    | {"helmet", "bib", "tabard", "onesie", "cardigan", "shorts", "skirt", "pyjamas", "hijab"}
)


_WEARERS = frozenset({"the", "a", "an", "his", "her", "their"})


def wearing(keys: list[str], i: int) -> bool:
    if keys[i + 1 : i + 2] != ["in"] or keys[i + 2 : i + 3] == [] or keys[i + 2] not in _WEARERS:
        return False  # "king in the castle" reads on: only what is worn counts
    return any(k in _WORN for k in keys[i + 3 : i + 7])


def also_named(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "... golden tickets for both 🎟️ peace too!!": a name on its own with "too", added to
    those just praised; never a word-name joined to a sentence ("with peace too")."""
    return (
        words[i].sentence_start
        and keys[i + 1 : i + 2] == ["too"]
        and ctx.joined(text, words, i, i + 1)
        and (i + 2 == len(words) or words[i + 2].sentence_start)
    )


# An alt text opening "Willow at the easel", "Dexter on the climbing frame": who is shown, and
# where; "Holly on the door" may be the plant, so the engine asks
_WHERE = frozenset({"at", "on", "in", "by", "under", "behind", "beside", "inside", "near", "with"})
_WHOSE = frozenset({"the", "a", "an", "her", "his", "their", "our", "its", "one"})


def shown_somewhere(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """The word opens an alt text and is placed somewhere: the photo's subject."""
    return (
        i == 0
        and i + 2 < len(keys)
        and keys[i + 1] in _WHERE
        and keys[i + 2] in _WHOSE
        and ctx.joined(text, words, i, i + 1)
        and ctx.joined(text, words, i + 1, i + 2)
    )


def names_a_team(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "and Blue team, the cup is yours", "Red house won": a colour or word naming a team (not
    "Hope's team won": a child's)."""
    return _right_before(text, words, i) and keys[i + 1 : i + 2] in (["team"], ["house"])


def thanks_given(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Major thanks to the Y6 bakers": the word says how big (not "Well done Grace, thanks
    to you...")."""
    return _right_before(text, words, i) and keys[i + 1 : i + 3] == ["thanks", "to"]


def _right_before(text: str, words: list[Word], i: int) -> bool:
    """Word i is no possessive and only a space stands before the next word."""
    return (
        i + 1 < len(words)
        and words[i].bare == words[i].text
        and text[words[i].end : words[i + 1].start].isspace()
    )
