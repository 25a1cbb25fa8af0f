"""Finding pupils' names in text: posts, alt text, and (for the safeguarding monitors) follower
names and bios.

Full, first and preferred names are matched; accents are ignored (Zoe/Zoë); small typos
(Olivai, Zoey) and spelling variants that sound alike (Mohammed/Muhammad) count for names that
are not ordinary words. A name that is also an ordinary word (Summer, Grace, Will) counts only
when it is used as a name: capitalised away from the start of a sentence, followed by the
surname, or, at the start of a sentence, next to another name ("Grace and Will"), followed by
a verb ("Summer won", "Will scoring a goal"), alone on its line (a list of names) or with "he",
"she", "his" or "her" later in the sentence. A month or season in a date or a time of year
("11th May", "the Summer term") is not a pupil; nor is a word after a title (Mrs Patel, St
Mary's), a staff name or one of the policy's "not pupils" phrases (Noah's Ark, Grace Darling).

Matches carry the pupil and the words as written: fine to show staff, never to log.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from chatbot.domain.folding import fold
from chatbot.domain.pupils import Pupil
from chatbot.policy.dictionary import Dictionary, load_dictionary
from chatbot.policy.text import TextAnalysis, Word, split_words, strip_possessive

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
)
_NOT_DOING = frozenset(
    {"everything", "anything", "something", "nothing", "morning", "evening", "during", "spring"}
    | {"string", "thing", "things", "king", "ring", "bring", "sing", "swing", "sting", "wing"}
    | {"wedding", "pudding", "building", "ceiling", "darling", "clothing", "icing", "stuffing"}
    | {"dumpling", "lightning", "duckling", "sibling", "sterling"}
)

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
    unsure: bool = False  # context cannot tell whether a pupil is meant: ask the author

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Entry:
    pupil: Pupil
    keys: tuple[str, ...]  # folded words of the name
    how: str
    ordinary: bool  # a one-word given name that is also an ordinary word


def _name_parts(name: str) -> list[str]:
    """The words of a name, hyphenated ones apart: Amelia-Rose -> Amelia, Rose."""
    return [part for word in split_words(name) for part in word.split("-") if part]


def _name_keys(name: str) -> tuple[str, ...]:
    return tuple(fold(strip_possessive(part)) for part in _name_parts(name))


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
        not_pupils: Iterable[str] = (),
    ) -> None:
        self._dictionary = dictionary or load_dictionary()
        self._titles = frozenset(fold(t) for t in titles)
        self._ignore = frozenset(fold(w) for w in ignore_words)
        self._fuzzy_min = fuzzy_min_length
        self._fuzzy_edits = fuzzy_max_edits
        self._phonetic_min = phonetic_min_length
        self._phonetic_similarity = phonetic_min_similarity
        self._not_variants = frozenset(fold(w) for w in not_variants)
        # Word sequences that are never a pupil: staff names, and phrases such as Noah's Ark.
        self._not_pupils = [
            keys for name in (*staff_names, *not_pupils) if (keys := _name_keys(name))
        ]

        self._by_first_key: dict[str, list[_Entry]] = defaultdict(list)
        self._given: dict[str, list[_Entry]] = defaultdict(list)  # one-word given names
        self._phonetic_index: dict[str, list[_Entry]] = defaultdict(list)
        ordinary_cache: dict[str, bool] = {}
        surnames: set[str] = set()
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
                if last:
                    full = _Entry(pupil, keys + last, FULL, ordinary=False)
                    self._by_first_key[keys[0]].append(full)
                if len(keys) > 1:
                    # Amelia-Rose or Mary Jane: the whole name, and the first part on its own
                    self._by_first_key[keys[0]].append(_Entry(pupil, keys, how, ordinary=False))
                    keys = keys[:1]
                if keys[0] not in ordinary_cache:
                    ordinary_cache[keys[0]] = self._dictionary.is_ordinary_word(parts[0])
                ordinary = ordinary_cache[keys[0]]
                entry = _Entry(pupil, keys, how, ordinary)
                self._by_first_key[keys[0]].append(entry)
                if not ordinary:
                    self._given[keys[0]].append(entry)
                    if len(keys[0]) >= self._phonetic_min:
                        code = _phonetic(keys[0])
                        if len(code) >= 3:  # shorter codes (Zoe -> S) match too much
                            self._phonetic_index[code].append(entry)
        self._surnames = frozenset(surnames)
        # longest names first, so "Zoe Smith" wins over "Zoe"
        for entries in self._by_first_key.values():
            entries.sort(key=lambda e: -len(e.keys))
        self._fuzzy_choices = [k for k in self._given if len(k) >= self._fuzzy_min]
        # Short names (Zoe, Noah) are too short for edits in general: only a letter added or
        # left out at the end counts (Zoey, Zoes, Noa), not inside (Lego is not Leo).
        self._short = frozenset(k for k in self._given if 3 <= len(k) < self._fuzzy_min)
        self._short_by_stem: dict[str, list[str]] = defaultdict(list)  # "noa" -> ["noah"]
        for short in self._short:
            self._short_by_stem[short[:-1]].append(short)

    # -- matching --------------------------------------------------------------------------

    def find(self, text: str | TextAnalysis) -> list[NameMatch]:
        """Every place in `text` where a pupil's name appears, in text order."""
        analysis = text if isinstance(text, TextAnalysis) else TextAnalysis(text)
        matches = self._find_in(analysis.text, list(analysis.words))
        for tag_words in _group_by_hashtag(analysis):
            matches.extend(self._find_in(analysis.text, tag_words))
        return sorted(matches, key=lambda m: (m.start, m.pupil.full_name))

    def _find_in(self, text: str, words: list[Word]) -> list[NameMatch]:
        words = _split_hyphens(words)
        keys = [fold(strip_possessive(w.text)) for w in words]
        skip = self._not_pupil_positions(keys) | _place_positions(text, words, keys, self._surnames)
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
            unsure = False
            if entry.ordinary and not self._used_as_name(text, words, keys, i):
                if not _maybe_a_name(text, words, keys, i):
                    continue
                unsure = True  # "Frank was brilliant.": a pupil, or just a word? Ask.
            if size == 1 and keys[i] in self._not_variants and _in_a_date(keys, i):
                continue  # "Monday 11th May", "in June": a pupil called May is not meant
            if size > best:
                best, out = size, []
            start = words[i].start
            end = words[i + size - 1].start + len(strip_possessive(words[i + size - 1].text))
            out.append(NameMatch(entry.pupil, text[start:end], start, end, entry.how, unsure))
        return best, out

    def _near(self, word: Word, key: str, text: str) -> list[NameMatch]:
        """Typos and sound-alike spellings: only capitalised words that are not ordinary words
        (a proper noun in the dictionary, like Muhammad, still counts)."""
        bare = strip_possessive(word.text)
        if len(key) < 3 or not bare[:1].isupper() or key in self._not_variants:
            return []
        if self._dictionary.is_ordinary_word(bare):
            return []
        entries: list[_Entry] = []
        how = CLOSE
        if self._fuzzy_edits:
            shorts = [key[:-1]] if key[:-1] in self._short else []
            for choice in (*shorts, *self._short_by_stem.get(key, ())):
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
        if not entries and len(key) >= self._phonetic_min:
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

    def _not_pupil_positions(self, keys: list[str]) -> set[int]:
        positions: set[int] = set()
        for phrase in self._not_pupils:
            size = len(phrase)
            for i in range(len(keys) - size + 1):
                found = keys[i : i + size]
                # a plural counts too: "our Harry Potters"
                if found[:-1] == list(phrase[:-1]) and found[-1] in (phrase[-1], phrase[-1] + "s"):
                    positions.update(range(i, i + size))
        return positions

    def _used_as_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """An ordinary word (Summer, Will) is a name capitalised away from a sentence start; at a
        sentence start only when the sentence shows it is one (see the module's notes)."""
        if not _capitalised(words[i]):
            return False
        if not words[i].sentence_start:
            return True
        return (
            self._next_to_a_name(text, words, keys, i)
            or _action_follows(text, words, keys, i)
            or _alone_on_its_line(text, words[i])
            or _personal_pronoun_follows(text, words, keys, i)
        )

    def _next_to_a_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """The next word is a pupil's name: "Grace and Will", "Will, Grace and Noah"."""
        j = i + 1
        if j < len(words) and keys[j] == "and" and text[words[i].end : words[j].start].isspace():
            j += 1
        elif j < len(words) and not any(c in ",&" for c in text[words[i].end : words[j].start]):
            return False
        return j < len(words) and _capitalised(words[j]) and keys[j] in self._by_first_key


