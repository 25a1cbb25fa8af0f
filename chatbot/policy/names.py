"""Finding pupils' names in text: posts, alt text, and (for the safeguarding monitors) follower
names and bios.

Full, first and preferred names are matched; accents are ignored (Zoe/Zoë); small typos
(Olivai) and spelling variants that sound alike (Mohammed/Muhammad) count for names that are not
ordinary words. A name that is also an ordinary word (Summer, Grace, Will) counts only when it
is used as a name: capitalised away from the start of a sentence, or followed by the surname.
A word after a title (Mrs Patel) is a member of staff, not a pupil.

Matches carry the pupil and the words as written: fine to show staff, never to log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from chatbot.domain.pupils import Pupil
from chatbot.policy.dictionary import Dictionary, load_dictionary
from chatbot.policy.text import TextAnalysis, Word, fold, split_words, strip_possessive

DEFAULT_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Prof")

FULL = "full name"
FIRST = "first name"
PREFERRED = "preferred name"
CLOSE = "close spelling"
SOUNDS_LIKE = "sounds like"


@dataclass(frozen=True, slots=True)
class NameMatch:
    pupil: Pupil
    matched: str  # the words as written in the text
    start: int
    end: int
    how: str  # FULL, FIRST, PREFERRED, CLOSE or SOUNDS_LIKE

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Entry:
    pupil: Pupil
    keys: tuple[str, ...]  # folded words of the name
    how: str
    ordinary: bool  # a one-word given name that is also an ordinary word


def _name_keys(name: str) -> tuple[str, ...]:
    return tuple(fold(part) for part in split_words(name))


def _phonetic(key: str) -> str:
    return str(jellyfish.metaphone(key))


class NameMatcher:
    """Built once for a register (indexes are made here); `find` is cheap per text."""

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
    ) -> None:
        self._dictionary = dictionary or load_dictionary()
        self._titles = frozenset(fold(t) for t in titles)
        self._ignore = frozenset(fold(w) for w in ignore_words)
        self._fuzzy_min = fuzzy_min_length
        self._fuzzy_edits = fuzzy_max_edits
        self._phonetic_min = phonetic_min_length
        self._phonetic_similarity = phonetic_min_similarity
        self._not_variants = frozenset(fold(w) for w in not_variants)
        self._staff = [keys for name in staff_names if (keys := _name_keys(name))]

        self._by_first_key: dict[str, list[_Entry]] = defaultdict(list)
        self._given: dict[str, list[_Entry]] = defaultdict(list)  # one-word given names
        self._phonetic_index: dict[str, list[_Entry]] = defaultdict(list)
        ordinary_cache: dict[str, bool] = {}
        for pupil in pupils:
            last = _name_keys(pupil.last_name)
            givens = [(pupil.first_name, FIRST)]
            if pupil.preferred_name and fold(pupil.preferred_name) != fold(pupil.first_name):
                givens.append((pupil.preferred_name, PREFERRED))
            for given, how in givens:
                keys = _name_keys(given)
                if not keys:
                    continue
                if last:
                    full = _Entry(pupil, keys + last, FULL, ordinary=False)
                    self._by_first_key[keys[0]].append(full)
                ordinary = False
                if len(keys) == 1:
                    if keys[0] not in ordinary_cache:
                        ordinary_cache[keys[0]] = self._dictionary.is_ordinary_word(given)
                    ordinary = ordinary_cache[keys[0]]
                entry = _Entry(pupil, keys, how, ordinary)
                self._by_first_key[keys[0]].append(entry)
                if len(keys) == 1 and not ordinary:
                    self._given[keys[0]].append(entry)
                    if len(keys[0]) >= self._phonetic_min:
                        code = _phonetic(keys[0])
                        if len(code) >= 3:  # shorter codes (Zoe -> S) match too much
                            self._phonetic_index[code].append(entry)
        # longest names first, so "Zoe Smith" wins over "Zoe"
        for entries in self._by_first_key.values():
            entries.sort(key=lambda e: -len(e.keys))
        self._fuzzy_choices = [k for k in self._given if len(k) >= self._fuzzy_min]

    # -- matching --------------------------------------------------------------------------

    def find(self, text: str | TextAnalysis) -> list[NameMatch]:
        """Every place in `text` where a pupil's name appears, in text order."""
        analysis = text if isinstance(text, TextAnalysis) else TextAnalysis(text)
        matches = self._find_in(analysis.text, list(analysis.words))
        for tag_words in _group_by_hashtag(analysis):
            matches.extend(self._find_in(analysis.text, tag_words))
        return sorted(matches, key=lambda m: (m.start, m.pupil.full_name))

    def _find_in(self, text: str, words: list[Word]) -> list[NameMatch]:
        keys = [fold(strip_possessive(w.text)) for w in words]
        skip = self._staff_positions(keys)
        found: list[NameMatch] = []
        i = 0
        while i < len(words):
            if i in skip or keys[i] in self._ignore or self._after_title(words, keys, i):
                i += 1
                continue
            length, matches = self._exact(words, keys, i, text)
            if not matches:
                matches = self._near(words[i], keys[i], text)
                length = 1
            found.extend(matches)
            i += max(length, 1)
        return found

    def _exact(
        self, words: list[Word], keys: list[str], i: int, text: str
    ) -> tuple[int, list[NameMatch]]:
        best = 0
        out: list[NameMatch] = []
        for entry in self._by_first_key.get(keys[i], ()):
            size = len(entry.keys)
            if size < best or tuple(keys[i : i + size]) != entry.keys:
                continue
            if entry.ordinary and not _used_as_name(words[i]):
                continue
            if size > best:
                best, out = size, []
            start = words[i].start
            end = words[i + size - 1].start + len(strip_possessive(words[i + size - 1].text))
            out.append(NameMatch(entry.pupil, text[start:end], start, end, entry.how))
        return best, out

    def _near(self, word: Word, key: str, text: str) -> list[NameMatch]:
        """Typos and sound-alike spellings: only capitalised words that are not ordinary words
        (a proper noun in the dictionary, like Muhammad, still counts)."""
        bare = strip_possessive(word.text)
        if len(key) < self._phonetic_min or not bare[:1].isupper() or key in self._not_variants:
            return []
        if self._dictionary.is_ordinary_word(bare):
            return []
        entries: list[_Entry] = []
        how = CLOSE
        if len(key) >= self._fuzzy_min and self._fuzzy_edits:
            for choice, _score, _index in process.extract(
                key,
                self._fuzzy_choices,
                scorer=OSA.distance,  # a swap of two letters is one edit
                score_cutoff=self._fuzzy_edits,
                limit=None,
            ):
                entries.extend(self._given[choice])
        if not entries:
            # sounds alike and looks alike: Monday/Mandy, Friday/Freddie only sound alike
            entries = [
                e
                for e in self._phonetic_index.get(_phonetic(key), [])
                if JaroWinkler.similarity(key, e.keys[0]) >= self._phonetic_similarity
            ]
            how = SOUNDS_LIKE
        end = word.start + len(bare)
        return [NameMatch(e.pupil, text[word.start : end], word.start, end, how) for e in entries]

    def _after_title(self, words: list[Word], keys: list[str], i: int) -> bool:
        # "Miss" is a title only when capitalised: "we will miss Zoe" names a pupil.
        return i > 0 and keys[i - 1] in self._titles and words[i - 1].text[:1].isupper()

    def _staff_positions(self, keys: list[str]) -> set[int]:
        positions: set[int] = set()
        for staff in self._staff:
            size = len(staff)
            for i in range(len(keys) - size + 1):
                if tuple(keys[i : i + size]) == staff:
                    positions.update(range(i, i + size))
        return positions


def _used_as_name(word: Word) -> bool:
    """An ordinary word (Summer, Will) is a name only capitalised away from a sentence start."""
    letters = strip_possessive(word.text)
    return letters[:1].isupper() and not letters.isupper() and not word.sentence_start


def _group_by_hashtag(analysis: TextAnalysis) -> list[list[Word]]:
    groups: dict[int, list[Word]] = {}
    for word in analysis.hashtag_words:
        tag = next(t for t in analysis.hashtags if t.start <= word.start < t.end)
        groups.setdefault(tag.start, []).append(word)
    return list(groups.values())
