"""Slips of a pupil's name: a surname a letter out ("Ava Smtih"), and typos and sound-alike
spellings of a given name (Olivai, Mohammed for Muhammad) that are themselves no word, no other
known name and no plural or adjective of the name (Victorian is not Victoria)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from chatbot.policy import name_context as ctx
from chatbot.policy import name_cues as cues
from chatbot.policy.name_index import (
    CLOSE,
    FULL,
    SOUNDS_LIKE,
    NameIndex,
    NameMatch,
    _derived,
    _Entry,
    _pet_ending,
    _phonetic,
    _plain,
    _same_name,
)
from chatbot.policy.text import Word, strip_possessive

_SPELLING_SIMILARITY = 0.84  # Ayesha/Aisha 0.84; Jake/Jack 0.87 are kept apart by length


class SpellingIndex(NameIndex):
    """The register's indexes, with the look-ups for slips of a name."""

    def _close_full_name(
        self, words: list[Word], keys: list[str], i: int, text: str
    ) -> tuple[int, list[NameMatch]]:
        """A first name with a slip in the surname: "Ava Smtih" is still Ava Smith."""
        j = i + 1
        if j >= len(words) or len(keys[j]) < 4 or not ctx.joined(text, words, i, j):
            return 0, []
        out = []
        for entry in self._by_first_key.get(keys[i], ()):
            if entry.how != FULL or len(entry.keys) != 2:
                continue
            # (the exact name was read already: it may have been somebody else's)
            if 0 < OSA.distance(keys[j], entry.keys[1]) <= self._fuzzy_edits:
                start, end = words[i].start, words[j].start + len(words[j].bare)
                out.append(NameMatch(entry.pupil, text[start:end], start, end, CLOSE))
        if not out:
            out = self._slip_before_a_surname(words, keys, i, text)
        return (2, out) if out else (0, [])

    @cached_property
    def _full_by_surname(self) -> dict[str, list[_Entry]]:
        by_surname: dict[str, list[_Entry]] = defaultdict(list)
        for entries in self._by_first_key.values():
            for entry in entries:
                if entry.how == FULL and len(entry.keys) == 2:
                    by_surname[entry.keys[1]].append(entry)
        return by_surname

    def _slip_before_a_surname(
        self, words: list[Word], keys: list[str], i: int, text: str
    ) -> list[NameMatch]:
        """ "Harpeet Kaur", "Marvelous Appiah": a slip of a pupil's first name before that
        pupil's own surname, written in the same case. A word before it counts only as another
        spelling of the same name (Will Smith is no slip for a Bill Smith)."""
        j = i + 1
        first, last = words[i].text, strip_possessive(words[j].text)
        if len(keys[i]) < 4 or first[:1].isupper() != last[:1].isupper():
            return []
        ordinary = self._dictionary.is_ordinary_word(first)
        out = []
        for entry in self._full_by_surname.get(keys[j], ()):
            name = entry.keys[0]
            if name == keys[i] or len(name) < 4:
                continue
            start, end = words[i].start, words[j].start + len(last)
            if _plain(name) == _plain(keys[i]) or (
                not ordinary and OSA.distance(keys[i], name) <= self._fuzzy_edits
            ):
                out.append(NameMatch(entry.pupil, text[start:end], start, end, CLOSE))
            elif not ordinary and self._another_spelling(keys[i], name):
                # "Ayesha Anwar" for Aisha Anwar: the same name spelt another way? Ask.
                match = NameMatch(entry.pupil, text[start:end], start, end, CLOSE, unsure=True)
                out.append(match)
        return out

    def _another_spelling(self, key: str, name: str) -> bool:
        """Two edits apart, alike from the first letter on: Ayesha and Aisha, Rukayah and
        Ruqayyah (longer names only: Jake is no spelling of Jack)."""
        return (
            bool(self._fuzzy_edits)
            and min(len(key), len(name)) >= self._fuzzy_min
            and key[0] == name[0]
            and OSA.distance(key, name) <= 2 * self._fuzzy_edits
            and JaroWinkler.similarity(key, name) >= _SPELLING_SIMILARITY
        )

    def _near(
        self,
        word: Word,
        key: str,
        text: str,
        *,
        words_too: bool = False,
        lower_too: bool = False,
        known_too: bool = False,
    ) -> list[NameMatch]:
        """Typos and sound-alike spellings of names that are not ordinary words, in capitalised
        words that are themselves no word, no other name and no plural or adjective of the
        name (Victorian is not Victoria); a spelling that sounds the same still counts
        (Mohammed for Muhammad)."""
        bare = strip_possessive(word.text)
        if len(key) < 3 or not (bare[:1].isupper() or lower_too) or key in self._not_variants:
            return []
        if not bare[1:].islower():
            return []  # SATs, iPad, BBC: no slip of a name
        if key in self._surnames:
            return []  # Johnson is a surname, not a slip for Jenson
        ordinary = self._dictionary.is_ordinary_word(bare)
        if ordinary and not words_too:
            return []
        entries: list[_Entry] = []
        how = CLOSE
        if self._fuzzy_edits:
            shorts = [key[:-1]] if key[:-1] in self._short else []
            variants = [  # Hanna/Hana, Milly/Millie
                k
                for k in (
                    *self._by_plain.get(_plain(key), ()),
                    *self._by_pet.get(_pet_ending(key), ()),
                )
                if k != key
            ]
            for choice in dict.fromkeys((*shorts, *self._short_by_stem.get(key, ()), *variants)):
                entries.extend(self._given[choice])
        if len(key) >= self._fuzzy_min and self._fuzzy_edits:
            for choice, _score, _index in process.extract(
                key,
                self._fuzzy_choices,
                scorer=OSA.distance,  # a swap of two letters is one edit
                score_cutoff=self._fuzzy_edits,
                limit=None,
            ):
                entries.extend(self._given[choice])
        swapped: list[_Entry] = []  # a word's swap is kept below, where the words single out
        if len(key) >= 4 and self._fuzzy_edits and (not ordinary or words_too):
            # "Jakc": two letters swapped in a short name; in a word-name ("Pheobe's group")
            # only where the words point at a child, as the word-name's other slips; and a word
            # only there too ("..., Angle scored 6 goals" for Angel)
            for choice in self._swapped.get(key, ()):
                swapped.extend(self._given.get(choice, ()))
                if words_too:
                    swapped.extend(self._word_given.get(choice, ()))
                    swapped.extend(self._dated_given.get(choice, ()))
            entries.extend(swapped)
        if len(key) == 3 and words_too and self._fuzzy_edits:
            for choice in self._swapped_short.get(key, ()):  # "Jun & Mie showed us" (Mei)
                entries.extend(self._given[choice])
        if words_too and self._fuzzy_edits and not entries and not self._dictionary.knows(bare):
            # "Congratulations to Presious in Year 5": pointed at, a letter from a word-name;
            # and short names too, where the words point at a child ("Well done to Frey",
            # "Tedd painted a lovely picture")
            for choice, _score, _index in process.extract(
                key,
                self._pointed_choices,
                scorer=OSA.distance,
                score_cutoff=1,
                limit=None,
            ):
                if (
                    len(choice) >= self._fuzzy_min
                    and choice in self._given
                    and len(key) >= self._fuzzy_min
                ):
                    continue  # (a long name's slips were looked for already)
                entries.extend(
                    self._given.get(choice, ())
                    or self._word_given.get(choice, ())
                    or self._dated_given.get(choice, ())
                )
        if not entries and len(key) >= self._phonetic_min and not ordinary:
            # (a word is asked about only a letter from a name: "Staff" only sounds like Ștefan)
            # sounds alike and looks alike: Monday/Mandy, Friday/Freddie only sound alike
            entries = [
                e
                for e in self._phonetic_index.get(_phonetic(key), [])
                if JaroWinkler.similarity(key, e.keys[0]) >= self._phonetic_similarity
                # "Très" (bien) is no Tyrese, Sorani no Saron: as long, and ending alike
                and abs(len(key) - len(e.keys[0])) <= 1
                and key[-1] == e.keys[0][-1]
            ]
            how = SOUNDS_LIKE
        if not self._dictionary.knows(bare) and not self._dictionary.knows(bare.lower()):
            # "Jasmin" for Jasmine: a spelling of a word-name that is no word
            spellings = (*self._word_names_by_plain.get(_plain(key), ()),)
            if (pet := _pet_ending(key)) != key:
                spellings += tuple(self._word_names_by_plain.get(pet, ()))
            entries.extend(e for e in dict.fromkeys(spellings) if e.keys[0] != key)
        # (with `known_too`, another known name counts: the words single out a child of the
        # school, and none has that name: "Mathilda (1T)", "Well done to Hamid" for Hamdi)
        if (key in self._known_names and not known_too) or self._dictionary.knows(bare):
            entries = [
                e for e in entries if _same_name(key, e.keys[0]) or (words_too and e in swapped)
            ]
        entries = [e for e in dict.fromkeys(entries) if not _derived(key, e.keys[0])]
        if key in self._places:  # Romania is no slip for Rumana; Sofia is Sophia spelt with f
            entries = [e for e in entries if _plain(key) == _plain(e.keys[0])]
        end = word.start + len(bare)
        return [NameMatch(e.pupil, text[word.start : end], word.start, end, how) for e in entries]

    def _slip_with_an_initial(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> list[NameMatch]:
        """ "Roman W in Year 5" for Ronan Walsh: a word or another name a letter from a pupil's
        name, before the initial of that pupil's surname (asked about)."""
        j = i + 1
        if j >= len(words) or not self._fuzzy_edits or len(keys[i]) < 4:
            return []
        initial = words[j].text.rstrip(".")
        if len(initial) != 1 or not initial.isupper() or not ctx.joined(text, words, i, j):
            return []
        choices = (*self._given, *self._word_given)
        found = process.extract(
            keys[i], choices, scorer=OSA.distance, score_cutoff=self._fuzzy_edits, limit=None
        )
        out = []
        end = words[i].start + len(strip_possessive(words[i].text))
        for choice, _score, _index in found:
            for e in (*self._given.get(choice, ()), *self._word_given.get(choice, ())):
                if choice != keys[i] and e.pupil.last_name[:1].upper() == initial:
                    out.append(
                        NameMatch(e.pupil, text[words[i].start : end], words[i].start, end, CLOSE)
                    )
        return [replace(m, unsure=True) for m in dict.fromkeys(out)]

    def _a_plural(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A pupil's given name and an "s" that ends a list item, a clause or the text: the
        name as a plural ("Matildas, Gruffalos and Harry Potters"), not a possessive without
        its apostrophe ("Matildas painting")."""
        key = keys[i]
        if not key.endswith("s") or key[:-1] not in self._by_first_key:
            return False
        if i + 1 == len(words):
            return True
        return keys[i + 1] in ctx.AND or any(c in ",.;:!?)" for c in ctx.gap(text, words, i, i + 1))

    def _apostrophe_left_out(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> list[NameMatch]:
        """ "Stefans presentation was excellent": a pupil's name and an "s" before a noun (not a
        plural: "14 Marys and 11 Josephs")."""
        word, key = words[i], keys[i]
        name = key[:-1]
        if not key.endswith("s") or ctx.counted(keys, i):
            return []
        if self._dictionary.knows(word.bare) and not self._dictionary.knows(word.bare.lower()):
            return []  # "Christians remember", "Victorians": a people, no possessive
        if not ctx.capitalised(word) and (
            not word.text.islower() or self._dictionary.knows(word.bare)
        ):
            return []  # in lower case only a non-word: "tymons poster", not "bills paid"
        if not cues.before_a_noun(text, words, keys, i):
            return []
        entries = [
            e for e in self._by_first_key.get(name, ()) if len(e.keys) == 1 and not e.ordinary
        ]
        end = word.start + len(word.bare)
        return [NameMatch(e.pupil, text[word.start : end], word.start, end, CLOSE) for e in entries]

    def _pet_form(self, word: Word, key: str, text: str) -> list[NameMatch]:
        """ "Izzy S in Year 4": a pet form of a pupil's given name (Isabella), capitalised and no
        English word: asked about, since another child may go by it."""
        entries = self._pets.get(key)
        if not entries or not ctx.capitalised(word) or word.in_hashtag or key in self._surnames:
            return []  # and not Ali, a surname as often
        if self._dictionary.is_ordinary_word(word.bare):
            return []
        end = word.start + len(word.bare)
        return [
            NameMatch(e.pupil, text[word.start : end], word.start, end, CLOSE, unsure=True)
            for e in dict.fromkeys(entries)
        ]
