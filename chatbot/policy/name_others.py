"""Somebody else with a pupil's first name, read from the names, places and titles around it:
a trip to Chester, Michelangelo's David, Howard Carter, "Matilda, The BFG or Fantastic Mr Fox".
Each test looks at word `i` of a text taken apart into `words` and folded `keys`."""

from __future__ import annotations

from dataclasses import dataclass, field

from chatbot.policy import name_adults as adults
from chatbot.policy import name_classes as classes
from chatbot.policy import name_context as ctx
from chatbot.policy import name_cues as cues
from chatbot.policy import name_sentences as sentences
from chatbot.policy import name_setting as setting
from chatbot.policy import name_usage as usage
from chatbot.policy.name_spelling import SpellingIndex
from chatbot.policy.text import Word

# A list after one of these (and a colon, "such as", "like" or "including") names others:
# "prophets shared by three faiths: Adam, Noah, Ibrahim", "kings such as Alfred"
_OTHERS = frozenset(
    {"prophets", "saints", "kings", "queens", "monarchs", "rulers", "emperors", "empresses"}
    | {"pharaohs", "gods", "goddesses", "angels", "apostles", "disciples", "presidents"}
    | {"popes", "gurus", "caliphs", "sultans", "knights", "archangels", "deities"}
)
# Words that say a sentence is about the sky
# (not "star": "Stars of the week: Leo, Mia...")
_SKY_WORDS = frozenset(
    {"sky", "skies", "constellation", "constellations", "telescope", "planet", "planets"}
    | {"orbit", "orbits", "galaxy", "astronomy", "stargazing", "zodiac", "moons", "astronomer"}
)
# Names that are also adjectives, before a noun: "our Christian families", "Orthodox Christian"
_ADJECTIVES = frozenset({"christian"})
_QUALIFIED = frozenset(
    {"faith", "festival", "church", "community", "family", "worship", "tradition", "calendar"}
    | {"prayer", "hymn", "charity", "symbol", "values", "story", "aid", "belief", "festivals"}
)
# "Harun al-Rashid", "Ibn Sina", "Salah ad-Din", "Musa bin Nusayr": a lineage or article after a
# given name is how history names somebody (a pupil's own surname is matched as a full name)
# (and Welsh: "Llywelyn ap Gruffudd", "Gwenllian ferch Gruffydd")
_LINEAGE = frozenset({"al", "el", "ad", "ar", "as", "an", "ibn", "bin", "bint", "ben", "ap", "ab"})
_LINEAGE_WORDS = frozenset({"ibn", "bin", "bint", "ben", "ap", "ab", "ferch", "verch"})
_MAPPED = frozenset(
    {"shaded", "marked", "coloured", "colored", "highlighted", "circled", "labelled", "labeled"}
    | {"pinned", "located", "outlined", "pictured", "shown"}
)
# "footage of Muhammad Ali", "the life of Grace Kelly": a famous namesake's story
ABOUT_SOMEONE = frozenset(
    {"footage", "video", "videos", "film", "clip", "clips", "photos", "pictures", "life", "story"}
    | {"speech", "speeches", "quote", "quotes", "biography", "portrait", "portraits", "statue"}
)
# A place before one of these is where the journey goes
_ARTICLES = frozenset({"the", "a", "an", "our"})
_JOURNEYS = frozenset({"trip", "trips", "visit", "residential", "exchange", "holiday", "tour"})


@dataclass(slots=True)
class _Scan:
    """What one pass over a text has learnt so far."""

    phrases: set[int]  # positions inside a listed phrase (Grace Darling, Poppy Appeal)
    someone_else: set[str] = field(default_factory=set)  # names already read as not a pupil
    surnames: set[int] = field(default_factory=set)  # Marley in "Jacob Marley": his surname
    cast: frozenset[str] = frozenset()  # characters of the stories the post names
    titled: set[str] = field(default_factory=set)  # names inside a quoted title: characters
    grown: set[str] = field(default_factory=set)  # names read as a grown-up's or a pet's
    alt: bool = False  # an alt text: it says who or what the photo shows


_AWARDS = frozenset(
    {"award", "awards", "certificate", "prize", "trophy", "medal", "cup", "shield", "badge"}
)


def _awarded_in_a_class(text: str, words: list[Word], keys: list[str], first: int, i: int) -> bool:
    """Praise or an award points at the name, and a class follows it: a child, not a place."""
    if not classes.in_a_class(keys, i, text, words):
        return False
    return usage.pointed_at(keys, first) or bool(_AWARDS & set(keys[max(0, first - 4) : first]))


