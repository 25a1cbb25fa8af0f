"""The indexes of a register's names, built once per register: every pupil's names by their
first word, the one-word given names for typos and sound-alikes, each first name's surnames, and
the policy's lists (titles, places, other given names, phrases) folded for look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from chatbot.domain.folding import fold
from chatbot.domain.pupils import Pupil
from chatbot.policy.dictionary import Dictionary, load_dictionary
from chatbot.policy.hashtag_words import HashtagSplitter
from chatbot.policy.text import Word, split_words, strip_possessive

DEFAULT_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Prof")

FULL = "full name"
FIRST = "first name"
PREFERRED = "preferred name"
CLOSE = "close spelling"
SOUNDS_LIKE = "sounds like"


@dataclass(frozen=True, slots=True)
class _Entry:
    pupil: Pupil
    keys: tuple[str, ...]  # folded words of the name
    how: str
    ordinary: bool  # a one-word given name that is also an ordinary word


@dataclass(frozen=True, slots=True)
class NameMatch:
    pupil: Pupil
    matched: str  # the words as written in the text
    start: int
    end: int
    how: str  # FULL, FIRST, PREFERRED, CLOSE or SOUNDS_LIKE
    unsure: bool = False  # context cannot tell whether a pupil is meant: ask the author

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _name_parts(name: str) -> list[str]:
    """The words of a name, hyphenated ones apart: Amelia-Rose -> Amelia, Rose."""
    return [part for word in split_words(name) for part in word.split("-") if part]


def _name_keys(name: str) -> tuple[str, ...]:
    return tuple(fold(strip_possessive(part)) for part in _name_parts(name))


def full_name_keys(pupil: Pupil) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The folded words of each full name a pupil goes by, as (given, surname): the first or
    preferred name with the surname. None for a pupil without a surname."""
    last = _name_keys(pupil.last_name)
    if not last:
        return set()
    givens = {pupil.first_name, pupil.preferred_name} - {""}
    return {(keys, last) for given in givens if (keys := _name_keys(given))}


@lru_cache(maxsize=8)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    """A policy list's words folded, once per list (shared by the engines of one policy)."""
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=8)
def _long_names(names: tuple[str, ...]) -> frozenset[str]:
    """Given names long enough to be a hashtag's piece (shared by the engines of one policy)."""
    return frozenset(k for k in _folded(names) if len(k) >= 5)


