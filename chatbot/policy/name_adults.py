"""Grown-ups (and pets) a post names by first name: staff, visitors, volunteers ("our caretaker
Reggie", "Mariam, our new TA", "Kwame and Patience from our PTA", "Omar, who joins us as our new
Year 5 teacher", "Margot is hanging up her apron", "our reading dog Bonnie"). A pupil may share
the name, but the words say the person is somebody else. Each test looks at a name, or the
list of names it stands in, from word `first` to word `last`."""

from __future__ import annotations

from chatbot.policy import name_context as ctx
from chatbot.policy.name_class_words import CLASS, a_class_token
from chatbot.policy.text import Word

# what only grown-ups at or around a school are ("volunteer", "leader", "author" alone are left
# out: children volunteer, lead play and write stories)
ROLES = frozenset(
    {"ta", "tas", "teacher", "teachers", "caretaker", "cleaner", "receptionist", "secretary"}
    | {"governors", "senco", "headteacher", "deputy", "coach", "coaches", "firefighter"}
    | {"firefighters", "nurse", "doctor", "dentist", "vicar", "imam", "rabbi", "priest"}
    | {"chaplain", "grandad", "grandpa", "grandma", "granny", "nan", "nana", "mum", "dad"}
    | {"uncle", "aunt", "auntie", "dog", "puppy", "kitten", "hamster", "tortoise", "cockapoo"}
    | {"labrador", "spaniel", "poodle", "retriever", "terrier", "collie", "beagle", "driver"}
    | {"drivers", "janitor", "janny", "jannie"}  # (Scots: the janny is the caretaker)
    | {"mums", "dads", "grandads", "grandparents", "grannies", "parent", "parents", "carers"}
    | {"paramedic", "pharmacist", "vet", "midwife", "surgeon", "pilot", "architect"}
    | {"engineer", "plumber", "electrician", "builder", "mechanic", "solicitor", "lawyer"}
)
# roles children have too ("our young author Ava", "Ava, our class poet"), grown-ups' only
# after one of _GROWN (a visiting author, a children's author, a local poet)
_SHARED = frozenset(
    {"author", "authors", "illustrator", "poet", "storyteller", "librarian", "chef", "artist"}
    | {"musician", "scientist", "speaker", "visitor", "visitors", "manager", "coordinator"}
)
_GROWN = frozenset(
    {"visiting", "guest", "local", "famous", "children", "award-winning", "professional"}
    | {"published", "best-selling", "bestselling", "renowned", "real-life", "well-known"}
    | {"visit"}
)
# roles of two words: "lollipop lady", "dinner lady", "kitchen team" ("our netball team" are
# children)
_SECOND_WORDS = {
    "lady": {"lollipop", "dinner"},
    "man": {"lollipop"},
    "patrol": {"crossing"},
    "team": {"lunchtime", "kitchen", "office", "midday", "catering", "cleaning", "site"},
    "staff": {"kitchen", "office", "lunchtime", "midday", "catering", "cleaning", "site"},
    "leader": {"school", "scout", "cub", "brownie", "beaver", "youth", "church", "community"},
    "mentor": {"learning"},
    "assistant": {"teaching", "classroom", "office"},
    "assistants": {"teaching", "classroom", "office"},
    "officer": {"police", "community", "support", "welfare", "attendance", "family"},
    "officers": {"police", "community", "support", "welfare", "attendance", "family"},
    "supervisor": {"midday", "lunchtime", "lunch"},
    "supervisors": {"midday", "lunchtime", "lunch"},
    "manager": {"site", "business", "office", "premises"},
    "volunteer": {"parent", "pta", "community", "adult", "reading"},
    "volunteers": {"parent", "pta", "community", "adult", "reading"},
    "chef": {"school", "head"},
    "cook": {"school", "head"},
    "administrator": {"office", "school"},
    "teacher": {"head"},
    "friend": {"family"},
}
# where grown-ups work, so "at" one too ("Frankie at the corner shop")
_SHOPS = frozenset(
    {"shop", "shops", "cafe", "café", "supermarket", "garage", "newsagent", "newsagents"}
    | {"pharmacy", "bakery", "restaurant", "salon", "barbers", "takeaway"}
    | {"office", "kitchen"}
)
# a child's role play or ambition, no grown-up's job: "our future architect", "our class vet"
_PRETEND = frozenset(
    {"future", "budding", "little", "young", "aspiring", "junior", "mini", "class", "pretend"}
    | {"wannabe", "trainee", "apprentice", "tiny", "resident", "very", "own"}
)
# what makes a group grown-ups' ("from the parents' group")
_GROWN_GROUPS = frozenset({"parents", "parent", "mums", "dads", "carers", "residents"})
# "volunteers: Grace, ...": children's only after one of these
_YOUNG = frozenset({"young", "pupil", "child", "junior", "eco", "playground", "class", "year"})
# places grown-ups come "from" ("Mark from the food bank"), not classes ("Ava from Year 2")
_PLACES = frozenset(
    {"pta", "ptfa", "office", "kitchen", "kitchens", "bank", "service", "station", "police"}
    | {"church", "mosque", "gurdwara", "temple", "synagogue", "mandir", "cathedral", "rspb"}
    | {"nhs", "museum", "charity", "trust", "foundation", "centre", "center", "university"}
    | {"college", "company", "theatre", "zoo", "farm", "hospital", "surgery", "library"}
    | {"council", "brigade", "friends", "governors", "parish", "rotary", "scouts", "guides"}
    | {"foodbank", "hospice", "pharmacy", "bakery", "rnli", "nspcc", "ambulance", "coastguard"}
    | {"allotments", "allotment", "rescue"}
    | _SHOPS
)
_CHILDRENS_COUNCILS = frozenset({"school", "eco", "pupil", "pupils", "student", "children"})
_FILLERS = frozenset(
    {"our", "the", "a", "an", "new", "wonderful", "lovely", "amazing", "fantastic", "brilliant"}
    | {"local", "own", "very", "fabulous", "super", "long-serving", "school", "reading"}
    | {"learning", "site", "office", "business", "lunchtime", "midday", "kitchen", "crossing"}
    | {"lollipop", "class", "forest", "parent", "student", "teaching", "deputy", "head", "one"}
    | {"of", "year", "reception", "nursery", "ks1", "ks2", "sports", "day", "pe", "music"}
    | {"dinner", "trusty", "fab", "favourite", "resident", "community", "police", "fire"}
    | {"family", "dear", "good", "old"}
)
_CLASS_NUMBERS = frozenset({"1", "2", "3", "4", "5", "6", "r"})
_AGES = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "year", "old"})
# "who joins us as our new Year 5 teacher", "has joined the office team", "is our new ..."
_JOINS = frozenset({"joins", "joined", "joining", "join"})
_LEAVES = frozenset({"retires", "retiring", "retired", "retire"})
# what grown-ups run for children
_RUN = frozenset({"breakfast"})  # (children run clubs and sessions too)
_RETIRED = frozenset({"apron", "stick", "lollipop", "whistle", "tabard", "keys", "ladle"})