class OthersIndex(SpellingIndex):
    """The register's indexes, with the tests for names that belong to somebody else."""

    def _a_place_here(
        self, text: str, words: list[Word], keys: list[str], first: int, i: int
    ) -> bool:
        """A trip to Chester, postcards from Paris, Florence and Blackpool, Liverpool vs Sydney."""
        if keys[i] not in self._places or words[i].bare != words[i].text:
            return False
        if _awarded_in_a_class(text, words, keys, first, i):
            return False  # "Our kindness award goes to Austin in Year 5"
        if first > 1 and keys[first - 1] == "of" and keys[first - 2] in {"isle", "isles"}:
            return True  # "the Isle of Arran"
        if ctx.at_a_place(keys, first) or self._among_places(text, words, keys, first):
            return True
        if keys[i + 1 : i + 2] and keys[i + 1] in _JOURNEYS and ctx.joined(text, words, i, i + 1):
            return True  # "the Paris trip meeting", "Sydney exchange"
        if self._a_sentence_about_places(text, words, keys, first):
            return True
        if first > 0 and keys[first - 1] == "from" and i + 1 < len(keys) and keys[i + 1] == "to":
            return True  # "from Sydney to the South Pole"
        if any(  # "london w paris & india": after a place read as a place here
            j < first and keys[j] in self._places and self._a_place_here(text, words, keys, j, j)
            for j in ctx.list_neighbours(text, words, keys, first)
        ):
            return True
        return (
            first > 1
            and keys[first - 1] in {"to", "from", "vs", "versus", "and", "or", "w", "with", "n"}
            and self._is_place(keys[first - 2])
        )

    def _a_sentence_about_places(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> bool:
        """ "Paris is the capital of France", "Florence is a city in Italy": a place word or
        another place (no pupil's name) in the sentence, and nothing the name did or has."""
        sentence = setting.sentence_of(words, i)
        if not setting.about_a_place(keys, sentence) and not any(
            n != i and self._is_place(keys[n]) and ctx.capitalised(words[n]) for n in sentence
        ):
            return False
        nxt = keys[i + 1 : i + 3]
        return not (
            # "Mali shaded in on the map" is no child's doing
            (
                sentences.action_follows(text, words, keys, i)
                and nxt[:1] != []
                and nxt[0] not in _MAPPED
            )
            or sentences.personal_pronoun_follows(text, words, keys, i)
            or usage.pointed_at(keys, i)
            or usage.person_predicate(text, words, keys, i)  # "Sydney is a star in the city..."
            # "Sydney has been learning about...", "Sydney was chosen to..."
            or (
                nxt[:1] in (["has"], ["had"], ["was"])
                and sentences.action_follows(text, words, keys, i + 1 + (nxt[1:] == ["been"]))
            )
            # "Florence and Ava wrote...": beside a pupil's name that is no place
            or any(
                keys[j] in self._given_keys and keys[j] not in self._places
                for j in ctx.list_neighbours(text, words, keys, i)
            )
        )

    def _a_film(self, text: str, words: list[Word], keys: list[str], i: int, size: int) -> bool:
        """ "End-of-year treat: Luca on the big screen": a title of one given name in a sentence
        about a film, with nothing there that singles out a child ("Luca loved the film")."""
        return (
            size == 1
            and keys[i] in self._one_word_titles
            and setting.about_a_film(keys, i)
            and not cues.points_at_pupil(text, words, keys, i)
        )

    def _a_grown_up(
        self, text: str, words: list[Word], keys: list[str], first: int, last: int, *, scan: _Scan
    ) -> bool:
        """A grown-up or a pet, by what the words say of the name or of the list it is in
        ("Maria, Ana and Precious from the PTA"); noted, for the name's later mentions."""
        items = {n for n in self._list_of(text, words, keys, first) if keys[n] not in _ARTICLES}
        items |= {first, last}  # ("chef marcus & the kitchen team": the team is no item)
        if not adults.an_adult(text, words, keys, min(items), max(items)):
            return False
        scan.grown.add(keys[first])
        return True

    def _a_title_itself(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A pupil called King or Prince: "King Arthur" is a king."""
        return (
            keys[i] in self._titles
            and i + 1 < len(words)
            and ctx.joined(text, words, i, i + 1)
            and ctx.capitalised(words[i + 1])
        )

    def _after_a_possessive(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Michelangelo's David, Shakespeare's Juliet: somebody's work or character."""
        j = i - 1
        return (
            j >= 0
            and words[j].bare != words[j].text
            and ctx.capitalised(words[j])
            and ctx.joined(text, words, j, i)
            and keys[j] not in self._known_names
        )

    def _after_a_given_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Howard Carter, Louis Sachar: a pupil's first name as somebody's surname."""
        j = i - 1
        return (
            j >= 0
            and ctx.capitalised(words[j])
            and not words[j].in_hashtag
            and ctx.joined(text, words, j, i)
            and keys[j] in self._known_names
            and keys[j] not in self._given_keys
        )

    def _among_places(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "from Paris, Florence, Lincoln and Blackpool": a list with places in it."""
        seen, todo, places = {i}, [i], 0
        while todo:
            n = todo.pop()
            places += keys[n] in self._places
            for m in ctx.list_neighbours(text, words, keys, n):
                # (in lower case too, where the name is: "jordan, amazon, nile")
                if m not in seen and (ctx.capitalised(words[m]) or words[i].text.islower()):
                    seen.add(m)
                    todo.append(m)
        # "Faith, Harper, Eden, Angel, Daisy, Inaya and Safa": mostly children's names
        children = sum(keys[n] in self._given and keys[n] not in self._places for n in seen)
        if 2 * children >= len(seen):
            return False
        return places >= 3 or (
            places >= 2
            and any(ctx.at_a_place(keys, n) or keys[n - 1] in {"to", "from"} for n in seen if n > 0)
        )

    @staticmethod
    def _list_of(text: str, words: list[Word], keys: list[str], i: int) -> set[int]:
        """The other items of the list word i is in ("A, B, C and D"), capitalised ones only
        (or lower-case ones, where word i is in lower case: "george, andrew, david n patrick")."""
        lower = words[i].text.islower()
        seen, todo, initials = {i}, [i], set()
        while todo:
            n = todo.pop()
            for near in ctx.list_neighbours(text, words, keys, n):
                if near in initials or near in seen:
                    continue
                # "nancy m & winnie": the item is the name before the initial
                m = near - 1 if _an_initial(text, words, near) else near
                if m not in seen and (ctx.capitalised(words[m]) or lower):
                    seen.add(m)
                    todo.append(m)
                    if _an_initial(text, words, m + 1):
                        initials.add(m + 1)
                        todo.append(m + 1)  # ...and the list runs on after it
            if n == i and _an_initial(text, words, i + 1):
                initials.add(i + 1)
                todo.append(i + 1)
        return seen - {i}

    def _beside_the_famous(self, words: list[Word], keys: list[str], i: int) -> bool:
        """Another famous person (no pupil's name) is named in word i's sentence."""
        for n in setting.sentence_of(words, i):
            for phrase in self._famous_people.get(keys[n], ()):
                if (
                    n != i
                    and tuple(keys[n : n + len(phrase)]) == phrase
                    and phrase not in self._famous_full
                ):
                    return True
        return False

    def _listed_as_others(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A list that a word for others introduces: "prophets shared by Judaism, Christianity
        and Islam: Adam, Noah, Ibrahim (Abraham)", "saints such as Patrick"."""
        first = min(self._list_of(text, words, keys, i) | {i})
        if first < 1:
            return False
        if keys[first - 1] in _OTHERS and ctx.joined(text, words, first - 1, first):
            return True  # "the Prophets Musa and Isa": a plural title before the names
        lead = ctx.gap(text, words, first - 1, first)
        introduced = (
            ":" in lead
            or lead.strip() in {"-", "–", "—"}
            or keys[first - 1] in {"including", "like"}
            or keys[max(0, first - 2) : first] == ["such", "as"]
        )
        if not introduced:
            return False
        return any(keys[n] in _OTHERS for n in range(max(0, first - 10), first))

    def _in_the_sky(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "Leo rises in the east, and Sirius is the brightest star in the sky"."""
        return (
            keys[i] in self._sky
            and any(keys[n] in _SKY_WORDS for n in setting.sentence_of(words, i) if n != i)
            and not sentences.action_follows(text, words, keys, i)
            and not cues.points_at_pupil(text, words, keys, i, strong_only=True)
            and not any(  # "Leo and Mia drew the night sky": beside a pupil's name
                keys[j] in self._given_keys and keys[j] not in self._sky
                for j in ctx.list_neighbours(text, words, keys, i)
            )
        )

    @staticmethod
    def _an_adjective(text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "our Christian families", "the Christian calendar"; not "Christian scored"."""
        if i + 1 >= len(words):
            return False  # "Well done Christian"
        nxt = keys[i + 1]
        return (
            keys[i] in _ADJECTIVES
            and words[i + 1].text.islower()
            and ctx.joined(text, words, i, i + 1)
            and (nxt in _QUALIFIED or (len(nxt) > 3 and nxt.endswith("s") and nxt[-2:] != "ss"))
            and not sentences.action_follows(text, words, keys, i)
        )

    @staticmethod
    def _a_lineage(text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "Harun al-Rashid", "Llywelyn ap Gruffudd": the name before a lineage, and the
        father's name after "ap", "ibn" or "bin"."""
        if (
            i > 1
            and keys[i - 1] in _LINEAGE_WORDS
            and ctx.capitalised(words[i - 2])
            and ctx.joined(text, words, i - 2, i - 1)
            and not cues.points_at_pupil(text, words, keys, i, strong_only=True)
        ):
            return True
        j = i + 1
        if j + 1 >= len(words) or keys[j] not in _LINEAGE or not ctx.joined(text, words, i, j):
            return False
        joiner = ctx.gap(text, words, j, j + 1)
        if cues.points_at_pupil(text, words, keys, j + 1, strong_only=True) and (
            keys[j + 2 : j + 3] != ["who"] or usage.praised(keys, i)
        ):
            return False  # "Ibrahim bin Ali from Year 3 won" ("Fatima al-Fihri, who founded")
        if keys[j] in _LINEAGE_WORDS:
            return joiner.isspace() and ctx.capitalised(words[j + 1])
        return joiner == "-" and words[j].text.islower()  # "al-Rashid", not "Al" as a name

    def _in_a_list_of_others(
        self, text: str, words: list[Word], keys: list[str], i: int, scan: _Scan
    ) -> bool:
        """A list item beside a title, a place that is no pupil's name, or a proper noun that is
        nobody's name: "Matilda, The BFG or Fantastic Mr Fox", "Jewish, Christian and Muslim",
        "Odin, Thor, Loki and Freya"."""
        if keys[i + 1 : i + 2] == ["as"] or classes.in_a_class(keys, i, text, words):
            return False  # "Ivy as Mary, Kemar as Joseph", "Isaac Newton, Isaac in Y1": a child
        items = self._list_of(text, words, keys, i)
        if items and all(j < i for j in items) and _a_clause_opens(text, words, keys, i):
            return False  # "...to count in Romanian, Hodan led a clapping song"
        first = min(items | {i})
        if items and first > 0 and keys[first - 1] == "as":
            return True  # "practising as Mary, Joseph and the Angel Gabriel": the parts
        if i > 0 and ctx.capitalised(words[i - 1]) and ctx.joined(text, words, i - 1, i):
            # the surname of a two-word item: "Mary Seacole and Ilhan Omar"
            items |= self._list_of(text, words, keys, i - 1)
        # "Matilda, Gruffalo, Harry Potter and Paddington"; not a new clause: "Isla chose
        # Eleanor Rathbone and George chose George Harrison"
        if any(j in scan.phrases for j in items) and not (
            all(j < i for j in items) and sentences.action_follows(text, words, keys, i)
        ):
            return True
        for j in ctx.list_neighbours(text, words, keys, i):
            key, word = keys[j], words[j]
            if self._is_place(key):
                return True
            # "Matilda, The BFG or Fantastic Mr Fox": a list of titles
            if (
                j > i
                and key in {"the", "a", "an"}
                and ctx.capitalised(word)
                and not word.sentence_start
            ):
                return True
            if (
                ctx.capitalised(word)
                and key not in self._known_names
                and key not in self._titles
                and not self._dictionary.is_ordinary_word(word.bare)
                and self._dictionary.knows(word.bare)
                and not self._near(word, key, text)  # Muhammad beside Olivai: both pupils
            ):
                return True
            # "Joy, Sadness, Anger and Fear": a list of capitalised things, three or more
            if (
                ctx.capitalised(word)
                and not word.sentence_start
                and key not in self._given_keys
                and self._dictionary.is_ordinary_word(word.bare)
                and len(ctx.list_neighbours(text, words, keys, j)) == 2
            ):
                return True
        return False


def _a_clause_opens(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """What the name did follows it (after a surname's initial, perhaps): "Hodan led...",
    "Ionut L asked...", so the name opens a clause of its own, no list item."""
    j = i + 1 if _an_initial(text, words, i + 1) else i
    return sentences.action_follows(text, words, keys, j, doing=False)


def _an_initial(text: str, words: list[Word], n: int) -> bool:
    """Word n is a surname's initial after a name: "nancy m", "Grace P"."""
    return (
        0 < n < len(words)
        and len(words[n].text) == 1
        and words[n].text.isalpha()
        and words[n].text.lower() not in {"a", "i", "n"}
        and ctx.joined(text, words, n - 1, n)
    )
