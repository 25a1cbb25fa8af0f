"""Whether a word that is also a name (Grace, Summer, Will, May) is used as a name where it stands:
dates, streets, sentence starts, praise. Each test looks at word `i`, as those in name_context do.
"""

from __future__ import annotations

import re

from chatbot.policy.name_context import capitalised, gap, joined
from chatbot.policy.text import Word

# At a sentence start, an ordinary-word name (Grace) counts when the sentence is about a person.
_PERSONAL = frozenset({"he", "she", "his", "her", "him", "hers", "himself", "herself"})
# ...unless it opens a question or a request: "Will parents please check his or her bag?"
_REQUEST = frozenset({"i", "you", "we", "they", "it", "the", "our", "your", "their", "all"})
_REQUEST |= {"parents", "carers", "families", "everyone", "children", "pupils", "staff"}
_SENTENCE_END = ".!?\n"
# A month or season that is also a name (May, June, Summer) is a time of year after these
# words, before the second set ("Summer term", "Autumn fair") or next to a number.
_DATE_WORDS = frozenset(
    {"in", "of", "during", "until", "till", "since", "from", "by", "this", "next", "last"}
    | {"early", "late", "mid", "end", "before", "after", "through", "throughout"}
)
_SEASONAL = frozenset(
    {"term", "terms", "half", "holiday", "holidays", "break", "fair", "fayre", "fete"}
    | {"fête", "concert", "festival", "camp", "reading", "show", "disco", "sports"}
)
# A name right before one of these (capitalised) is a place, not a pupil: Hope Street; William
# Brown Street is a street in Liverpool, not the pupil William Brown.
_DAY_NUMBER = re.compile(r"\d{1,4}(?:st|nd|rd|th)?")
# "Summer won", "Will scoring a goal" (alt text): a name followed by what the pupil did or is
# doing (a word in -ed or -ing, or these), but not these words in -ing ("Will everything...").
_PAST = frozenset(
    {"won", "ran", "sang", "wrote", "drew", "made", "came", "took", "got", "did", "gave", "read"}
    | {"spent", "built", "brought", "taught", "led", "found", "caught", "told", "swam", "threw"}
    | {"knew", "grew", "flew", "sold", "kept", "left", "lost", "met", "paid", "said", "sent"}
    | {"ate", "wore", "sat", "stood", "held", "hid", "rode", "chose", "drove", "fell", "felt"}
    | {"fought", "bought", "thought", "heard", "meant", "slept", "spoke", "stole", "woke"}
    | {"began", "broke", "dug", "drank", "forgot", "hung", "lit", "shot", "shook", "sank"}
    | {"spun", "struck", "swung", "tore", "understood", "won", "became", "beat", "bent"}
    | {"hit", "cut", "put", "went", "saw", "rang", "shone", "swept", "blew", "sprang"}
    | {"laid", "fed", "knelt", "leapt", "crept", "wept", "froze", "dealt", "lent", "spelt"}
    | {"learnt", "burnt", "dreamt", "overtook", "overcame", "forgave", "withdrew", "sped"}
    | {"slid", "flung", "clung", "strode", "fled", "swore"}
)
_NOT_DOING = frozenset(
    {"everything", "anything", "something", "nothing", "morning", "evening", "during", "spring"}
    | {"string", "thing", "things", "king", "ring", "bring", "sing", "swing", "sting", "wing"}
    | {"wedding", "pudding", "building", "ceiling", "darling", "clothing", "icing", "stuffing"}
    | {"dumpling", "lightning", "duckling", "sibling", "sterling"}
)


def split_hyphens(words: list[Word]) -> list[Word]:
    """Amelia-Rose and Thompson-Hughes as two words each, as names are indexed."""
    out: list[Word] = []
    for word in words:
        if "-" not in word.text:
            out.append(word)
            continue
        start = word.start
        for n, part in enumerate(word.text.split("-")):
            if part:
                first = n == 0
                out.append(
                    Word(
                        part,
                        start,
                        start + len(part),
                        word.sentence_start and first,
                        word.in_hashtag,
                    )
                )
            start += len(part) + 1
    return out


# "Ar-Rayyan", "Al-Aqsa", "As-Salam": the Arabic article joined to a word makes a name of God,
# a place or a title of it, not a child (a pupil's full name, Omar Al-Hassan, is still matched)
_ARTICLES = frozenset({"al", "ar", "as", "an", "ad", "at", "ash", "az", "ath", "adh", "el"})


def after_an_article(text: str, words: list[Word], keys: list[str]) -> set[int]:
    return {
        i
        for i in range(1, len(words))
        if keys[i - 1] in _ARTICLES and text[words[i - 1].end : words[i].start] == "-"
    }


