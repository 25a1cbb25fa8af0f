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

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from itertools import pairwise

from chatbot.domain.folding import fold
from chatbot.policy import name_classes as classes
from chatbot.policy import name_context as ctx
from chatbot.policy import name_cues as cues
from chatbot.policy import name_places as places
from chatbot.policy import name_sentences as sentences
from chatbot.policy import name_setting as setting
from chatbot.policy import name_surnames as surnames
from chatbot.policy import name_usage as usage
from chatbot.policy import name_word_cues as word_cues
from chatbot.policy.name_index import (
    CLOSE,
    DEFAULT_TITLES,
    FIRST,
    FULL,
    PREFERRED,
    SOUNDS_LIKE,
    NameMatch,
)
from chatbot.policy.name_others import ABOUT_SOMEONE, _Scan
from chatbot.policy.name_slips import SlipIndex
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


class NameMatcher(SlipIndex):
    """Built once for a register (indexes are made here); `find` is cheap per text."""

    def find(self, text: str | TextAnalysis) -> list[NameMatch]:
        """Every place in `text` where a pupil's name appears, in text order."""
        analysis = text if isinstance(text, TextAnalysis) else TextAnalysis(text)
        return self.find_in_post([analysis])[0]

    def find_in_post(self, texts: Sequence[TextAnalysis]) -> list[list[NameMatch]]:
        """The matches in each of a post's texts: its own text first, then its alt texts. A
        name the text shows is somebody else ('Oliver!', King Henry) is that somebody in the
        alt texts too, and where the post names a story (Narnia), its characters' names are
        theirs; unless the words there single out a pupil, when the author is asked."""
        if not texts:
            return []
        cast = self._cast_of(
            w for t in texts for w in usage.split_hyphens([*t.words, *t.hashtag_words])
        )
        first, read = self._find(texts[0], None, cast)
        return [first, *(self._find(alt, read, cast, alt=True)[0] for alt in texts[1:])]

    def _find(
        self,
        analysis: TextAnalysis,
        prior: _Scan | None,
        cast: frozenset[str],
        *,
        alt: bool = False,
    ) -> tuple[list[NameMatch], _Scan]:
        """The matches in a text and what its reading learnt; `prior`, what the post's own text
        taught (read there as somebody else, as a grown-up)."""
        text, words = _unshouted(analysis.text, list(analysis.words))
        matches, read = self._find_in(text, words, prior, cast, quotes=True, alt=alt)
        for tag_words in _group_by_hashtag(analysis):
            parts = self._splitter.parts(tag_words)
            found, _ = self._find_in(analysis.text, parts, None, cast, quotes=False)
            # "...to Florence ... #Florence": the hashtag means what the text meant
            matches.extend(m for m in found if fold(m.matched) not in read.someone_else)
        return sorted(matches, key=lambda m: (m.start, m.pupil.full_name)), read

    def _find_in(
        self,
        text: str,
        words: list[Word],
        prior: _Scan | None,
        cast: frozenset[str],
        *,
        quotes: bool,
        alt: bool = False,
    ) -> tuple[list[NameMatch], _Scan]:
        """The matches in `words`, and what was learnt there: the names read as somebody else
        (or, in `prior`, elsewhere in the post); with `quotes`, names in quoted titles are
        skipped."""
        words = usage.split_hyphens(words)
        # (found after the hyphens are split, so that the positions are these words')
        quoted = setting.quoted_positions(text, words) if quotes else set()
        keys = [fold(strip_possessive(w.text)) for w in words]
        phrases = self._phrase_positions(keys, self._not_pupils, words, self._possessive_phrases)
        scan = _Scan(phrases, cast=cast, alt=alt)
        if prior is not None:
            scan.someone_else |= prior.someone_else
            scan.grown |= prior.grown
        skip = (
            quoted
            | scan.phrases
            | self._phrase_positions(keys, self._staff)
            | places.place_positions(text, words, keys, self._surnames)
            | usage.after_an_article(text, words, keys)
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
                if i in quoted:
                    scan.titled.add(keys[i])  # 'Grace & Family': Grace is its character
                i += 1
                continue
            length, matches = self._exact(words, keys, i, text, scan)
            if not matches:
                length, matches = self._close_full_name(words, keys, i, text)
            if not matches:
                if not self._may_be_a_pupil(text, words, keys, i, scan=scan):
                    # (a word used as a word, "the best gift", names nobody else)
                    if not (words[i].text.islower() and keys[i] in self._word_given):
                        scan.someone_else.add(keys[i])
                elif keys[i] not in scan.someone_else:  # Handa's Surprise ... Handa's basket
                    matches, length = self._near(words[i], keys[i], text), 1
                    if self._a_plural(text, words, keys, i):
                        # "Matildas, Gruffalos and Harry Potters": no slip, and nothing to ask
                        found_here: list[NameMatch] = []
                    else:
                        found_here = matches or self._slips_to_ask(text, words, keys, i)
                    matches = found_here
            found.extend(matches)
            i += max(length, 1)
        if scan.grown:
            # "Meet Bonnie! Bonnie is a three-year-old cockapoo": what the words said later
            # holds for the name's first mention too, unless a class was given there
            at = {w.start: n for n, w in enumerate(words)}
            found = [
                m
                for m in found
                if fold(m.matched) not in scan.grown
                or self._a_child_here(text, words, keys, at[m.start])
            ]
        return found, scan

    @staticmethod
    def _a_child_here(text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A class given, or praise (not thanks): "Seren from the PTA ... Well done to Seren
        for winning the raffle" may be a child of that name (asked, as any name read as
        somebody else and then singled out)."""
        thanked = ctx.THANKS & set(keys[max(0, i - 3) : i])
        return classes.a_class_given(text, words, keys, i) or (
            usage.praised(keys, i) and not thanked
        )

    def _after_title(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Mrs Patel, St Mary's: staff and saints, whatever follows."""
        return ctx.title_before(text, words, keys, i, self._staff_titles)

    def _exact(
        self, words: list[Word], keys: list[str], i: int, text: str, scan: _Scan
    ) -> tuple[int, list[NameMatch]]:
        best = 0
        out: list[NameMatch] = []
        # a story's characters do things too: for them only words that single out a child
        # count, unless the sentence names another of that name ("Henry read his poem about
        # Henry VIII"); a character of the story is one still where the post has also named
        # the story after it ("performed Oliver! ... Oliver asked for more")
        cast_only = (keys[i] in scan.cast or keys[i] in scan.titled) and sum(
            keys[n] == keys[i] for n in setting.sentence_of(words, i)
        ) == 1
        for entry in self._by_first_key.get(keys[i], ()):
            size = len(entry.keys)
            if size < best or tuple(keys[i : i + size]) != entry.keys:
                continue
            unsure = False
            if (
                words[i].text.islower()
                and size == 1  # ("mo iqbal raised £45": the full name)
                and len(keys[i]) < 3
                and not usage.pointed_at(keys, i)
                and not cues.lower_case_person(text, words, keys, i)  # "mo scored the winner"
            ):
                continue  # "yu", "mo": in lower case too short to be a name without a pointer
            ordinary = entry.ordinary or (
                size == 1 and words[i].text.islower() and keys[i] in self._lower_words
            )
            if ordinary and not self._used_as_name(text, words, keys, i):
                if not (
                    self._maybe_a_name(text, words, keys, i)
                    or (scan.alt and word_cues.shown_somewhere(text, words, keys, i))
                ):
                    continue
                unsure = True  # "Frank was brilliant.": a pupil, or just a word? Ask.
            if size == 1 and (
                sentences.in_a_short_date(words, keys, i)
                or (
                    keys[i] in self._not_variants
                    and sentences.in_a_date(keys, i)
                    and not usage.praised(keys, i)  # "#proudofautumn" is no "end of autumn"
                )
            ):
                continue  # "Monday 11th May", "in June", "Mon 2 Nov": a pupil is not meant
            if entry.keys in self._famous_full and not any(
                # "our Grace Kelly", "Grace Kelly in Y4": before the name or after it
                cues.points_at_pupil(text, words, keys, n, strong_only=True)
                for n in (i, i + size - 1)
            ):
                # "Muhammad Ali lit the flame in 1996", "... just ahead of Serena Williams"
                if (
                    setting.long_ago(words, keys, i)
                    or self._beside_the_famous(words, keys, i)
                    or (i > 1 and keys[i - 1] == "of" and keys[i - 2] in ABOUT_SOMEONE)
                    # "learning about Muhammad Ali: born Cassius Clay...", "all about"
                    or (i > 1 and keys[i - 1] == "about" and keys[i - 2] in _TAUGHT)
                ):
                    scan.someone_else.add(keys[i])
                    continue
                unsure = True  # the boxer, or our own Muhammad Ali? Ask.
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
                if keys[i] in scan.grown and not self._a_child_here(text, words, keys, i):
                    # "our visiting author Joy ... Thank you Joy": thanks are a grown-up's too
                    scan.someone_else.add(keys[i])
                    continue
                if keys[i] in scan.someone_else or keys[i] in scan.cast:
                    # "'Alfie Gets in First' ... get Alfie out": the same Alfie, unless the words
                    # single out a child ("Marcus Rashford visited ... Marcus said"): then ask
                    if not (
                        cues.points_at_pupil(
                            text, words, keys, i, strong_only=cast_only, pronoun=False
                        )
                        # "Kofi at the front of the hall holding a photo of Kofi Annan": the
                        # photo's subject
                        or (scan.alt and word_cues.shown_somewhere(text, words, keys, i))
                    ):
                        scan.someone_else.add(keys[i])  # and no typo of a pupil's name either
                        continue
                    unsure = True
            if size > best:
                best, out = size, []
            start = words[i].start
            end = words[i + size - 1].start + len(strip_possessive(words[i + size - 1].text))
            out.append(NameMatch(entry.pupil, text[start:end], start, end, entry.how, unsure))
        return best, out

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
            or ctx.a_figure_of(keys, i)
            or (
                prose
                and surnames.a_shared_surname(
                    text, words, keys, i, surnames=self._surnames, given=self._known_names
                )
            )
            or (prose and setting.a_name_given(text, words, keys, first))
            or ctx.honorific_follows(text, words, i)
            or ctx.classes_named(text, words, keys, i)
            or (prose and ctx.a_role(text, words, keys, first))
            or (prose and ctx.counted(keys, first, words, text) and word.bare.endswith("s"))
            or ctx.after_an_initial(text, words, first)
            or (prose and ctx.by_somebody(text, words, keys, first))
            or (prose and cues.story_of(keys, first))
            or (prose and setting.a_work(text, words, keys, i, self._dictionary.is_ordinary_word))
            or (prose and self._a_film(text, words, keys, first, size))
            or cues.kin_of_another(
                words, keys, first, scan.someone_else, partial(self._after_title, text, words, keys)
            )
            or self._after_a_given_name(text, words, keys, first)
            or self._after_a_possessive(text, words, keys, first)
            or self._a_place_here(text, words, keys, first, i)
            or self._in_a_list_of_others(text, words, keys, first, scan)
            or (prose and self._listed_as_others(text, words, keys, first))
            or self._an_adjective(text, words, keys, first)
            or (prose and self._in_the_sky(text, words, keys, first))
            or self._a_lineage(text, words, keys, i)
            or self._a_title_itself(text, words, keys, i)
            or (prose and self._a_grown_up(text, words, keys, first, i, scan=scan))
        )
        return not somebody_else and not surnames.other_surname(
            text,
            words,
            keys,
            i,
            surnames=self._surnames_of.get(keys[first], frozenset()),
            given=self._given_keys,
            is_word=next_is_word,
        )

    @staticmethod
    def _phrase_positions(
        keys: list[str],
        index: dict[str, list[tuple[str, ...]]],
        words: list[Word] | None = None,
        possessive: frozenset[tuple[str, ...]] = frozenset(),
    ) -> set[int]:
        positions: set[int] = set()
        for i, key in enumerate(keys):
            for phrase in index.get(key, ()):
                size = len(phrase)
                if (
                    words is not None
                    and size > 1
                    and words[i].bare != words[i].text
                    and phrase not in possessive
                ):
                    continue  # "Honey's cakes" is no Honey Cake
                found = keys[i : i + size]
                # a plural counts too: "our Harry Potters"
                if found[:-1] == list(phrase[:-1]) and found[-1:] in (
                    [phrase[-1]],
                    [phrase[-1] + "s"],
                ):
                    positions.update(range(i, i + size))
        return positions