def an_adult(text: str, words: list[Word], keys: list[str], first: int, last: int) -> bool:
    """The name (or the list it ends or starts) is a grown-up's or a pet's."""
    return (
        _role_before(text, words, keys, first)
        or _role_after(text, words, keys, last)
        or _from_a_place(text, words, keys, last)
        or _joins_as_staff(text, words, keys, last)
    )


def _a_role(keys: list[str], n: int) -> bool:
    if keys[n] in ROLES:
        return True
    if keys[n] in _SHARED and _GROWN & set(keys[max(0, n - 3) : n]):
        return True  # "a visiting author", "a visit from illustrator Faith"
    if keys[n] in {"volunteer", "volunteers"} and _young(keys[max(0, n - 3) : n]):
        return False  # "Our Y6 reading volunteers Ava and Noah"
    # "our lollipop heroes": whatever a lollipop person is called
    return n > 0 and (keys[n - 1] in _SECOND_WORDS.get(keys[n], ()) or keys[n - 1] == "lollipop")


def _role_before(text: str, words: list[Word], keys: list[str], first: int) -> bool:
    """ "our caretaker Reggie", "chef marcus", "Firefighters Ibrahim and Wojciech", "our
    lunchtime team grace, joy, june and shannon", "our reading dog Bonnie"."""
    j = first - 1
    owner = j > 0 and keys[j] == "owner" and keys[j - 1] in {"his", "her", "their"}
    if j < 0 or not (_a_role(keys, j) or _volunteers(keys, j) or owner):
        return False  # ("his owner Ruth": a pet's; "proud puppy owner Noah" may be a child)
    gap = ctx.gap(text, words, j, first)
    # ("the newest member of our office team, Precious!": a comma after a role of two words)
    two_words = j > 0 and keys[j - 1] in _SECOND_WORDS.get(keys[j], ())
    return (
        (gap.isspace() and "\n" not in gap)
        or gap.strip() == ":"
        # ("our kitchen team – Bonnie, Hazel and Lena": a dash after a role of two words)
        or (gap.strip() in {",", "-", "–", "—"} and two_words)
        or owner
    )