# After a word-name at a sentence start, these say a person may be meant ("Frank was...").
_SUBJECT_VERBS = frozenset({"was", "had", "has", "did", "loved", "enjoyed", "always", "never"})
# ...and these, or "is our...", where the name is no abstract noun (a school value: "Hope is our
# value this term", "Faith plays a big part") and no verb itself (Will, May)
_PRESENT = frozenset(
    {"can", "loves", "enjoys", "likes", "helps", "sings", "plays", "reads", "writes", "draws"}
    | {"wants", "says", "thinks", "knows", "brings", "teaches", "tries", "gets", "goes", "comes"}
    | {"makes", "takes"}
)
_IS_A_PERSON = frozenset({"our", "now", "always", "so", "very", "really", "learning", "going"})
_VALUES = frozenset(
    {"hope", "faith", "joy", "grace", "peace", "love", "patience", "mercy", "charity", "trust"}
    | {"honesty", "courage", "respect", "wisdom", "justice", "truth", "unity", "harmony"}
    | {"destiny", "blessing", "comfort", "goodness", "favour", "purity", "kindness", "success"}
    | {"praise", "glory", "liberty", "serenity", "prosperity", "promise", "will", "may"}
)


def abstract(key: str) -> bool:
    """A value or virtue (Hope, Faith, Joy) that is an abstract noun more often than a name."""
    return key in _VALUES and key not in {"will", "may"}