# Learning about somebody: the famous one of a shared full name
_TAUGHT = frozenset(
    {"learning", "learned", "learnt", "learn", "reading", "read", "heard", "hearing", "taught"}
    | {"talking", "talked", "finding", "found", "researching", "researched", "studying", "all"}
)


def _unshouted(text: str, words: list[Word]) -> tuple[str, list[Word]]:
    """ "KING SCORED A HAT TRICK": a sentence typed in capitals says no more than one typed in
    lower case, so it is read as lower case (offsets kept: one character for one)."""
    starts = [n for n, w in enumerate(words) if w.sentence_start or n == 0] + [len(words)]
    chars = list(text)
    out = list(words)
    for a, b in pairwise(starts):
        letters = [w.text for w in words[a:b] if any(c.isalpha() for c in w.text)]
        if sum(len(t) > 1 for t in letters) < 3 or not all(t.isupper() for t in letters):
            continue
        for n in range(a, b):
            w = words[n]
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in w.text)
            chars[w.start : w.end] = low
            out[n] = replace(w, text=low)
    return ("".join(chars), out) if out != words else (text, words)


def _group_by_hashtag(analysis: TextAnalysis) -> list[list[Word]]:
    groups: dict[int, list[Word]] = {}
    for word in analysis.hashtag_words:
        tag = next(t for t in analysis.hashtags if t.start <= word.start < t.end)
        groups.setdefault(tag.start, []).append(word)
    return list(groups.values())