def _volunteers(keys: list[str], j: int) -> bool:
    """ "our amazing volunteers: Grace, ...": a school's volunteers are grown-ups, unless the
    words before make them children ("our Y6 volunteers", "our young volunteers")."""
    if keys[j] not in {"volunteers", "volunteer"}:
        return False
    before = keys[max(0, j - 3) : j]
    # (a class before them or after the names: "our volunteers: Ava and Noah from Year 6")
    after = keys[j + 1 : j + 9]
    young_after = any(k in CLASS or a_class_token(k) for k in after)
    return bool({"our", "the"} & set(before)) and not (_young(before) or young_after)


def _role_after(text: str, words: list[Word], keys: list[str], last: int) -> bool:
    """ "Mariam, our new TA", "Priya, one of our parent volunteers", "Rohan, a coach from our
    local cricket club", "Sophie, our wonderful Year 1 TA"."""
    j = last + 1
    if j >= len(words):
        return False
    gap = ctx.gap(text, words, last, j)
    if gap.strip() == "," and keys[j] in ROLES and keys[j + 1 : j + 2] in (["of"], ["to"]):
        return True  # "Florin, dad of two of our pupils"
    if gap.strip() == "(":
        # "Frank (Y4 grandad, retired bus driver)": the role in brackets
        for n in range(j, min(j + 3, len(words))):
            if keys[n] in ROLES:
                # (the role ends there: "Noah (mum helped!) made a volcano" is a child)
                after = ctx.gap(text, words, n, n + 1) if n + 1 < len(words) else ")"
                return after.strip()[:1] in {",", ")"}
            if not (keys[n] in _FILLERS or a_class_token(keys[n])):
                return False
    if (
        keys[j] == "and"
        and keys[j + 1 : j + 2] in (["the"], ["our"])
        and _names_a_team(keys, j + 1)
    ):
        return True  # "Thank you to Senga, Isla and the whole kitchen team"
    if gap.strip() in {"&", "+"} and keys[j] in {"the", "our"} and _names_a_team(keys, j):
        return True  # "huge thanks to chef marcus & the kitchen team"
    if (
        keys[j] == "and"
        and keys[j + 1 : j + 4] == ["the", "team", "from"]
        and j + 4 < len(words)
        and ctx.capitalised(words[j + 4])
        and not _young(keys[j + 4 : j + 6])
    ):
        return True  # "Harry and the team from Woolton Rotary Club" (not "from Year 5")
    if keys[j] in {"his", "her", "their"}:
        # "Mary, his owner": the dog's; "Noah, his dad and his sister" is a child with family
        return gap.strip() == "," and keys[j + 1 : j + 2] == ["owner"]
    if keys[j] not in {"our", "a", "an", "the", "one"}:
        return False
    # (without the comma only before "our": "thank u frank our lollipop man", "Meet Bear 🐾
    # our new school dog")
    if gap.strip() != "," and not (keys[j] == "our" and _no_words_between(gap)):
        return False
    free = 1  # one word the lists do not know, before the role ("our therapy dog")
    for n in range(j, min(j + 6, len(words))):
        if n > j and not ctx.joined(text, words, n - 1, n):
            return False
        if n > j and (_a_role(keys, n) or _volunteers(keys, n)):
            return True  # "Harpreet, one of the volunteers"
        if keys[n] in _PRETEND:
            return False  # "Noah, our future architect", "Ava, our budding engineer"
        if keys[n] in _FILLERS or keys[n] in _CLASS_NUMBERS or a_class_token(keys[n]):
            continue  # ("Kwame, one of our Y3 dads")
        if not free or n == j:
            return False
        free -= 1
    return False


