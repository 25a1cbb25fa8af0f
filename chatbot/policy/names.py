"""Finding pupils' names in text: posts, alt text, and (for the safeguarding monitors) follower
names and bios.

Full, first and preferred names are matched through accents (Zoe/Zoë), case (ava), CamelCase
and run-together hashtags (#WellDoneZoe, #welldonezoe), small typos (Olivai) and spellings of
the same name (Mohammed/Muhammad, Hanna/Hana). A first name alone is somebody else when its
context says so (name_context: King Henry, Henry VIII, Alfred the Great, Marcus Rashford,
Charlotte's Web, "a wonderful Mary", a trip to Sydney, the policy's phrases). A name that is
also an ordinary word (Summer, Grace, Will) counts only where it is used as a name; where the
sentence could go either way ("Frank was brilliant.") the match is `unsure` and the author is
asked. Typos never turn a word, another known name, or a name's adjective (Victorian) into a
pupil.

Matches carry the pupil and the words as written: fine to show staff, never to log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from chatbot.domain.folding import fold
from chatbot.domain.pupils import Pupil
from chatbot.policy import name_context as ctx
from chatbot.policy.hashtag_words import PRAISE
from chatbot.policy.name_index import (
    CLOSE,
    DEFAULT_TITLES,
    FIRST,
    FULL,
    PREFERRED,
    SOUNDS_LIKE,
    NameIndex,
    _derived,
    _Entry,
    _phonetic,
    _plain,
    _same_name,
)
from chatbot.policy.text import TextAnalysis, Word, strip_possessive

__all__ = [
    "CLOSE",
    "DEFAULT_TITLES",
    "FIRST",
    "FULL",
    "PREFERRED",
    "SOUNDS_LIKE",
    "NameMatch",
    "NameMatcher",
]


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


@dataclass(slots=True)
class _Scan:
    """What one pass over a text has learnt so far."""

    phrases: set[int]  # positions inside a listed phrase (Grace Darling, Poppy Appeal)
    someone_else: set[str] = field(default_factory=set)  # names already read as not a pupil
    surnames: set[int] = field(default_factory=set)  # Marley in "Jacob Marley": his surname


class NameMatcher(NameIndex):
    """Built once for a register (indexes are made here); `find` is cheap per text."""

    def find(self, text: str | TextAnalysis) -> list[NameMatch]:
        """Every place in `text` where a pupil's name appears, in text order."""
        analysis = text if isinstance(text, TextAnalysis) else TextAnalysis(text)
        words = list(analysis.words)
        prose = self._find_in(analysis.text, words, ctx.quoted_positions(analysis.text, words))
        matches, elsewhere = prose
        for tag_words in _group_by_hashtag(analysis):
            found, _ = self._find_in(analysis.text, self._splitter.parts(tag_words), set())
            # "...to Florence ... #Florence": the hashtag means what the text meant
            matches.extend(m for m in found if fold(m.matched) not in elsewhere)
        return sorted(matches, key=lambda m: (m.start, m.pupil.full_name))

    def _find_in(
        self, text: str, words: list[Word], quoted: set[int]
    ) -> tuple[list[NameMatch], set[str]]:
        """The matches in `words`, and the names that were read as somebody else there."""
        words = ctx.split_hyphens(words)
        keys = [fold(strip_possessive(w.text)) for w in words]
        scan = _Scan(self._phrase_positions(keys, self._not_pupils))
        skip = (
            quoted
            | scan.phrases
            | self._phrase_positions(keys, self._staff)
            | ctx.place_positions(text, words, keys, self._surnames)
        )
        found: list[NameMatch] = []
        i = 0
        while i < len(words):
            if (
                i in skip
                or i in scan.surnames
                or keys[i] in self._ignore
                or self._after_title(text, words, keys, i)
            ):
                scan.someone_else.add(keys[i])
                i += 1
                continue
            length, matches = self._exact(words, keys, i, text, scan)
            if not matches:
                length, matches = self._close_full_name(words, keys, i, text)
            if not matches:
                if not self._may_be_a_pupil(text, words, keys, i, scan=scan):
                    scan.someone_else.add(keys[i])
                elif keys[i] not in scan.someone_else:  # Handa's Surprise ... Handa's basket
                    matches, length = self._near(words[i], keys[i], text), 1
            found.extend(matches)
            i += max(length, 1)
        return found, scan.someone_else

    def _after_title(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Mrs Patel, St Mary's: staff and saints, whatever follows."""
        return ctx.title_before(text, words, keys, i, self._staff_titles)

    def _exact(
        self, words: list[Word], keys: list[str], i: int, text: str, scan: _Scan
    ) -> tuple[int, list[NameMatch]]:
        best = 0
        out: list[NameMatch] = []
        for entry in self._by_first_key.get(keys[i], ()):
            size = len(entry.keys)
            if size < best or tuple(keys[i : i + size]) != entry.keys:
                continue
            unsure = False
            if words[i].text.islower() and len(keys[i]) < 3 and not ctx.pointed_at(keys, i):
                continue  # "yu", "mo": in lower case too short to be a name without a pointer
            if entry.ordinary and not self._used_as_name(text, words, keys, i):
                if not self._maybe_a_name(text, words, keys, i):
                    continue
                unsure = True  # "Frank was brilliant.": a pupil, or just a word? Ask.
            if size == 1 and keys[i] in self._not_variants and ctx.in_a_date(keys, i):
                continue  # "Monday 11th May", "in June": a pupil called May is not meant
            if entry.how != FULL:
                if not self._may_be_a_pupil(text, words, keys, i, size, scan=scan):
                    scan.someone_else.add(keys[i])
                    nxt = i + size
                    if (
                        nxt < len(words)
                        and ctx.joined(text, words, nxt - 1, nxt)
                        and ctx.capitalised(words[nxt])
                    ):
                        scan.surnames.add(nxt)
                    continue
                # "Marcus Rashford visited ... Marcus said": maybe the same Marcus. Ask.
                unsure = unsure or keys[i] in scan.someone_else
            if size > best:
                best, out = size, []
            start = words[i].start
            end = words[i + size - 1].start + len(strip_possessive(words[i + size - 1].text))
            out.append(NameMatch(entry.pupil, text[start:end], start, end, entry.how, unsure))
        return best, out

    def _maybe_a_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Where an ordinary-word name may be a pupil, and the engine asks: "Penny has
        knitted...", "teddy and poppy's socks". Never for a month or season."""
        if keys[i] in self._not_variants:
            return False
        if ctx.maybe_a_name(text, words, keys, i):
            return True
        if ctx.praised(keys, i):
            return True  # "well done grace", "thank you to hope"
        # lower case, coordinated with another pupil's name, one of them a possessive
        return any(
            keys[j] in self._given_keys
            and (words[i].bare != words[i].text or words[j].bare != words[j].text)
            for j in ctx.list_neighbours(text, words, keys, i)
        )

    def _may_be_a_pupil(
        self,
        text: str,
        words: list[Word],
        keys: list[str],
        first: int,
        size: int = 1,
        *,
        scan: _Scan,
    ) -> bool:
        """False when the words around a given name (words first .. first + size - 1) say
        somebody else is meant: Henry VIII, Alfred the Great, Charlotte's Web, Marcus Rashford,
        Howard Carter, Duke of Edinburgh, a trip to Chester, "Odin, Thor and Freya"."""
        i = first + size - 1
        word = words[first]
        nxt = words[i + 1].bare if i + 1 < len(words) else ""
        next_is_word = bool(nxt) and self._dictionary.is_ordinary_word(nxt)
        prose = not word.in_hashtag
        # King Henry, Storm Bert; not in a hashtag (#ClimbingQueenSumaiya praises a pupil), and
        # a full name after one is still the pupil ("our Team Captain Ava Smith")
        somebody_else = (
            (prose and ctx.title_before(text, words, keys, first, self._titles))
            or ctx.titled_after(text, words, keys, i, self._titles)
            or ctx.regnal_number_follows(text, words, keys, i)
            or ctx.epithet_follows(text, words, keys, i)
            or ctx.possessive_title(text, words, i, next_is_word=next_is_word)
            or ctx.of_a_place(text, words, keys, i)
            or ctx.glossed(text, words, first)
            or (prose and ctx.a_role(text, words, keys, first))
            or (prose and ctx.counted(keys, first) and word.bare.endswith("s"))
            or ctx.after_an_initial(text, words, first)
            or self._after_a_given_name(text, words, keys, first)
            or self._after_a_possessive(text, words, keys, first)
            or self._a_place_here(text, words, keys, first, i)
            or self._in_a_list_of_others(text, words, keys, first, scan)
            or self._a_title_itself(text, words, keys, i)
        )
        return not somebody_else and not ctx.other_surname(
            text,
            words,
            keys,
            i,
            surnames=self._surnames_of.get(keys[first], frozenset()),
            given=self._given_keys,
            is_word=next_is_word,
        )

    def _a_place_here(
        self, text: str, words: list[Word], keys: list[str], first: int, i: int
    ) -> bool:
        """A trip to Chester, postcards from Paris, Florence and Blackpool, Liverpool vs Sydney."""
        if keys[i] not in self._places or words[i].bare != words[i].text:
            return False
        if ctx.at_a_place(keys, first) or self._among_places(text, words, keys, first):
            return True
        return (
            first > 1
            and keys[first - 1] in {"to", "from", "vs", "versus", "and", "or"}
            and self._is_place(keys[first - 2])
        )

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
                if m not in seen and ctx.capitalised(words[m]):
                    seen.add(m)
                    todo.append(m)
        return places >= 3 or (
            places >= 2
            and any(ctx.at_a_place(keys, n) or keys[n - 1] in {"to", "from"} for n in seen if n > 0)
        )

    def _in_a_list_of_others(
        self, text: str, words: list[Word], keys: list[str], i: int, scan: _Scan
    ) -> bool:
        """A list item beside a title, a place that is no pupil's name, or a proper noun that is
        nobody's name: "Matilda, The BFG or Fantastic Mr Fox", "Jewish, Christian and Muslim",
        "Odin, Thor, Loki and Freya"."""
        for j in ctx.list_neighbours(text, words, keys, i):
            key, word = keys[j], words[j]
            if j in scan.phrases or self._is_place(key):
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
            if OSA.distance(keys[j], entry.keys[1]) <= self._fuzzy_edits:
                start, end = words[i].start, words[j].start + len(words[j].bare)
                out.append(NameMatch(entry.pupil, text[start:end], start, end, CLOSE))
        return (2, out) if out else (0, [])

    def _near(self, word: Word, key: str, text: str) -> list[NameMatch]:
        """Typos and sound-alike spellings of names that are not ordinary words, in capitalised
        words that are themselves no word, no other name and no plural or adjective of the
        name (Victorian is not Victoria); a spelling that sounds the same still counts
        (Mohammed for Muhammad)."""
        bare = strip_possessive(word.text)
        if len(key) < 3 or not bare[:1].isupper() or key in self._not_variants:
            return []
        if not bare[1:].islower():
            return []  # SATs, iPad, BBC: no slip of a name
        if key in self._surnames:
            return []  # Johnson is a surname, not a slip for Jenson
        if self._dictionary.is_ordinary_word(bare):
            return []
        entries: list[_Entry] = []
        how = CLOSE
        if self._fuzzy_edits:
            shorts = [key[:-1]] if key[:-1] in self._short else []
            variants = [k for k in self._by_plain.get(_plain(key), ()) if k != key]  # Hanna/Hana
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
        if not entries and len(key) >= self._phonetic_min:
            # sounds alike and looks alike: Monday/Mandy, Friday/Freddie only sound alike
            entries = [
                e
                for e in self._phonetic_index.get(_phonetic(key), [])
                if JaroWinkler.similarity(key, e.keys[0]) >= self._phonetic_similarity
            ]
            how = SOUNDS_LIKE
        if key in self._known_names or self._dictionary.knows(bare):
            entries = [e for e in entries if _same_name(key, e.keys[0])]
        entries = [e for e in entries if not _derived(key, e.keys[0])]
        end = word.start + len(bare)
        return [NameMatch(e.pupil, text[word.start : end], word.start, end, how) for e in entries]

    @staticmethod
    def _phrase_positions(keys: list[str], index: dict[str, list[tuple[str, ...]]]) -> set[int]:
        positions: set[int] = set()
        for i, key in enumerate(keys):
            for phrase in index.get(key, ()):
                size = len(phrase)
                found = keys[i : i + size]
                # a plural counts too: "our Harry Potters"
                if found[:-1] == list(phrase[:-1]) and found[-1:] in (
                    [phrase[-1]],
                    [phrase[-1] + "s"],
                ):
                    positions.update(range(i, i + size))
        return positions

    def _used_as_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """An ordinary word (Summer, Will) is a name capitalised away from a sentence start; at a
        sentence start only when the sentence shows it is one (see the module's notes)."""
        if not _capitalised(words[i]):
            return False
        if words[i].in_hashtag:
            # capitals mean nothing in #WeWillRememberThem: after praise or at the end only
            return i == len(words) - 1 or "".join(keys[:i]).endswith(PRAISE)
        if not words[i].sentence_start:
            return True
        return (
            self._next_to_a_name(text, words, keys, i)
            or ctx.action_follows(text, words, keys, i)
            or ctx.alone_on_its_line(text, words[i])
            or ctx.personal_pronoun_follows(text, words, keys, i)
            or self._possessive_of_a_person(text, words, keys, i)
        )

    def _possessive_of_a_person(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> bool:
        """ "Martin's horse is called...": a word-name's possessive before a common noun (not a
        month or season's: "Summer's here")."""
        word = words[i]
        return (
            word.bare != word.text
            and keys[i] not in self._not_variants
            and i + 1 < len(words)
            and words[i + 1].text.islower()
            and ctx.joined(text, words, i, i + 1)
        )

    def _next_to_a_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """The next word is a pupil's name: "Grace and Will", "Will, Grace and Noah"."""
        j = i + 1
        if j < len(words) and keys[j] == "and" and text[words[i].end : words[j].start].isspace():
            j += 1
        elif j < len(words) and not any(c in ",&" for c in text[words[i].end : words[j].start]):
            return False
        return j < len(words) and _capitalised(words[j]) and keys[j] in self._by_first_key


_capitalised = ctx.capitalised


def _group_by_hashtag(analysis: TextAnalysis) -> list[list[Word]]:
    groups: dict[int, list[Word]] = {}
    for word in analysis.hashtag_words:
        tag = next(t for t in analysis.hashtags if t.start <= word.start < t.end)
        groups.setdefault(tag.start, []).append(word)
    return list(groups.values())
