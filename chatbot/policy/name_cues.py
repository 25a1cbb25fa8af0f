"""Cues that weigh a name against what the rest of the post has said: whether words single out a
pupil strongly enough to ask about a name the post has already used for somebody else, kin of
somebody else ("Prophet Ibrahim and his son Ismail"), and the subject of a story ("the story of
Rama"). Like name_context, each test looks at word `i` of `words` (as written) and `keys`
(folded) and knows nothing of the register.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from chatbot.policy import name_classes as classes
from chatbot.policy import name_context as ctx
from chatbot.policy import name_sentences as sentences
from chatbot.policy import name_usage as usage
from chatbot.policy.name_class_words import class_length
from chatbot.policy.text import Word

_KIN = frozenset(
    {"son", "daughter", "sons", "daughters", "brother", "sister", "wife", "husband", "mother"}
    | {"father", "uncle", "aunt", "cousin", "grandson", "granddaughter", "nephew", "niece"}
    | {"twin", "baby", "child", "children", "servant", "friend", "companion", "disciple"}
)
_WHOSE = frozenset({"his", "her", "their"})
# "the story of Rama", "the life of Mary Seacole", "the birth of Jesus": a story's subject
_STORY = frozenset(
    {"story", "stories", "life", "lives", "legend", "legends", "tale", "tales", "birth"}
    | {"death", "adventures", "parable", "myth", "myths", "diary", "journeys", "reign"}
)


_A_LIFE = frozenset(
    {"life", "reign", "death", "birth", "childhood", "timeline", "legacy", "journey", "story"}
    | {"execution", "coronation", "wedding", "rule", "travels", "voyage", "inventions"}
)


def points_at_pupil(
    text: str,
    words: list[Word],
    keys: list[str],
    i: int,
    *,
    strong_only: bool = False,
    pronoun: bool = True,
) -> bool:
    """Words that single out a child here, even where the post has used the name for somebody
    else: praise, "our (own)", "Matilda, our...", "Grace's diary", "especially", "who", "in
    Year 4", what the child did or the part they played ("Alice was the Mad Hatter"), "he"/"she"
    later in the sentence (not with `pronoun` False: after "Michael Morpurgo", "Michael and
    his dog" is as likely his character)."""
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    after2 = keys[i + 2] if i + 2 < len(keys) else ""
    word = words[i]
    strong = (
        usage.pointed_at(keys, i)
        or before in {"our", "own"}
        or (after == "our" and ctx.gap(text, words, i, i + 1).strip() == ",")
        or classes.in_a_class(keys, i, text, words)
        or plays_a_part(keys, i, words, text)
        or classes.of_a_class(words, keys, i)
        or initial_follows(text, words, i)
        or usage.named_winner(keys, i, text, words)  # "Star of the week is Star"
        or classes.class_in_brackets(text, words, keys, i)  # "Marcus (5J) summed it up"
        # "Musa told us the story", "Ibrahim told the class": done here, so no character
        or (sentences.a_past(after) and after2 in {"us", "me", "everyone"})
        or (sentences.a_past(after) and keys[i + 2 : i + 4] in (["the", "class"], ["our", "class"]))
    )
    return strong or (
        not strong_only
        and (
            # "Grace's diary"; not "Mary's life" (the story of the someone else named)
            (
                word.bare != word.text
                and i + 1 < len(words)
                and words[i + 1].text.islower()
                and keys[i + 1] not in _A_LIFE
            )
            or sentences.action_follows(text, words, keys, i)
            or has_done(text, words, keys, i)  # "... n marcus has read 2 already"
            or (pronoun and sentences.personal_pronoun_follows(text, words, keys, i))
        )
    )


def initial_follows(text: str, words: list[Word], i: int) -> bool:
    """ "Ismail J read it": a surname's initial, as a school writes a child's name."""
    j = i + 1
    if j >= len(words) or not ctx.joined(text, words, i, j):
        return False
    initial = words[j].text.rstrip(".")
    if len(initial) != 1 or not initial.isupper() or initial in {"I", "A"}:
        return False
    rest = text[words[j].end : words[j].end + 2]
    return j + 1 == len(words) or not words[j + 1].text[:1].isupper() or rest[:1] in ".,"


# "Alice was the Mad Hatter", "Peter came as Paddington": a child playing a part
_BEING = frozenset({"was", "is", "came", "dressed", "played", "plays", "went"})
_AS = frozenset({"the", "a", "an", "as", "up"})


def cast_as(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "prince as James Watt", "Willow, as the Tiger Who Came to Tea": a part named right
    after the name (capitalised; "Leo as the sun set" is no part)."""
    if keys[i + 1 : i + 2] != ["as"] or i + 2 >= len(words):
        return False
    if not ctx.gap(text, words, i, i + 1).isspace():
        return False  # "Nancy's 'As Long As He Needs Me'": a song's title, no part
    j = i + 3 if keys[i + 2] in {"the", "a", "an"} else i + 2
    return j < len(words) and ctx.capitalised(words[j]) and not words[j].sentence_start


def plays_a_part(keys: list[str], i: int, words: list[Word] | None = None, text: str = "") -> bool:
    """ "Peter came as Paddington", "Alice was the Mad Hatter": with `words`, after "was" or
    "is" a capitalised part must follow ("Maryam is the only woman..." plays no part)."""
    if words is not None and cast_as(text, words, keys, i):
        return True
    if keys[max(0, i - 2) : i] == ["played", "by"]:
        return True  # "the Angel Gabriel is being played by… Gabriel!"
    if not (i + 2 < len(keys) and keys[i + 1] in _BEING and keys[i + 2] in _AS):
        return False
    if words is None or keys[i + 1] not in {"was", "is", "went"}:
        return True
    if keys[i + 3 : i + 4] and keys[i + 3] in _FIGURES:
        return False  # "Noah is the Prophet Nuh": who the figure is, no part played
    return any(ctx.capitalised(w) for w in words[i + 3 : i + 6])


_FIGURES = frozenset({"prophet", "angel", "archangel", "saint", "st", "king", "queen", "god"})


def kin_of_another(
    words: list[Word],
    keys: list[str],
    i: int,
    others: Collection[str],
    is_staff: Callable[[int], bool],
) -> bool:
    """ "Prophet Ibrahim and his son Ismail", "Henry VIII and his daughter Elizabeth": the kin of
    somebody the sentence has named as someone else is someone else too. Not the child of a
    member of staff ("Mrs Patel and her son Yusuf" may well be a pupil). And the other way
    round: "the Prophet Isa, son of Maryam"."""
    whose_kin = i >= 2 and keys[i - 1] in _KIN and keys[i - 2] in _WHOSE
    kin_of = i > 2 and keys[i - 1] == "of" and keys[i - 2] in _KIN
    if not (whose_kin or kin_of):
        return False
    for j in range(i - 3, -1, -1):
        if keys[j] in others and ctx.capitalised(words[j]) and not is_staff(j):
            return True
        if words[j].sentence_start:
            break
    return False


def story_of(keys: list[str], i: int) -> bool:
    return i > 1 and keys[i - 1] == "of" and keys[i - 2] in _STORY


# "the world's", "a summer's day", "our hope's": a word's possessive, not a child's
_DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "our", "your", "their", "his", "her"}
    | {"its", "my", "every", "each", "last", "next", "one", "some", "any", "no", "of", "in"}
)


def lower_case_person(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """A word-name written in lower case reads as a child (to ask about) when a possessive
    before a noun ("ruby's rocket") or what the child did ("jack scored twice") follows, and no
    determiner ("the", "a summer's day") makes it a word."""
    if i > 0 and keys[i - 1] in _DETERMINERS:
        return False
    if (
        i > 1
        and keys[i - 2] in _DETERMINERS
        and words[i - 1].text.islower()
        and ctx.joined(text, words, i - 2, i - 1)
        and ctx.joined(text, words, i - 1, i)
    ):
        return False  # "the old mason's mark": a describing word between
    word = words[i]
    possessive = (
        word.bare != word.text
        and i + 1 < len(words)
        and words[i + 1].text.islower()
        and ctx.joined(text, words, i, i + 1)
    )
    # "jack scored": a regular past or a person's irregular one, since a word-name is a noun too
    # ("honey tasting", "honey came second")
    nxt = keys[i + 1] if i + 1 < len(keys) else ""
    did = ((len(nxt) > 4 and nxt.endswith("ed")) or nxt in _DID) and ctx.joined(
        text, words, i, i + 1
    )
    did = did or has_done(text, words, keys, i)
    # "poppy read her story": a verb, then his or her; "star with her firework painting"
    # opening an alt text (elsewhere "honey with her tea" is tea)
    whose = (
        i + 2 < len(keys)
        and keys[i + 2] in {"his", "her"}
        and (
            nxt not in _NOT_A_NOUN
            or (nxt == "with" and (i == 0 or "\n" in ctx.gap(text, words, i - 1, i)))
        )
        and ctx.joined(text, words, i, i + 1)
    )
    acting = acts_as_a_person(text, words, keys, i)
    # "hazel came as the gruffalo", "sunny made a brilliant mr twit": a part played (not
    # "honey came a surprising second")
    after = keys[i + 2 : i + 4]
    part = (
        (nxt in {"came", "dressed", "went"} and after[:1] in (["as"], ["up"]))
        or (
            nxt in {"made", "played", "was", "is"}
            and after[:1] in (["a"], ["an"], ["the"])
            and after[1:] != []
            and after[1] in _PRAISING
        )
        # "jasper v convincing as a grumpy king", "ruby brilliant as the wolf"
        or (nxt in _PRAISING and after[:1] == ["as"])
        or (nxt in _VERY and after[:1] != [] and after[0] in _PRAISING and after[1:] == ["as"])
    )
    # "winner was blessing..., joy a very close second": a placing in a race or a results list
    n = i + 1
    while n < len(keys) and n <= i + 3 and keys[n] in {"a", "very", "close", "in", "was"}:
        n += 1
    starts_an_item = (
        i == 0
        or keys[i - 1] in ctx.AND
        or bool({",", ";", ":", "\n"} & set(ctx.gap(text, words, i - 1, i)))
    )
    ends_a_clause = (
        n + 1 >= len(words)
        or keys[n + 1] == "place"
        or bool(set(",.;:!?") & set(ctx.gap(text, words, n, n + 1)))
    )
    part = part or (
        starts_an_item and n > i + 1 and n < len(keys) and keys[n] in _PLACINGS and ends_a_clause
    )
    # "miracle didnt miss a single line": what a person did not do
    negated = nxt in _DID_NOT and ctx.joined(text, words, i, i + 1)
    # "king was the best defender", "the winner was noor!": said only of a person
    person = usage.person_predicate(text, words, keys, i, any_case=True) or usage.named_winner(
        keys, i, text, words
    )
    return (
        possessive
        or did
        or whose
        or acting
        or part
        or cast_as(text, words, keys, i)
        or negated
        or person
        or lower_case_initial(text, words, i)
    )


def has_done(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "jack has already built the tallest tower", "marcus has read 2": has or had, perhaps
    an adverb, then what was done (not a thing's state: "honey has crystallised")."""
    if keys[i + 1 : i + 2] not in (["has"], ["had"]) or not ctx.joined(text, words, i, i + 1):
        return False
    k = i + 3 if i + 3 < len(keys) and keys[i + 2] in _ALREADY else i + 2
    return k < len(keys) and sentences.a_past(keys[k]) and keys[k] not in _NOT_DONE


_PLACINGS = frozenset(
    {"second", "third", "fourth", "fifth", "2nd", "3rd", "4th", "5th", "runner", "runners"}
)
_VERY = frozenset({"v", "very", "so", "really", "super", "soooo", "sooo", "soo"})
_ALREADY = frozenset({"already", "just", "also", "finally", "now", "even", "really", "been"})
# after "has": a thing's state, not what a child did ("honey has crystallised" stays asked for)
_NOT_DONE = frozenset({"arrived", "started", "ended", "finished", "passed", "gone", "come"})
_DID_NOT = frozenset(
    {"didnt", "didn't", "didn’t", "couldnt", "couldn't", "couldn’t", "wasnt", "wasn't"}
    | {"wasn’t", "never", "wouldnt", "wouldn't", "wouldn’t"}
)


# "a brilliant mr twit", "a fantastic Joseph": praise for a part played
_PRAISING = frozenset(
    {"brilliant", "fantastic", "wonderful", "great", "fabulous", "amazing", "superb", "perfect"}
    | {"convincing", "scary", "fab", "marvellous", "terrific", "excellent", "lovely"}
)
# single letters that are words or signs, not a surname's initial: "rock n roll", "a", "i"
_NOT_INITIALS = frozenset({"a", "i", "n", "o", "x", "v", "e", "u", "r", "y", "b", "c"})


def lower_case_initial(text: str, words: list[Word], i: int) -> bool:
    """ "poppy h was right behind her", "grace s and jasmine": a name and a surname's initial,
    in lower case."""
    j = i + 1
    if j >= len(words) or not ctx.joined(text, words, i, j):
        return False
    initial = words[j].text
    if len(initial) != 1 or not initial.islower():
        return False
    if initial in _NOT_INITIALS:
        # "hope e and noor a helped", "mercy o in y5": a letter that is also a word is an
        # initial only before "and", a class or what the pair did
        after = [w.text.lower() for w in words[j + 1 : j + 4]]
        return bool(after) and (
            (after[0] in {"and", "&"} and ctx.joined(text, words, j, j + 1))
            or sentences.a_past(after[0])
            or class_length(after, 0) > 0
        )
    return j + 1 == len(words) or words[j + 1].text.islower()


# Irregular pasts that only a person does ("sunny found the biggest conker"); not "came" or
# "made", which a noun does too ("honey came second")
_DID = frozenset(
    {"found", "won", "ran", "sang", "wrote", "drew", "built", "caught", "swam", "threw"}
    | {"gave", "told", "brought", "taught", "spoke", "chose", "rode", "dug", "knew", "thought"}
    | {"said", "says", "asked", "shouted", "laughed", "cried", "smiled"}
)


# Words that follow a plural or start a clause, never the noun after a possessive
_NOT_A_NOUN = frozenset(
    {"and", "or", "nor", "were", "are", "have", "had", "all", "from", "at", "in", "on", "with"}
    | {"to", "of", "the", "a", "an", "as", "who", "came", "dressed", "was", "is", "will", "for"}
    | {"by", "that", "this", "these", "everywhere", "too", "also", "again", "here", "there"}
    | {"out", "up", "down", "off", "over", "into", "onto", "around", "away", "back", "together"}
)


def before_a_noun(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """The next word, on the same line, in lower case, may be a noun: "Stefans presentation"."""
    j = i + 1
    return (
        j < len(words)
        and ctx.joined(text, words, i, j)
        and words[j].text.islower()
        and keys[j] not in _NOT_A_NOUN
        and not keys[j].endswith(("ed", "ing", "ly"))
    )


def acts_as_a_person(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "violet showing off her red nose" (alt text), "june brought in her pet rabbit": what a
    person does, said of him or her."""
    return sentences.action_follows(text, words, keys, i) and sentences.personal_pronoun_follows(
        text, words, keys, i
    )
