"""What the words around a given name say about who is meant: a pupil, or somebody else.

Each test looks at word `i` of a text taken apart into `words` (as written) and `keys` (folded),
and answers one question ("is a title in front of it?"). The name matcher asks them in turn;
none of them knows the register beyond what it is handed.
"""

from __future__ import annotations

import re

from chatbot.domain.folding import fold
from chatbot.policy.text import Word, strip_possessive

# Roman numerals from II to XXXIX: Henry VIII, Elizabeth II. A lone "I" is a regnal number only
# where a pronoun could not stand ("Elizabeth I.", "Elizabeth I and Mary").
_REGNAL = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{2,3})|X{1,3}")
_AFTER_LONE_I = frozenset({"and", "of", "who", "ruled", "reigned", "became", "died", "was"})
# "in Sydney", "visiting Chester": a pupil's name that is also a place is the place here...
_AT_A_PLACE = frozenset(
    {"in", "at", "near", "around", "across", "visit", "visited", "visiting", "explore"}
    | {"explored", "exploring", "toured", "touring", "towards", "via", "outside", "beyond"}
)
# ...and after "to" or "from" only when the sentence is about going somewhere: "well done to
# Sydney" thanks a pupil, "our trip to Sydney" is a journey.
_TRAVEL = frozenset(
    {"trip", "trips", "journey", "flight", "flew", "travelled", "traveled", "went", "go"}
    | {"going", "moved", "came", "arrived", "visit", "holiday", "way", "coach", "train"}
    | {"road", "miles", "postcard", "postcards", "letters", "letter", "all", "way"}
)
# Words that may follow a pupil's first name, capitalised, without being a surname.
_NOT_SURNAMES = frozenset(
    {"and", "year", "class", "reception", "nursery", "team", "group", "from", "in", "of"}
    | {"y1", "y2", "y3", "y4", "y5", "y6", "yr", "ks1", "ks2", "eyfs"}
)


def gap(text: str, words: list[Word], i: int, j: int) -> str:
    """What stands between word i and the later word j."""
    return text[words[i].end : words[j].start]


def joined(text: str, words: list[Word], i: int, j: int) -> bool:
    """Words i and j = i + 1 stand side by side on one line, with only spaces between."""
    between = gap(text, words, i, j)
    return between.isspace() and "\n" not in between


def capitalised(word: Word) -> bool:
    letters = strip_possessive(word.text)
    return letters[:1].isupper() and not letters.isupper()


def title_before(
    text: str, words: list[Word], keys: list[str], i: int, titles: frozenset[str]
) -> bool:
    """Mrs Patel, St George, King Henry, Storm Bert; lower case after "the": the prophet Musa.
    "Miss" is a title only when capitalised: "we will miss Zoe" names a pupil."""
    if i == 0 or keys[i - 1] not in titles:
        return False
    if words[i - 1].end < words[i].start and text[words[i - 1].end : words[i].start].strip(" ."):
        return False  # "our House Captain, Will": the comma parts them
    return words[i - 1].text[:1].isupper() or (i > 1 and keys[i - 2] == "the")


def regnal_number_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    j = i + 1
    if j >= len(words) or not joined(text, words, i, j):
        return False
    numeral = strip_possessive(words[j].text)
    if _REGNAL.fullmatch(numeral):
        return True
    if numeral != "I":
        return False
    after = keys[j + 1] if j + 1 < len(keys) else ""
    rest = text[words[j].end : words[j + 1].start if j + 1 < len(words) else len(text)]
    return not after or any(c in ".,;:!?)" for c in rest) or after in _AFTER_LONE_I


# "Jack the dog", "Rosie the class hamster": an animal or a character, not a pupil.
_CREATURES = frozenset(
    {"dog", "cat", "hamster", "rabbit", "tortoise", "guinea", "fish", "goldfish", "bear"}
    | {"elf", "dragon", "puppy", "kitten", "owl", "horse", "pony", "donkey", "snail", "robot"}
    | {"class", "school", "reading", "giant", "monster", "penguin", "duck", "chicken", "hen"}
)