def _split_hyphens(words: list[Word]) -> list[Word]:
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


def _capitalised(word: Word) -> bool:
    letters = strip_possessive(word.text)
    return letters[:1].isupper() and not letters.isupper()


def _place_positions(
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
_SUBJECT_VERBS = frozenset({"was", "had", "did", "loved", "enjoyed"})


def _maybe_a_name(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    return (
        _capitalised(words[i])
        and i + 1 < len(words)
        and keys[i + 1] in _SUBJECT_VERBS
        and text[words[i].end : words[i + 1].start].isspace()
    )


def _in_a_date(keys: list[str], i: int) -> bool:
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    return (
        before in _DATE_WORDS
        or after in _SEASONAL
        or _DAY_NUMBER.fullmatch(before) is not None
        or _DAY_NUMBER.fullmatch(after) is not None
    )


def _action_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    j = i + 1
    if j >= len(words) or not text[words[i].end : words[j].start].isspace():
        return False
    key = keys[j]
    return key in _PAST or (len(key) > 4 and key.endswith(("ed", "ing")) and key not in _NOT_DOING)


def _alone_on_its_line(text: str, word: Word) -> bool:
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


def _personal_pronoun_follows(text: str, words: list[Word], keys: list[str], i: int) -> bool:
    """The sentence is about a person: "Grace has worked hard on her handwriting"."""
    if i + 1 < len(keys) and keys[i + 1] in _REQUEST:
        return False
    for j in range(i + 1, len(words)):
        if any(c in _SENTENCE_END for c in text[words[j - 1].end : words[j].start]):
            return False
        if keys[j] in _PERSONAL:
            return True
    return False


def _group_by_hashtag(analysis: TextAnalysis) -> list[list[Word]]:
    groups: dict[int, list[Word]] = {}
    for word in analysis.hashtag_words:
        tag = next(t for t in analysis.hashtags if t.start <= word.start < t.end)
        groups.setdefault(tag.start, []).append(word)
    return list(groups.values())