def _names_a_team(keys: list[str], n: int) -> bool:
    """ "the whole kitchen team", "our office staff": a grown-ups' team of the school."""
    for m in range(n + 1, min(n + 4, len(keys))):
        if keys[m] in {"team", "staff"} and _a_role(keys, m):
            return True
        if keys[m] in {"mums", "dads", "parents", "grandparents"}:
            # "Zainab, Amina and the mums from our parents' coffee group" (not "Ava and the
            # dads who ran the BBQ": a child with them)
            return keys[m + 1 : m + 2] == ["from"]
        if keys[m] not in _FILLERS and keys[m] not in {"whole", "entire", "amazing"}:
            return False
    return False


def _young(keys: list[str]) -> bool:
    """Words that make people children: a class, "young", "pupils"."""
    return any(
        k in _YOUNG or k in {"pupils", "children", "kids", "ks1", "ks2"} or a_class_token(k)
        for k in keys
    )


def _no_words_between(gap: str) -> bool:
    """Only spaces and emoji: "Bear 🐾 our"."""
    return "\n" not in gap and not any(c.isalnum() or c in ".,;:!?()" for c in gap)


def _from_a_place(text: str, words: list[Word], keys: list[str], last: int) -> bool:
    """ "Kwame and Patience from our PTA", "Mark from the food bank", "Idris from the RSPB",
    "Ming and Jun from the Chinese arts centre", "jess in the office"; not a class or a
    children's council ("Ava from Year 2", "Jack from the school council")."""
    j = last + 1
    if j + 1 >= len(words) or not ctx.joined(text, words, last, j):
        return False
    if keys[j] not in {"from", "at", "in"}:
        return False
    # determiners, then names (Ladywood, the RSPB) and one describing word (the food bank):
    # nothing else stands between ("Musa from 4K went to the mosque" is a child)
    n = j + 1
    while n < len(words) and keys[n] in {"the", "our", "a", "an", "local", "city"}:
        n += 1
    if (
        keys[j] == "from"
        and n > j + 1
        and n < len(words)
        and _initials(words[n].bare)
        and keys[n + 1 : n + 2] not in (["club"], ["group"], ["team"], ["class"])
    ):
        return True  # "Jordan from the LSSP": an organisation, by its initials
    while n < len(words) and ctx.capitalised(words[n]) and keys[n] not in _PLACES:
        n += 1
    if n + 1 < len(words) and keys[n] in _GROWN_GROUPS and words[n].text.islower():
        return keys[j] == "from"  # "from the parents' group", "from the mums' choir"
    if n + 1 < len(words) and keys[n] not in _PLACES and words[n].text.islower():
        n += 1  # "food bank", "fire station", "arts centre", "corner shop"
    if n >= len(words) or keys[n] not in _PLACES:
        return False
    if any(
        not ctx.joined(text, words, m - 1, m) and ctx.gap(text, words, m - 1, m).strip() != "&"
        for m in range(j + 1, n + 1)
    ):
        return False  # (but "Merseyside Fire & Rescue" is one name)
    if keys[n] == "council" and keys[n - 1] in _CHILDRENS_COUNCILS:
        return False
    # "at the corner shop", "in the office": only where grown-ups work (children are in the
    # library)
    if keys[j] == "from" or keys[n] in {"office", "kitchen"}:
        return True
    # "thanks to Frankie at the corner shop" (not "Noah at the bakery on our trip")
    thanked = ctx.THANKS & set(keys[max(0, last - 5) : last])
    pretend = _PRETEND & set(keys[j:n])
    return keys[j] == "at" and keys[n] in _SHOPS and bool(thanked) and not pretend