def epithet_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """Alfred the Great, Winnie the Witch, Thomas the Tank Engine, Jack the dog."""
    j = i + 1
    return (
        j + 1 < len(words)
        and keys[j] == "the"
        and joined(text, words, i, j)
        and joined(text, words, j, j + 1)
        and (capitalised(words[j + 1]) or keys[j + 1] in _CREATURES)
    )


def titled_after(
    text: str, words: list[Word], keys: list[str], i: int, titles: frozenset[str]
) -> bool:
    """Mary, Queen of Scots; Catherine, Duchess of Cambridge."""
    j = i + 1
    return (
        j < len(words)
        and gap(text, words, i, j).strip() == ","
        and keys[j] in titles
        and capitalised(words[j])
    )


def possessive_title(text: str, words: list[Word], i: int, *, next_is_word: bool) -> bool:
    """Charlotte's Web, Kensuke's Kingdom, Noah's Ark: a name's possessive before a capitalised
    ordinary word is a title (a pupil's work is "Ava's painting")."""
    word = words[i]
    if word.bare == word.text or word.in_hashtag:
        return False
    j = i + 1
    return (
        next_is_word  # Web, Surprise, Kingdom; not "Hugo's Anglo-Saxon helmet"
        and j < len(words)
        and joined(text, words, i, j)
        and capitalised(words[j])
        and fold(words[j].bare) not in _NOT_SURNAMES
    )