@lru_cache(maxsize=8)
def _phrase_index(phrases: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first word (shared by the engines of one policy)."""
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in phrases:
        if keys := _name_keys(phrase):
            index[keys[0]].append(keys)
    return dict(index)


@lru_cache(maxsize=8)
def _possessive_phrases(phrases: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The phrases whose first word is a possessive (Noah's Ark): only these match "Noah's"."""
    out = set()
    for phrase in phrases:
        parts = _name_parts(phrase)
        if parts and strip_possessive(parts[0]) != parts[0]:
            out.add(_name_keys(phrase))
    return frozenset(out)


# cue's first word -> (the cue's words, only when capitalised, the characters' first names)
_CastIndex = dict[str, list[tuple[tuple[str, ...], bool, frozenset[str]]]]


@lru_cache(maxsize=8)
def _cast_index(lines: tuple[str, ...], is_word: Callable[[str], bool]) -> _CastIndex:
    """The casts list ("cues: characters") by each cue's first word. A cue that is one ordinary
    word (Frozen, Tudors) counts only capitalised or in a hashtag, unless the list writes it in
    lower case (nativity, surah: a word that names the story however it is written)."""
    index: _CastIndex = defaultdict(list)
    for line in lines:
        cue_part, _, cast_part = line.rpartition(":")
        cast = frozenset(k for name in cast_part.split(",") for k in _name_keys(name)[:1])
        for written in cue_part.split(";"):
            if keys := _name_keys(written):
                cue = written.strip()
                single_word = len(keys) == 1 and not cue.islower() and is_word(cue)
                index[keys[0]].append((keys, single_word, cast))
    return dict(index)


def _phonetic(key: str) -> str:
    return str(jellyfish.metaphone(key))


def _plain(name: str) -> str:
    """Without doubled letters or a silent final h or e, with f for ph: Hannah -> hana,
    Isabelle -> isabel, Sophia -> sofia."""
    name = name.replace("ph", "f")  # Sophia/Sofia, Steph/Stef
    out = "".join(c for n, c in enumerate(name) if n == 0 or c != name[n - 1])
    # only where enough is left: Anne is not Ánh, Jane is not Jan
    if out.endswith("h") and len(out) > 3:
        out = out[:-1]
    if out.endswith("e") and len(out) > 4:
        out = out[:-1]
    return out


def _pet_ending(name: str) -> str:
    """Zoe/Zoey, Millie/Milly/Milley: the same name with its ending spelt another way."""
    for ending in ("ey", "ie", "y"):
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return _plain(name[: -len(ending)]) + "~"
    if name.endswith("oe"):
        return name[:-1] + "~"  # Zoe/Zoey, Chloe/Chloey
    return name


def _same_name(key: str, name: str) -> bool:
    """Two spellings of one name, not two names: Hanna/Hannah, Isabel/Isabelle, Mohammed/
    Muhammad (alike in sound and in their last letter); not Elsa/Elsie or Elle/Ella."""
    if _plain(key) == _plain(name) or _pet_ending(key) == _pet_ending(name):
        return True
    code = _phonetic(key)
    return len(code) >= 3 and code == _phonetic(name) and key[-1] == name[-1]


# Victoria -> Victorian, George -> Georgian, Elizabeth -> Elizabethan, Jacob -> Jacobean. (An
# added "s" still counts: "Zoes painting" is a possessive with its apostrophe left out.)
_DERIVED_ENDINGS = ("n", "an", "ian", "ean", "ns", "ans", "ians", "eans")


def _derived(key: str, name: str) -> bool:
    # the name's last letter gives way to the ending only where it is a vowel (George ->
    # Georgian): Ridwaan is a spelling of Ridwan, not an adjective
    for stem in (name, name[:-1]) if name[-1:] in "aeiouy" else (name,):
        ending = key[len(stem) :]
        if key.startswith(stem) and ending in _DERIVED_ENDINGS:
            # a bare "n" only after a vowel (Victorian): Finnn is a slip of Finn
            if ending in ("n", "ns") and stem[-1:] not in "aeiouy":
                continue
            return True
    return False


class NameIndex:
    """Built once for a register; the matcher (names.NameMatcher) reads it for every text."""

    def __init__(
        self,
        pupils: Iterable[Pupil],
        *,
        staff_names: Iterable[str] = (),
        titles: Sequence[str] = DEFAULT_TITLES,
        ignore_words: Iterable[str] = (),
        dictionary: Dictionary | None = None,
        fuzzy_min_length: int = 5,
        fuzzy_max_edits: int = 1,
        phonetic_min_length: int = 4,
        phonetic_min_similarity: float = 0.8,
        not_variants: Iterable[str] = (),
        not_pupils: Iterable[str] = (),
        royal_titles: Iterable[str] = (),
        places: Iterable[str] = (),
        given_names: Iterable[str] = (),
        casts: Iterable[str] = (),
        lower_case_words: Iterable[str] = (),
        one_word_titles: Iterable[str] = (),
        pet_names: Iterable[str] = (),
        famous_people: Iterable[str] = (),
        sky_names: Iterable[str] = (),
    ) -> None:
        self._dictionary = dictionary or load_dictionary()
        self._titles = frozenset(fold(t) for t in (*titles, *royal_titles))
        self._places = _folded(tuple(p for p in places if " " not in p))
        self._ignore = frozenset(fold(w) for w in ignore_words)
        # words of other languages (noor, barakah): in lower case a word, not a name
        self._lower_words = frozenset(fold(w) for w in lower_case_words)
        self._one_word_titles = frozenset(fold(w) for w in one_word_titles)
        self._sky = frozenset(fold(w) for w in sky_names)
        self._fuzzy_min = fuzzy_min_length
        self._fuzzy_edits = fuzzy_max_edits
        self._phonetic_min = phonetic_min_length
        self._phonetic_similarity = phonetic_min_similarity
        self._not_variants = frozenset(fold(w) for w in not_variants)
        # Word sequences that are never a pupil: staff names, and phrases such as Noah's Ark.
        self._not_pupils = _phrase_index(tuple(not_pupils))
        self._possessive_phrases = _possessive_phrases(tuple(not_pupils))
        self._staff = _phrase_index(tuple(staff_names))
        self._staff_titles = frozenset(fold(t) for t in titles)

        self._by_first_key: dict[str, list[_Entry]] = defaultdict(list)
        self._given: dict[str, list[_Entry]] = defaultdict(list)  # one-word given names
        self._word_given: dict[str, list[_Entry]] = defaultdict(list)  # ...that are words
        self._dated_given: dict[str, list[_Entry]] = defaultdict(list)  # ...months, seasons
        self._phonetic_index: dict[str, list[_Entry]] = defaultdict(list)
        surnames, surnames_of = self._index(pupils)
        self._famous_people = _phrase_index(tuple(famous_people))
        self._set_famous_full()
        self._surnames = frozenset(surnames)
        self._surnames_of = {k: frozenset(v) for k, v in surnames_of.items()}
        self._given_keys = frozenset(self._by_first_key)
        # Somebody's name: never a typo of a pupil's one (Elle is not a slip for Ella).
        self._known_names = _folded(tuple(given_names)) | self._given_keys
        self._casts = _cast_index(tuple(casts), self._dictionary.is_ordinary_word)
        # the words of listed phrases are pieces too: #marcusrashford is Marcus Rashford, not
        # "marcus rash ford"
        phrase_words = frozenset(k for ps in self._not_pupils.values() for p in ps for k in p)
        # ...and so are other people's names: #ramadankareem is not "ramadan ka reem"
        self._splitter = HashtagSplitter(
            self._is_word_any_case,
            self._given_keys,
            extra=phrase_words | _long_names(tuple(given_names)),
        )
        # pet form -> the one-word given-name entries it may stand for (Izzy -> Isabella)
        self._pets: dict[str, list[_Entry]] = defaultdict(list)
        for line in pet_names:
            pets, _, fulls = line.partition(":")
            targets = {fold(n.strip()) for n in fulls.split(",") if n.strip()}
            entries = [
                e
                for t in targets
                for e in self._by_first_key.get(t, ())
                if len(e.keys) == 1 and e.how != FULL
            ]
            for pet in pets.split(","):
                if (key := fold(pet.strip())) and key not in self._given_keys:
                    self._pets[key].extend(entries)
        # longest names first, so "Zoe Smith" wins over "Zoe"
        for entries in self._by_first_key.values():
            entries.sort(key=lambda e: -len(e.keys))
        self._set_slips()
        self._by_plain: dict[str, list[str]] = defaultdict(list)
        self._by_pet: dict[str, list[str]] = defaultdict(list)  # "mil~" -> ["millie"]
        for given in self._given:
            self._by_plain[_plain(given)].append(given)
            self._by_pet[_pet_ending(given)].append(given)
        # Word-names (Jasmine, Hazel, Ollie) get no typos, only other spellings of the same name
        # that are no word themselves (Jasmin, Olly: with another pet ending)
        self._word_names_by_plain: dict[str, list[_Entry]] = defaultdict(list)
        for key, entries in self._by_first_key.items():
            for e in entries:
                if e.ordinary and len(e.keys) == 1 and key not in self._not_variants:
                    self._word_names_by_plain[_plain(key)].append(e)
                    if (pet := _pet_ending(key)) != key:
                        self._word_names_by_plain[pet].append(e)

    def _set_slips(self) -> None:
        """The names a typo is looked for among (longer names only; word-names only where
        praise points at the word)."""
        self._fuzzy_choices = [k for k in self._given if len(k) >= self._fuzzy_min]
        # where the words point at a child: word-names (a month's or season's too: "Well done
        # to Autmn" is no time of year), and short names from four letters
        self._pointed_choices = [
            *(k for k in (*self._word_given, *self._dated_given) if len(k) >= 4),
            *(k for k in self._given if len(k) >= 4),
        ]
        # two letters swapped in a four-letter name (Jakc, Alxe), or in a word-name, which gets
        # no other slips (Pheobe): never a word or a name
        self._swapped: dict[str, list[str]] = defaultdict(list)
        for name in (
            *(k for k in self._given if len(k) == 4),
            *self._word_given,
            *self._dated_given,
        ):
            if len(name) >= 4:
                for swapped in _swaps(name):
                    self._swapped[swapped].append(name)
        # ...and in a three-letter one (Mie for Mei), only where the words single out a child
        self._swapped_short: dict[str, list[str]] = defaultdict(list)
        for name in (k for k in self._given if len(k) == 3):
            for swapped in _swaps(name):
                self._swapped_short[swapped].append(name)
        # Short names (Zoe, Noah) are too short for edits in general: only a letter added or
        # left out at the end counts (Zoey, Zoes, Noa), not inside (Lego is not Leo).
        self._short = frozenset(k for k in self._given if 3 <= len(k) < self._fuzzy_min)
        self._short_by_stem: dict[str, list[str]] = defaultdict(list)  # "noa" -> ["noah"]
        for short in self._short:
            self._short_by_stem[short[:-1]].append(short)

    def _set_famous_full(self) -> None:
        """A pupil whose full name is also a listed phrase (a footballer's, a character's) is
        still the pupil: such phrases are dropped for this register, and kept aside for the
        sentences that say the famous one is meant ("in 1996", beside other famous people)."""
        full = {e.keys for es in self._by_first_key.values() for e in es if e.how == FULL}
        self._famous_full = frozenset(
            p for k in self._by_first_key for p in self._not_pupils.get(k, ()) if p in full
        )
        if self._famous_full:
            self._not_pupils = {
                k: [p for p in phrases if p not in full] for k, phrases in self._not_pupils.items()
            }

    def _index(self, pupils: Iterable[Pupil]) -> tuple[set[str], dict[str, set[str]]]:
        """Every pupil's names by their first word; returns all surnames, and the surnames of
        each first name."""
        ordinary_cache: dict[str, bool] = {}
        surnames: set[str] = set()
        surnames_of: dict[str, set[str]] = defaultdict(set)  # first-name key -> surname keys
        for pupil in pupils:
            last = _name_keys(pupil.last_name)
            surnames.update(last)
            givens = [(pupil.first_name, FIRST)]
            if pupil.preferred_name and fold(pupil.preferred_name) != fold(pupil.first_name):
                givens.append((pupil.preferred_name, PREFERRED))
            for given, how in givens:
                parts = _name_parts(given)
                keys = tuple(fold(part) for part in parts)
                if not keys:
                    continue
                surnames_of[keys[0]].update(last)
                if last:
                    full = _Entry(pupil, keys + last, FULL, ordinary=False)
                    self._by_first_key[keys[0]].append(full)
                if len(keys) > 1:
                    # Amelia-Rose or Mary Jane: the whole name, and the first part on its own
                    self._by_first_key[keys[0]].append(_Entry(pupil, keys, how, ordinary=False))
                    keys = keys[:1]
                if keys[0] not in ordinary_cache:
                    # a month or season (June, Summer) is a word like Grace or Will
                    ordinary_cache[keys[0]] = keys[0] in self._not_variants or (
                        self._dictionary.is_ordinary_word(parts[0])
                    )
                ordinary = ordinary_cache[keys[0]]
                entry = _Entry(pupil, keys, how, ordinary)
                self._by_first_key[keys[0]].append(entry)
                if ordinary and keys[0] not in self._not_variants:
                    self._word_given[keys[0]].append(entry)  # Precious, Hazel
                elif ordinary:
                    self._dated_given[keys[0]].append(entry)  # Summer, June
                if not ordinary:
                    self._given[keys[0]].append(entry)
                # a spelling that sounds the same, of a word-name too: Jazmine for Jasmine
                if len(keys[0]) >= self._phonetic_min and keys[0] not in self._not_variants:
                    code = _phonetic(keys[0])
                    if len(code) >= 3:  # shorter codes (Zoe -> S) match too much
                        self._phonetic_index[code].append(entry)
        return surnames, surnames_of

    # -- matching --------------------------------------------------------------------------

    def _cast_of(self, words: Iterable[Word]) -> frozenset[str]:
        """The characters of every story that these words (a post's, hashtags included) name."""
        cast: set[str] = set()
        words = list(words)
        keys = [fold(strip_possessive(w.text)) for w in words]
        for i, key in enumerate(keys):
            for cue, capitalised_only, characters in self._casts.get(key, ()):
                if tuple(keys[i : i + len(cue)]) != cue:
                    continue
                if capitalised_only and not (words[i].in_hashtag or words[i].text[:1].isupper()):
                    continue
                cast |= characters
        return frozenset(cast)

    def _is_place(self, key: str) -> bool:
        return key in self._places and key not in self._given_keys

    def _is_word_any_case(self, piece: str) -> bool:
        return self._dictionary.knows(piece) or self._dictionary.knows(piece.capitalize())


def _swaps(name: str) -> set[str]:
    """The name with two neighbouring letters swapped, each way it differs."""
    out = {name[:n] + name[n + 1] + name[n] + name[n + 2 :] for n in range(len(name) - 1)}
    return out - {name}