def values_pair(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "faith and hope guided them", "hope and joy filled the hall": two values joined by
    "and" or "or" are the values, whatever follows."""
    if not abstract(keys[i]):
        return False
    pairs = []
    if i > 1 and keys[i - 1] in {"and", "or", "&"}:
        pairs.append(i - 2)
    if i + 2 < len(keys) and keys[i + 1] in {"and", "or", "&"}:
        pairs.append(i + 2)
    return any(abstract(keys[j]) and words[j].text.islower() for j in pairs)


# Praise before a name: "well done grace", "congratulations to will"
PRAISE_BEFORE = (
    ("well", "done"),
    ("congratulations",),
    ("congrats",),
    ("thank", "you"),
    ("thank", "u"),
    ("thanks",),
    ("ty",),  # typed on a phone: "ty simran for helping"
    ("thx",),
    ("tysm",),
    ("thankyou",),
    ("happy", "birthday"),
    ("hbd",),
    ("good", "luck"),
    ("proud", "of"),
    ("bravo",),
    ("great", "job"),
    ("good", "job"),
    ("great", "work"),
    ("brilliant", "work"),
    ("amazing", "work"),
    ("fantastic", "work"),
    ("super", "work"),
    ("shout", "out"),
    ("shoutout",),
    ("well", "played"),
    ("mention", "for"),
    ("mention",),
)


def praised(keys: list[str], i: int) -> bool:
    if i > 2 and keys[i - 2 : i] in (["goes", "to"], ["go", "to"]):
        # "best costume goes to... Willow" (not "Year 6 goes to Paris")
        return any(k in _AWARDED for k in keys[max(0, i - 8) : i - 2])
    if i > 1 and keys[i - 1] == "from" and keys[i - 2] in {"goals", "goal", "tries", "assists"}:
        return True  # "goals from declan, mason n major"
    if i > 2 and keys[i - 1] in {"from", "by"}:
        # "great effort from holly", "amazing work by willow"
        return keys[i - 3] in _PRAISING and keys[i - 2] in _PRAISED_THINGS
    end = i - 1 if i > 0 and keys[i - 1] == "to" else i
    return any(tuple(keys[max(0, end - len(p)) : end]) == p for p in PRAISE_BEFORE)


_AWARDED = frozenset(
    {"award", "awards", "prize", "prizes", "costume", "certificate", "trophy", "medal", "cup"}
    | {"shout", "mention", "points", "winner", "badge", "star", "player", "title", "honour"}
)
_PRAISING = frozenset(
    {"great", "amazing", "brilliant", "fantastic", "super", "lovely", "excellent", "wonderful"}
    | {"fab", "fabulous", "superb", "outstanding", "beautiful", "impressive", "incredible"}
)
_PRAISED_THINGS = frozenset(
    {"work", "effort", "efforts", "job", "reading", "writing", "singing", "performance"}
    | {"dancing", "drawing", "painting", "poem", "story", "presentation", "playing", "speech"}
)


def pointed_at(keys: list[str], i: int) -> bool:
    """Words that point at a person: "well done mo", "especially mo who..."."""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    return praised(keys, i) or (i > 0 and keys[i - 1] in {"especially", "esp"}) or after == "who"


# "Poppy is a great friend", "Hope: star of the week!": what only a person is
_PERSON_NOUNS = frozenset(
    {"friend", "superstar", "star", "reader", "writer", "mathematician", "scientist", "artist"}
    | {"helper", "pupil", "member", "leader", "captain", "councillor", "champion", "boy", "girl"}
    | {"classmate", "learner", "athlete", "footballer", "swimmer", "runner", "dancer", "kid"}
    | {"role", "credit", "speller", "poet", "listener", "buddy", "monitor", "ambassador"}
    | {"winner", "prefect", "defender", "goalkeeper", "player", "striker", "singer", "actor"}
    | {"narrator", "speaker", "teammate", "sister", "brother", "champ", "hero", "mvp"}
)
_PERSON_ADJECTIVES = frozenset(
    {"kind", "kindest", "helpful", "polite", "funny", "caring", "thoughtful", "brave"}
    | {"hardworking", "chatty", "confident", "friendly", "generous", "sporty", "cheeky"}
)
_DETERMINER = frozenset({"a", "an", "the", "our", "such", "what", "this", "week's"})
_DEGREE = frozenset({"so", "such", "really", "very", "always", "incredibly", "super"})
_GOOD = frozenset({"brilliant", "great", "good", "amazing", "fantastic", "excellent"})


_NAMED_AFTER = _PERSON_NOUNS | {"week"}  # "star of the week: hope"


def named_winner(keys: list[str], i: int, text: str = "", words: list[Word] | None = None) -> bool:
    """ "the winner was noor!", "our star of the week is tahmid": a person named after "is";
    "sprint winner = king!!", "star of the week: hope"."""
    if (
        words is not None
        and i > 0
        and keys[i - 1] in _NAMED_AFTER
        and gap(text, words, i - 1, i).strip() in {"=", ":", "-", "–", "->"}
        # ("Holy Week – Jesus riding into Jerusalem": a week of the year, no award)
        and (keys[i - 1] != "week" or keys[max(0, i - 3) : i - 1] == ["of", "the"])
    ):
        return True
    # (Welsh too: "Seren yr Wythnos yw Seren!", the star of the week is Seren)
    window = range(max(0, i - 6), i - 1)
    return i > 1 and (
        (keys[i - 1] in {"is", "was"} and any(keys[j] in _PERSON_NOUNS for j in window))
        or (keys[i - 1] == "yw" and any(keys[j] == "wythnos" for j in window))
    )


def person_predicate(
    text: str, words: list[Word], keys: list[str], i: int, *, any_case: bool = False
) -> bool:
    """ "Poppy is a great friend", "Grace is so kind", "Heaven is brilliant at maths", "Hope:
    star of the week!", "Sunny, what a star!": said only of a person. `any_case`: the sentence
    is all in lower case, so a name's case tells nothing."""
    j = i + 1
    if j >= len(words) or not (any_case or capitalised(words[i])):
        return False
    between = gap(text, words, i, j).strip()
    if between in {":", "-", "–", ",", "!"}:
        start = j
    elif not between and keys[j] in {"is", "was", "are", "were"}:
        start = j + 1  # "are", "were": the second of a pair ("ruby and jack were superstars")
    else:
        return False
    window = []
    for n in range(start, min(start + 5, len(words))):
        if n > start and any(c in _SENTENCE_END for c in gap(text, words, n - 1, n)):
            break
        window.append(keys[n])
    if not window:
        return False
    if window[0] in _PERSON_ADJECTIVES or (
        len(window) > 1 and window[0] in _DEGREE and window[1] in _PERSON_ADJECTIVES
    ):
        return True
    if len(window) > 1 and window[0] in _GOOD and window[1] == "at":
        return True
    return any(
        (k in _PERSON_NOUNS or (k[-1:] == "s" and k[:-1] in _PERSON_NOUNS and keys[j] != "is"))
        and (n == 0 or any(d in _DETERMINER for d in window[:n]))
        for n, k in enumerate(window)
    )


# what a child is doing, after "is" ("Frank is leaving us today")
_DOING_OF_PEOPLE = frozenset(
    {"moving", "leaving", "starting", "joining", "settling", "representing", "competing"}
    | {"performing", "training", "practising", "celebrating", "turning", "running", "swimming"}
    | {"dancing", "singing", "playing", "reading", "writing", "trying", "working", "helping"}
)
_CLASSES = frozenset({"year", "yr", "reception", "nursery", "class", "y1", "y2", "y3", "y4"})


def maybe_a_name(
    text: str, words: list[Word], keys: list[str], i: int, *, any_case: bool = False
) -> bool:
    """ "Frank was...", "Aria sings...", "Harry is our...": a person may be meant."""
    if not (any_case or capitalised(words[i])) or i + 1 >= len(words):
        return False
    if person_predicate(text, words, keys, i, any_case=any_case):
        return True
    if not text[words[i].end : words[i + 1].start].isspace():
        return False
    after = keys[i + 1]
    if after in _SUBJECT_VERBS:
        # "Peace was kept", "Hope was lost": a value in the passive is the value; "Grace was
        # chosen" is said of a person
        return not (keys[i] in _VALUES and _passive_of_a_thing(keys, i + 2))
    if keys[i] in {"will", "may"} and after in _PRESENT:
        return True  # "Will loves football": no verb after "will" ends in -s
    if after in _PERSON_VERBS:
        return True  # "Rose smiles every day", "River listens so carefully"
    third = keys[i + 2] if i + 2 < len(keys) else ""
    fourth = keys[i + 3] if i + 3 < len(keys) else ""
    if after in {"is", "was"} and (
        third in _DOING_OF_PEOPLE or (third == "in" and fourth in _CLASSES)
    ):
        return True  # "Grace is moving to a new school", "Will is in Year 3 now"
    if keys[i] in _VALUES:
        return False
    return after in _PRESENT or (
        after == "is" and i + 2 < len(keys) and keys[i + 2] in _IS_A_PERSON
    )


# Past participles said of people ("Hope was chosen as captain"), unlike "Peace was kept"
_SAID_OF_PEOPLE = frozenset(
    {"chosen", "picked", "named", "voted", "crowned", "praised", "given", "presented"}
    | {"selected", "nominated", "awarded", "asked", "invited", "congratulated", "thrilled"}
    | {"delighted", "excited", "amazed", "born", "elected", "welcomed", "taught", "told"}
    | {"learnt", "learned", "knelt", "leapt", "crept", "wept", "dreamt", "forgave", "swore"}
)


def _passive_of_a_thing(keys: list[str], j: int) -> bool:
    """Word j is a past participle that is not said only of people ("kept", "restored")."""
    if j >= len(keys) or keys[j] in _SAID_OF_PEOPLE:
        return False
    key = keys[j]
    return (len(key) > 4 and key.endswith("ed")) or key in _PAST or key in _PARTICIPLES


# participles that are not also simple pasts
_PARTICIPLES = frozenset(
    {"broken", "shown", "known", "seen", "done", "gone", "taken", "shaken", "spoken", "stolen"}
    | {"forgotten", "hidden", "written", "driven", "grown", "thrown", "drawn", "worn", "torn"}
)


# What only a person does ("Rose smiles", "Summer deserves a well done"):
# never a thing or a season ("Summer brings sunshine", "Faith plays a big part")
_PERSON_VERBS = frozenset(
    {"smiles", "laughs", "shares", "cares", "listens", "learns", "dances", "swims", "jumps"}
    | {"climbs", "paints", "cooks", "bakes", "speaks", "talks", "asks", "answers", "explains"}
    | {"practises", "practices", "tells", "deserves", "tries", "loves", "enjoys", "likes"}
    | {"helps", "sings", "reads", "writes", "draws", "says", "thinks", "knows", "teaches"}
    | {"works", "scores", "wins", "giggles", "chats", "reminds", "remembers", "volunteers"}
    | {"adores", "wishes", "hopes", "says", "thanks", "offers", "encourages", "supports"}
    # ...and in the past ("autumn scored twice"; never "Summer arrived" or "Autumn brought")
    | {"smiled", "laughed", "shared", "listened", "learned", "learnt", "danced", "swam"}
    | {"jumped", "climbed", "painted", "cooked", "baked", "spoke", "talked", "asked", "told"}
    | {"answered", "explained", "practised", "tried", "sang", "wrote", "drew", "said"}
    | {"scored", "won", "giggled", "chatted", "volunteered", "thanked", "encouraged", "taught"}
)


def person_verb_follows(
    text: str, words: list[Word], keys: list[str], i: int, *, any_case: bool = False
) -> bool:
    """ "Summer deserves a big well done": a name (even a season's) before what only a person
    does; at a sentence start."""
    return (
        words[i].sentence_start
        and (any_case or capitalised(words[i]))
        and i + 1 < len(words)
        and keys[i + 1] in _PERSON_VERBS
        and joined(text, words, i, i + 1)
    )


def lower_case_sentence(text: str, words: list[Word], i: int) -> bool:
    """Word i starts a sentence written all in lower case ("grace was amazing today")."""
    if not words[i].sentence_start or not words[i].text.islower():
        return False
    end = i + 1
    while end < len(words) and not words[end].sentence_start:
        end += 1
    return not any(c.isupper() for c in text[words[i].start : words[end - 1].end])


def praise_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Max, well done on your reading!": praise addressed to the name."""
    if i + 1 >= len(words) or gap(text, words, i, i + 1).strip() not in {",", "-", "–", "!"}:
        return False
    if keys[i + 1] in {"you", "your", "you're", "you’re", "youre"}:
        return True  # "Frank, you were amazing!": spoken to
    return any(tuple(keys[i + 1 : i + 1 + len(p)]) == p for p in PRAISE_BEFORE)