def of_a_place(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """Duke of Edinburgh, Joan of Arc, Angel of the North (not "Ava of Year 4")."""
    j = i + 1
    k = j + 2 if j + 1 < len(keys) and keys[j + 1] == "the" else j + 1
    return (
        k < len(words)
        and keys[j] == "of"
        and all(joined(text, words, n, n + 1) for n in range(i, k))
        and capitalised(words[k])
        and keys[k] not in _NOT_SURNAMES
    )


def glossed(text: str, words: list[Word], i: int) -> bool:
    """Musa (Moses), Yusuf (Joseph): a name given with its form in another tradition."""
    after = text[words[i].end : words[i + 1].start] if i + 1 < len(words) else ""
    before = text[words[i - 1].end : words[i].start] if i > 0 else ""
    if after.strip() == "(" and capitalised(words[i + 1]):
        return text[words[i + 1].end : words[i + 1].end + 1] == ")"
    return (
        before.strip() == "("
        and text[words[i].end : words[i].end + 1] == ")"
        and i > 0
        and (capitalised(words[i - 1]))
    )


_ROLE_VERBS = frozenset({"as", "played", "plays", "playing", "cast"})
_ARTICLES = frozenset({"a", "an", "the", "one", "another", "every", "each"})
# "14 Marys, 11 Josephs", "three Matildas": costumes and roles counted
_COUNTS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
_COUNTS |= {"many", "several", "lots", "dozens", "some", "all", "our", "more"}


def counted(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    return before.isdigit() or before in _COUNTS


def a_role(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """A character played, not the pupil who plays it: "Daisy was a wonderful Mary", "Alfie
    made a brilliant Joseph", "cast as Mary", "played Joseph"."""
    if i == 0 or not joined(text, words, i - 1, i):
        return False
    if keys[i - 1] in _ROLE_VERBS or keys[i - 1] in _ARTICLES:
        return True
    # one or two lower-case describing words between the article and the name
    for j in (i - 2, i - 3):
        if j < 0 or keys[j] not in _ARTICLES:
            continue
        between = range(j + 1, i)
        if all(words[n].text.islower() and joined(text, words, n - 1, n) for n in between):
            return True
    return False


def after_an_initial(text: str, words: list[Word], i: int) -> bool:
    """T. rex, J. Smith: the word after an initial is a surname or a species."""
    return (
        i > 0
        and len(words[i - 1].text) == 1
        and words[i - 1].text.isupper()
        and text[words[i - 1].end : words[i].start] == ". "
    )


def list_neighbours(text: str, words: list[Word], keys: list[str], i: int) -> list[int]:
    """The items next to word i in a list ("A, B and C", "A or B")."""
    out: list[int] = []
    if i > 0 and gap(text, words, i - 1, i).strip() == ",":
        out.append(i - 1)
    elif i > 1 and keys[i - 1] in {"and", "or", "&"} and gap(text, words, i - 2, i - 1).isspace():
        out.append(i - 2)
    if i + 1 < len(words) and gap(text, words, i, i + 1).strip() == ",":
        out.append(i + 1)
    elif i + 2 < len(words) and keys[i + 1] in {"and", "or"} and joined(text, words, i, i + 1):
        out.append(i + 2)
    return out


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


def at_a_place(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    if before in _AT_A_PLACE:
        return True
    # "we travelled (by slideshow) to Florence": a journey a few words before "to"
    return before in {"to", "from"} and any(k in _TRAVEL for k in keys[max(0, i - 5) : i - 1])


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


# -- is a word-name used as a name? dates, streets, sentence starts ---------------------------

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
_PLACES = frozenset(
    {"street", "road", "lane", "avenue", "drive", "close", "way", "square", "park", "gardens"}
    | {"dock", "hall", "house", "centre", "library", "museum", "church", "cathedral"}
    | {"hospital", "station", "bridge", "theatre", "stadium"}
)
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


def place_positions(
    text: str, words: list[Word], keys: list[str], surnames: frozenset[str]
) -> set[int]:
    """The capitalised words right before a place word: Hope Street, William Brown Street; not
    when the place word is a pupil's surname (Grace Hall)."""
    positions: set[int] = set()
    for i, word in enumerate(words):
        if keys[i] not in _PLACES or keys[i] in surnames or not word.text[:1].isupper():
            continue
        j = i - 1
        while (
            j >= 0
            and i - j <= 3
            and words[j].text[:1].isupper()
            and text[words[j].end : words[j + 1].start].isspace()
        ):
            positions.add(j)
            j -= 1
    return positions


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


# Praise before a name: "well done grace", "congratulations to will"
PRAISE_BEFORE = (
    ("well", "done"),
    ("congratulations",),
    ("congrats",),
    ("thank", "you"),
    ("thanks",),
    ("happy", "birthday"),
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
    end = i - 1 if i > 0 and keys[i - 1] == "to" else i
    return any(tuple(keys[max(0, end - len(p)) : end]) == p for p in PRAISE_BEFORE)


def pointed_at(keys: list[str], i: int) -> bool:
    """Words that point at a person: "well done mo", "especially mo who..."."""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    return praised(keys, i) or (i > 0 and keys[i - 1] == "especially") or after == "who"


def maybe_a_name(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Frank was...", "Aria sings...", "Harry is our...": a person may be meant."""
    if not capitalised(words[i]) or i + 1 >= len(words):
        return False
    if not text[words[i].end : words[i + 1].start].isspace():
        return False
    after = keys[i + 1]
    if after in _SUBJECT_VERBS:
        return True
    if keys[i] in _VALUES:
        return False
    return after in _PRESENT or (
        after == "is" and i + 2 < len(keys) and keys[i + 2] in _IS_A_PERSON
    )


def praise_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Max, well done on your reading!": praise addressed to the name."""
    if i + 1 >= len(words) or gap(text, words, i, i + 1).strip() not in {",", "-", "–", "!"}:
        return False
    return any(tuple(keys[i + 1 : i + 1 + len(p)]) == p for p in PRAISE_BEFORE)


def in_a_date(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    return (
        before in _DATE_WORDS
        or after in _SEASONAL
        or _DAY_NUMBER.fullmatch(before) is not None
        or _DAY_NUMBER.fullmatch(after) is not None
    )


def action_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    j = i + 1
    if j >= len(words) or not text[words[i].end : words[j].start].isspace():
        return False
    key = keys[j]
    return key in _PAST or (len(key) > 4 and key.endswith(("ed", "ing")) and key not in _NOT_DOING)


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
    return (
        keys[i] in {"may", "will"}
        and i + 1 < len(keys)
        and keys[i + 1] in _REQUEST
        and joined(text, words, i, i + 1)
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