def _initials(word: str) -> bool:
    """LSSP, RSPB: an organisation's initials (not a class, 4K, nor a school's base, ARC)."""
    return len(word) >= 4 and word.isalpha() and word.isupper()


def _joins_as_staff(text: str, words: list[Word], keys: list[str], last: int) -> bool:
    """ "Mariam joins us as a TA", "Omar, who joins us as our new Year 5 teacher", "Hodan, who
    has joined the office team", "Margot is hanging up her apron", "Daniel is our new site
    manager"; a child joining a class is no grown-up ("Ava joins us in Year 2")."""
    n = last + 1
    if n < len(words) and keys[n] == "who" and ctx.gap(text, words, last, n).strip() in {",", ""}:
        n += 1
    while n < len(words) and keys[n] in {"has", "is", "will", "be", "now", "also", "just"}:
        n += 1
    if n >= len(words):
        return False
    if keys[n] in _LEAVES:
        return True
    if keys[n] in {"runs", "owns", "manages"} and any(
        k in _SHOPS and keys[m - 1] not in {"tuck", "class", "school", "pretend", "play"}
        for m, k in enumerate(keys[n + 1 : n + 5], n + 1)
    ):
        return True  # "Precious, who runs the pharmacy on the corner" (not the tuck shop)
    if keys[n] == "running" and _RUN & set(keys[n + 1 : n + 5]):
        return True  # "Comfort will be running breakfast club from Monday"
    if keys[n] in {"hangs", "hanging"} and keys[n + 1 : n + 3] in (["up", "her"], ["up", "his"]):
        # "is hanging up her apron", "hangs up her stick" (not "Hope hung up her coat")
        return bool(_RETIRED & set(keys[n + 3 : n + 5]))
    if keys[n] in _JOINS:
        rest = keys[n + 1 : n + 9]
        if "as" in rest:
            return _names_a_role(keys, n + 1 + rest.index("as") + 1)
        return any(k in {"staff", "team"} for k in rest[:4])
    if keys[n - 1 : n] == ["is"] and keys[n] in {"our", "the", "a", "an"}:
        if keys[n + 1 : n + 2] == ["retired"]:
            return True  # "Marcus is a retired bus driver"
        return _names_a_role(keys, n)  # "Daniel is our new site manager", "is a cockapoo"
    return False


def _names_a_role(keys: list[str], n: int) -> bool:
    """Describing words, then a role: "our new Year 5 teacher", "a TA", "a very gentle
    2-year-old golden retriever"; not past a word that starts another phrase ("a great help to
    our TA")."""
    for m in range(n, min(n + 7, len(keys))):
        if _a_role(keys, m):
            return True
        if keys[m] in _ANOTHER_PHRASE:
            return False
    return False


_ANOTHER_PHRASE = frozenset(
    {"of", "for", "to", "at", "in", "with", "and", "or", "who", "that", "but", "on", "by"}
    | {"like", "from", "when", "because", "so", "is", "was", "has", "will"}
)
