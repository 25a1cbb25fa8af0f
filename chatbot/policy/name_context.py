"""What the words around a given name say about who is meant: a pupil, or somebody else.

Each test looks at word `i` of a text taken apart into `words` (as written) and `keys` (folded),
and answers one question ("is a title in front of it?"). The name matcher asks them in turn;
none of them knows the register beyond what it is handed. Whether a word that is also a name
(Grace, May) is used as one where it stands is asked in name_usage.
"""

from __future__ import annotations

import re

from chatbot.domain.folding import fold
from chatbot.policy.name_class_words import CLASS, a_class_token
from chatbot.policy.text import Word, strip_possessive

# Roman numerals from II to XXXIX: Henry VIII, Elizabeth II. A lone "I" is a regnal number only
# where a pronoun could not stand ("Elizabeth I.", "Elizabeth I and Mary").
_REGNAL = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{2,3})|X{1,3}")
_AFTER_LONE_I = frozenset({"and", "of", "who", "ruled", "reigned", "became", "died", "was"})
# ...and where another monarch's number is in the post ("Henry VIII ... Elizabeth I would have
# approved"); elsewhere "Ava I would like to thank you" is a pronoun
_AFTER_LONE_I_BESIDE_KINGS = frozenset({"would", "had", "could"})
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
    | {"road", "miles", "postcard", "postcards", "letters", "letter", "all", "way", "off"}
    | {"flying", "sailing", "sailed", "heading", "headed", "travelling", "traveling"}
    | {"following", "followed", "led", "journeyed", "walked", "rode", "fled", "returned", "goes"}
)
# "Sydney is the largest city in Australia": words that say the sentence is about a place
_PLACE_NOUNS = frozenset(
    {"city", "cities", "capital", "country", "countries", "town", "village", "island", "islands"}
    | {"rivers", "mountains", "continents", "oceans"}
    | {"state", "county", "continent", "port", "coast", "harbour", "population", "located"}
    | {"landmarks", "landmark", "skyline", "map", "atlas", "hemisphere", "climate"}
)
# Words that may follow a pupil's first name, capitalised, without being a surname.
# thanks, which grown-ups get as often as children ("Thank you Joy" to a visiting author)
THANKS = frozenset({"thank", "thanks", "thx", "ty"})
_NOT_SURNAMES = frozenset(
    {"and", "year", "class", "reception", "nursery", "team", "group", "from", "in", "of"}
    | {"y1", "y2", "y3", "y4", "y5", "y6", "yr", "ks1", "ks2", "eyfs", "p1", "p2", "p3", "p4"}
    | {"p5", "p6", "p7"}
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
    # (or both in lower case: "stories of prophet yusuf", typed on a phone)
    return (
        words[i - 1].text[:1].isupper()
        or (i > 1 and keys[i - 2] == "the")
        or (words[i].text.islower() and keys[i - 1] not in {"miss", "will", "may"})
    )


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
    if not after or any(c in ".,;:!?)" for c in rest) or after in _AFTER_LONE_I:
        return True
    return after in _AFTER_LONE_I_BESIDE_KINGS and any(
        n != j and _REGNAL.fullmatch(strip_possessive(w.text)) for n, w in enumerate(words)
    )


# "Jack the dog", "Rosie the class hamster": an animal or a character, not a pupil.
_CREATURES = frozenset(
    {"dog", "cat", "hamster", "rabbit", "tortoise", "guinea", "fish", "goldfish", "bear"}
    | {"elf", "dragon", "puppy", "kitten", "owl", "horse", "pony", "donkey", "snail", "robot"}
    | {"class", "school", "reading", "giant", "monster", "penguin", "duck", "chicken", "hen"}
    | {"cow", "pig", "sheep", "goat", "lamb", "mouse", "frog", "tiger", "lion", "fox", "wolf"}
    | {"caterpillar", "unicorn", "fairy", "witch", "wizard", "pirate", "mermaid", "gnome"}
)


def epithet_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """Alfred the Great, Winnie the Witch, Thomas the Tank Engine, Jack the dog; Ștefan cel Mare
    (Romanian)."""
    j = i + 1
    return (
        j + 1 < len(words)
        and keys[j] in {"the", "cel", "cea"}
        and joined(text, words, i, j)
        and joined(text, words, j, j + 1)
        and (
            capitalised(words[j + 1])
            or keys[j + 1] in _CREATURES
            # in lower case too, where the name is: "alfred the great firm fave"
            or (words[i].text.islower() and keys[j + 1] in _EPITHETS)
        )
    )


_EPITHETS = frozenset(
    {"great", "conqueror", "confessor", "unready", "impaler", "magnificent", "lionheart"}
)


def titled_after(
    text: str, words: list[Word], keys: list[str], i: int, titles: frozenset[str]
) -> bool:
    """Mary, Queen of Scots; Catherine, Duchess of Cambridge (not a list of names: "Eden,
    Angel, Daisy and Safa")."""
    j = i + 1
    return (
        j < len(words)
        and gap(text, words, i, j).strip() == ","
        and keys[j] in titles
        and capitalised(words[j])
        and (keys[j + 1 : j + 2] == ["of"] or not list_neighbours(text, words, keys, j)[1:])
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
        and fold(words[j].bare) not in KIN_WORDS  # "Grace's Mum": her mum, no title
        and fold(words[j].bare) not in SUBJECTS
        # "Skye's Mackintosh rose design": a child's work in a style, no title
        and not any(
            words[n].text.islower() and fold(words[n].bare) in _WORK
            for n in range(j + 1, min(j + 3, len(words)))
        )
    )


_WORK = frozenset(
    {"design", "designs", "painting", "paintings", "drawing", "drawings", "model", "project"}
    | {"picture", "portrait", "sculpture", "collage", "artwork", "costume", "poster", "mosaic"}
)


# school subjects, capitalised after a child's possessive: "Hope's Art project"
SUBJECTS = frozenset(
    {"art", "maths", "english", "science", "history", "geography", "music", "pe", "re", "dt"}
    | {"computing", "french", "spanish", "reading", "writing", "homework", "phonics", "spelling"}
    | {"spellings", "forest", "school", "class", "first"}
)


# a child's family, capitalised or not: "Grace's Mum came in", "Ruby's Nan"
KIN_WORDS = frozenset(
    {"mum", "mummy", "mom", "dad", "daddy", "nan", "nana", "nanna", "gran", "granny", "grandma"}
    | {"grandad", "grandpa", "grandmother", "grandfather", "auntie", "aunty", "aunt", "uncle"}
    | {"brother", "sister", "cousin", "family", "parents", "mam", "grandparents", "big", "little"}
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


# "Aisha (RA)", "Musa (AS)", "Muhammad (PBUH)": the blessing said after a prophet's or a
# companion's name
_HONORIFIC = re.compile(r"\s*[(\[]\s*(?:ra|as|pbuh|saw|saws|swt|sa|rh|pbuh&f)\s*[)\]]|\s*ﷺ", re.I)


def honorific_follows(text: str, words: list[Word], i: int) -> bool:
    end = words[i].start + len(strip_possessive(words[i].text))
    return _HONORIFIC.match(text, end) is not None


def a_figure_of(keys: list[str], i: int) -> bool:
    """ "Iris was the goddess of the rainbow", "Thor is the god of thunder": a figure of myth
    or faith, by what the sentence says it is."""
    return keys[i + 1 : i + 3] in (["was", "the"], ["is", "the"]) and (
        keys[i + 3 : i + 5] in ([f, "of"] for f in _FIGURES_OF)
    )


_FIGURES_OF = ("god", "goddess", "prophet", "patron", "spirit")  # (not "the angel of the Lord")


def glossed(text: str, words: list[Word], i: int) -> bool:
    """Musa (Moses), Yusuf (Joseph): a name given with its form in another tradition; "Noor
    means light", "Kwame, meaning born on Saturday": the name itself, glossed."""
    after = text[words[i].end : words[i + 1].start] if i + 1 < len(words) else ""
    if i + 1 < len(words) and words[i + 1].text.lower() in {"means", "meaning", "mean"}:
        return True  # (and "what does Goodness mean?")
    before = text[words[i - 1].end : words[i].start] if i > 0 else ""
    if after.strip() == "(" and capitalised(words[i + 1]):
        return text[words[i + 1].end : words[i + 1].end + 1] == ")"
    if after.strip() == "(" and words[i].text.islower():
        # "seren (star), eira (snow), alaw (a tune)": words of another language, glossed
        gloss = _GLOSS.match(text, words[i + 1].start)
        # (a class in brackets is no gloss: "well done to ivy (reception) and jack (year two)")
        return gloss is not None and not any(
            k in CLASS or a_class_token(k) for k in gloss.group().rstrip(")").split()
        )
    return (
        before.strip() == "("
        and text[words[i].end : words[i].end + 1] == ")"
        and i > 0
        and (capitalised(words[i - 1]))
    )


_GLOSS = re.compile(r"[a-z]+(?: [a-z]+){0,2}\)")
_ROLE_VERBS = frozenset({"as", "played", "plays", "playing", "cast"})
_ARTICLES = frozenset({"a", "an", "the", "one", "another", "every", "each"})
# "14 Marys, 11 Josephs", "three Matildas": costumes and roles counted
_COUNTS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
_COUNTS |= {"many", "several", "lots", "dozens", "some", "all", "our", "more"}


def counted(keys: list[str], i: int, words: list[Word] | None = None, text: str = "") -> bool:
    """ "14 Marys", "three Matildas"; not "Year 3 🎉 Precious" (a class, then a new start)."""
    before = keys[i - 1] if i > 0 else ""
    if words is not None and i > 0 and not joined(text, words, i - 1, i):
        return False
    if before.isdigit() and i > 1 and keys[i - 2] in {"year", "yr", "y", "class", "room"}:
        return False
    return before.isdigit() or before in _COUNTS


def a_role(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """A character played, not the pupil who plays it: "Daisy was a wonderful Mary", "Alfie
    made a brilliant Joseph", "cast as Mary", "played Joseph"."""
    if i == 0 or not joined(text, words, i - 1, i) or words[i].bare != words[i].text:
        return False  # a part has no possessive: "a visit from Alfie's dad"
    if i > 1 and keys[i - 2 : i] == ["well", "played"]:
        return False  # praise, no part: "well played Frank"
    if keys[i - 1] in _ROLE_VERBS or keys[i - 1] in _ARTICLES:
        # "as Musa H. pointed out": a child named with an initial, no part
        initial = words[i + 1].text.rstrip(".") if i + 1 < len(words) else ""
        return not (keys[i - 1] == "as" and len(initial) == 1 and initial.isupper())
    return _described_role(text, words, keys, i)


def _described_role(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "a wonderful Mary": one or two lower-case describing words between the article and
    the name."""
    for j in (i - 2, i - 3):
        if j < 0 or keys[j] not in _ARTICLES:
            continue
        between = range(j + 1, i)
        if all(
            words[n].text.islower() and joined(text, words, n - 1, n) and keys[n] not in _LINKS
            for n in between
        ):
            return True
    return False


# verbs and the words before a person, not describing words: "the star of the week is
# Kwame", "a visit from Alfie", "a card for Ava" put no role between
_LINKS = frozenset(
    {"is", "was", "are", "were", "be", "been", "has", "had", "have", "did", "goes", "went"}
    | {"says", "said", "becomes", "became", "from", "with", "to", "for", "by", "and", "or", "n"}
    # a clause's start: "fixing a tyre while Danny watches"
    | {"while", "whilst", "when", "as", "because", "but", "so", "then", "until", "where", "who"}
)


def by_somebody(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "'Ramadan' by Maher Zain", "a nasheed by Sami Yusuf": two capitalised names after "by" are
    an author's or a singer's (a pupil's own full name is matched before this is asked)."""

    def name_like(n: int) -> bool:
        return 0 <= n < len(words) and capitalised(words[n]) and not words[n].sentence_start

    if i > 0 and keys[i - 1] == "by" and name_like(i + 1) and joined(text, words, i, i + 1):
        return True
    return i > 1 and keys[i - 2] == "by" and name_like(i - 1) and joined(text, words, i - 1, i)


def classes_named(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """ "Oak and Willow classes", "Rowan, Hazel and Ash groups": names of classes or houses."""
    j = i + 1
    while j + 1 < len(words) and (keys[j] == "and" or gap(text, words, j - 1, j).strip() == ","):
        if keys[j] == "and":
            j += 1
        if not capitalised(words[j]) or words[j].bare != words[j].text:
            return False
        j += 1
    listed = j > i + 1 or (
        i > 0 and (keys[i - 1] == "and" or gap(text, words, i - 1, i).strip() == ",")
    )
    return (
        listed
        and j < len(words)
        and keys[j] in {"classes", "groups", "houses"}
        and joined(text, words, j - 1, j)
    )


def after_an_initial(text: str, words: list[Word], i: int) -> bool:
    """T. rex, J. Smith: the word after an initial is a surname or a species."""
    return (
        i > 0
        and len(words[i - 1].text) == 1
        and words[i - 1].text.isupper()
        and text[words[i - 1].end : words[i].start] == ". "
    )


# "and" as lists write it, phone-typed too: "david n patrick"
AND = frozenset({"and", "or", "&", "n"})


def list_neighbours(text: str, words: list[Word], keys: list[str], i: int) -> list[int]:
    """The items next to word i in a list ("A, B and C", "A or B")."""
    out: list[int] = []
    if i > 0 and gap(text, words, i - 1, i).strip() == ",":
        out.append(i - 1)
    elif i > 1 and keys[i - 1] in AND and gap(text, words, i - 2, i - 1).isspace():
        out.append(i - 2)
    elif i > 0 and gap(text, words, i - 1, i).strip() in {"&", "+"}:
        out.append(i - 1)  # "paris & india"
    if i + 1 < len(words) and gap(text, words, i, i + 1).strip() in {",", "&", "+"}:
        out.append(i + 1)
    elif i + 2 < len(words) and keys[i + 1] in AND and joined(text, words, i, i + 1):
        out.append(i + 2)
    return out


def at_a_place(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    if before in _AT_A_PLACE:
        return True
    # "we travelled (by slideshow) to Florence": a journey a few words before "to"
    return before in {"to", "from"} and any(k in _TRAVEL for k in keys[max(0, i - 5) : i - 1])


# "Matilda is our class novel": what a title is called
_WORKS = frozenset(
    {"novel", "book", "story", "play", "musical", "film", "movie", "text", "poem", "song"}
    | {"hymn", "show", "production", "pantomime", "panto", "opera", "ballet"}
)
_IS = frozenset({"is", "was", "will"})
# "we read Peace at Last", "performing Oliver Twist": a title follows these
_READ = frozenset(
    {"read", "reading", "reads", "watched", "watching", "sang", "singing", "performed"}
    | {"performing", "perform", "studying", "studied", "rehearsing", "rehearsed", "finished"}
    | {"started", "starting", "book", "novel", "story", "called", "titled", "film", "song"}
)
_SMALL = frozenset({"at", "the", "of", "and", "in", "to", "a", "on", "with", "for", "who"})
