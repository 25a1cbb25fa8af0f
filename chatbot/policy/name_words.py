"""Whether a pupil's name that is also a word (Grace, Summer, Will, Poppy) is used as a name
where it stands, read with the register: capitals away from a sentence start, what follows a
sentence start, possessives, lower-case pairs and praised lists. The word-level tests are in
name_usage and name_cues."""

from __future__ import annotations

from chatbot.policy import name_classes as classes
from chatbot.policy import name_context as ctx
from chatbot.policy import name_cues as cues
from chatbot.policy import name_sentences as sentences
from chatbot.policy import name_usage as usage
from chatbot.policy import name_word_cues as word_cues
from chatbot.policy.hashtag_words import DOES, PRAISE
from chatbot.policy.name_others import OthersIndex
from chatbot.policy.text import Word

_capitalised = ctx.capitalised
_WHOSE = frozenset({"our", "his", "her", "their", "your", "my"})
_CLASS = frozenset({"yr", "year", "y", "class"})


# "Autumn is here", "Summer is nearly over": the season's own coming and going
_SEASON_IS = frozenset(
    {"here", "coming", "nearly", "almost", "finally", "upon", "over", "back", "gone", "arriving"}
    | {"near", "approaching", "ending", "officially", "definitely", "well", "truly"}
)
_SUBJECTS = frozenset({"we", "they", "i", "he", "she", "it", "who"})
_MODALS = frozenset({"will", "may", "hope", "trust", "wish", "pray"})


# What a season or month does: comes and goes
# (not what a child does too: came, started, passed, brought, returns)
_SEASON_GOES = frozenset(
    {"arrived", "arrives", "flew", "flies", "flown", "approached", "approaches", "begun"}
    | {"gone", "over", "ended", "ends"}
)


def _a_season_goes(keys: list[str], i: int) -> bool:
    j = i + 2 if keys[i + 1 : i + 2] in (["has"], ["had"], ["is"]) else i + 1
    return keys[j : j + 1] != [] and keys[j] in _SEASON_GOES


# Words that introduce a school's values, so a value after them is the value
_VALUE_WORDS = frozenset({"value", "values", "virtue", "virtues", "theme"})


def _opens_a_line(text: str, words: list[Word], i: int) -> bool:
    return i == 0 or "\n" in ctx.gap(text, words, i - 1, i)


def _after_a_subject(keys: list[str], i: int) -> bool:
    """The word follows a subject pronoun, so it is a verb ("we will", "they hope"); after
    "you" only a verb ("you will love it"; "thank u summer" thanks a child)."""
    if i == 0:
        return False
    if keys[i - 1] in {"you", "u"}:
        return keys[i] in _MODALS and keys[max(0, i - 2) : i - 1] not in (["thank"], ["love"])
    return keys[i - 1] in _SUBJECTS


class WordNameIndex(OthersIndex):
    """The register's indexes, with the tests for word-names used as names."""

    def _maybe_a_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """Where an ordinary-word name may be a pupil, and the engine asks: "Penny has
        knitted...", "teddy and poppy's socks", "grace was amazing today" in a sentence all in
        lower case. A month or season only where said of a person."""
        lower = usage.lower_case_sentence(text, words, i)  # case tells nothing there
        if word_cues.a_feeling_fills(keys, i):
            return False  # "joy filled the hall"
        if word_cues.names_a_team(text, words, keys, i) or word_cues.thanks_given(
            text, words, keys, i
        ):
            return False  # "Blue team", "Major thanks to"
        if words[i].sentence_start and any(
            keys[n] == keys[i]
            and words[n].text.islower()
            and not words[n].in_hashtag
            and not usage.lower_case_sentence(text, words, n)
            for n in range(i)
        ):
            return False  # "apples dipped in honey ... Honey was the favourite": that word
        if words[i].text.islower() and _after_a_subject(keys, i):
            return False  # "a rap we will never forget", "they hope to win"
        if words[i].text.islower() and keys[i - 1 : i] in (["became"], ["become"], ["crowned"]):
            return False  # "only became king because...": what somebody became
        if (
            word_cues.spoken_to(text, words, keys, i)
            or self._in_a_list_of_pupils(text, words, keys, i)
            or self._parts_played(text, words, keys, i)
            or self._did_in_a_class(text, words, keys, i)
            # "jack, rec, on the climbing frame": an alt text's subject, its class set apart
            or (
                _opens_a_line(text, words, i)
                and classes.in_a_class(keys, i, text, words)
                and i + 1 < len(words)
                and bool({",", "("} & set(ctx.gap(text, words, i, i + 1)))
            )
            or word_cues.wearing(keys, i)  # "king in the number 9 shirt"
            # "that solo from teddy in y2": put in a class (a season in one may just be busy)
            or (
                words[i].text.islower()
                and keys[i + 1 : i + 2] in (["in"], ["from"])
                and keys[i] not in self._not_variants
                and not usage.abstract(keys[i])  # "so much joy in reception today"
                and classes.in_a_class(keys, i, text, words)
            )
            or word_cues.also_named(text, words, keys, i)  # "... peace too!!"
            or sentences.a_sentence_of_its_own(text, words, keys, i)  # "Bear. Remembered..."
        ):
            return True  # "ivy you were brilliant", "autumn and holly in yr5 brought..."
        if keys[i] in self._not_variants:
            # "Summer's volcano erupted": a child's thing, so ask; never the season's own;
            # "Summer is a superstar": only a person is
            if sentences.season_possessive(text, words, keys, i) is True:
                return True
            # "special mention to frank and autumn who ran the stall": pointed at as a person
            return (
                usage.person_predicate(text, words, keys, i, any_case=lower)
                or (keys[i + 1 : i + 2] == ["who"] and keys[i - 1 : i] != ["in"])
                # "well done to summer": praised ("thanks to summer sun" is a cause)
                or (usage.praised(keys, i) and keys[max(0, i - 2) : i] != ["thanks", "to"])
                or self._in_a_praised_list(text, words, keys, i)
                or usage.person_verb_follows(text, words, keys, i, any_case=lower)
                # "june brought in her pet rabbit": an action said of her
                or (words[i].text.islower() and cues.acts_as_a_person(text, words, keys, i))
                # "summer got a certificate", "summer h and joy b ran the stall"
                or (words[i].text.islower() and word_cues.earned_something(keys, i))
                or (words[i].text.islower() and cues.lower_case_initial(text, words, i))
            )
        if sentences.opens_a_wish_or_question(text, words, keys, i):
            return False  # "will you join us?"
        if words[i].in_hashtag and i > 0 and words[i - 1].in_hashtag and keys[i - 1] in _CLASS:
            return True  # #yr2rose: a class's child
        if usage.maybe_a_name(text, words, keys, i, any_case=lower):
            return True
        if lower and sentences.action_follows(text, words, keys, i, adverb=False):
            return True  # "peace writing the results on the whiteboard" (alt text)
        if words[i].sentence_start and sentences.action_follows(
            text,
            words,
            keys,
            i,
            adverb=keys[i] not in self._not_variants and not usage.abstract(keys[i]),
        ):
            return True  # "Cookie decorating", "Bonnie proudly showing a bonnet": ask
        if usage.pointed_at(keys, i):
            return True  # "well done grace", "thank you to hope", "for poppy, who scored"
        if (
            words[i].text.islower()
            and not usage.values_pair(text, words, keys, i)  # "faith and hope guided them"
            and cues.lower_case_person(text, words, keys, i)
        ):
            return True  # "ruby's rocket flew highest", "jack scored twice"
        # coordinated with another pupil's name, one of them a possessive, or in a list that
        # praise points at: "well done to willow and bear"
        return (
            any(
                keys[j] in self._given_keys
                and (words[i].bare != words[i].text or words[j].bare != words[j].text)
                for j in ctx.list_neighbours(text, words, keys, i)
            )
            or self._in_a_praised_list(text, words, keys, i)
            or self._a_pair_that_did(text, words, keys, i)
            or self._paired_with_a_pupil(text, words, keys, i)
            or self._credited(text, words, keys, i)
        )

    def _credited(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "lettering by sunny and ruby": in lower case, a list of pupils' names after "by"."""
        items = self._list_of(text, words, keys, i)
        first = min(items | {i})
        return (
            words[i].text.islower()
            and bool(items)
            and first > 0
            and keys[first - 1] == "by"
            and all(keys[n] in self._given_keys and words[n].text.islower() for n in items)
        )

    def _paired_with_a_pupil(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "top scorers ezra & duke", "medals 4 duke, honey, jude & aria": in lower case, in a
        list with a pupil's name that is no word (and no place), as one child beside another."""
        return words[i].text.islower() and any(
            keys[j] in self._given and keys[j] not in self._places and words[j].text.islower()
            for j in self._list_of(text, words, keys, i)
        )

    def _before_their_initial(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "Summer K won the Y5 sprint": before the initial of the surname of a pupil of that
        name, as a school writes a child's name."""
        if not cues.initial_follows(text, words, i):
            return False
        initial = words[i + 1].text.rstrip(".")
        return any(
            e.pupil.last_name[:1].upper() == initial for e in self._by_first_key.get(keys[i], ())
        )

    def _did_in_a_class(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "will in yr1 built a tower", "bear and star in yr1 were the best sheep"."""
        given = self._given_keys
        if i + 1 < len(words) and any(c in ".!?" for c in ctx.gap(text, words, i, i + 1)):
            return False  # "Success! Year 6 have raised £400": the class is another sentence's
        # an -ing counts where the name opens the text or a line: an alt text's subject
        opening = _opens_a_line(text, words, i)
        return classes.did_in_a_class(keys, i, given, doing=opening) or any(
            j > i and keys[j] in given and classes.did_in_a_class(keys, j, given)
            for j in ctx.list_neighbours(text, words, keys, i)
        )

    def _a_pair_that_did(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "praise and rohan did all the change", "grace and will tidied up": two pupils' names
        in lower case, joined by "and", before what they did (not two values: "faith and hope
        guided them")."""
        if not words[i].text.islower():
            return False
        for n in ctx.list_neighbours(text, words, keys, i):
            # "grace s and jasmine working": the name before an initial
            j = n - 1 if 0 < n < i and cues.lower_case_initial(text, words, n - 1) else n
            if keys[j] not in self._given_keys or not words[j].text.islower():
                continue
            if usage.abstract(keys[i]) and usage.abstract(keys[j]):
                continue
            last = max(i, j)
            if sentences.action_follows(text, words, keys, last):
                return True
        return False

    def _in_a_praised_list(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        seen, todo = {i}, [i]
        while todo:
            for j in ctx.list_neighbours(text, words, keys, todo.pop()):
                if j not in seen and keys[j] in self._given_keys:
                    if usage.praised(keys, j):
                        return True
                    seen.add(j)
                    todo.append(j)
        return False

    def _used_as_name(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """An ordinary word (Summer, Will) is a name capitalised away from a sentence start; at a
        sentence start only when the sentence shows it is one (see the module's notes)."""
        if not _capitalised(words[i]):
            return False
        if words[i].in_hashtag:
            # capitals mean nothing in #WeWillRememberThem: after praise or at the end only
            # ...or beside another pupil's name there (#GraceAndWill)
            if words[i].bare != words[i].text and i + 1 < len(words):
                return keys[i] not in self._not_variants  # #jacksbirthday, not #summersday
            if i > 1 and keys[i - 1] == "and" and usage.values_pair(text, words, keys, i):
                return False  # #hopeandjoy: two values
            return (
                i == len(words) - 1
                or (i + 1 < len(keys) and keys[i + 1] in DOES)  # #hollyrocks, #irisjoinsup
                or "".join(keys[:i]).endswith(PRAISE)
                or (
                    keys[i + 1 : i + 2] == ["and"]
                    and i + 3 == len(words)
                    and keys[i + 2] in self._given_keys
                )
            )
        if sentences.opens_a_wish_or_question(text, words, keys, i):
            return False  # "…May the ribbons not get tangled", "Will you join us?"
        if word_cues.a_feeling_fills(keys, i):
            return False  # "Joy filled the hall": the feeling
        if word_cues.names_a_team(text, words, keys, i) or word_cues.thanks_given(
            text, words, keys, i
        ):
            return False  # "and Blue team, the cup is yours", "Major thanks to the bakers"
        if self._a_value_named(text, words, keys, i):
            return False  # "Our value of the month is Mercy": the value
        if keys[i] in self._not_variants and (
            sentences.season_possessive(text, words, keys, i) is False
            or (keys[i + 1 : i + 2] == ["is"] and "".join(keys[i + 2 : i + 3]) in _SEASON_IS)
        ):
            return False  # "Summer's here", "Autumn's colours", "Autumn is here": the season
        if (
            keys[i] in self._not_variants
            and _a_season_goes(keys, i)
            and not sentences.personal_pronoun_follows(text, words, keys, i)
        ):
            return False  # "Summer arrived early", "June has flown by": the time of year
        if i > 0 and (keys[i - 1] == "the" or (keys[i] in self._titles and keys[i - 1] in _WHOSE)):
            return False  # "the Will of the people", "our King": a word after a determiner
        if not words[i].sentence_start:
            return True
        return (
            self._next_to_a_name(text, words, keys, i)
            or self._before_their_initial(text, words, keys, i)
            or cues.cast_as(text, words, keys, i)  # "Ivy as Mary holding a baby doll"
            or sentences.action_follows(
                text,
                words,
                keys,
                i,
                adverb=keys[i] not in self._not_variants and not usage.abstract(keys[i]),
                doing=False,  # a word before an -ing is asked about (_maybe_a_name)
            )
            # "Summer in Year 6 is busy": a season in a class only where the child did something
            or (
                classes.in_a_class(keys, i, text, words)
                and (
                    keys[i] not in self._not_variants or self._did_in_a_class(text, words, keys, i)
                )
            )
            or usage.praise_follows(text, words, keys, i)
            or sentences.alone_on_its_line(text, words[i])
            or sentences.personal_pronoun_follows(text, words, keys, i)
            or self._possessive_of_a_person(text, words, keys, i)
            or word_cues.spoken_to(text, words, keys, i)  # "Ivy you were brilliant"
            or word_cues.wearing(keys, i)
            or self._in_a_list_of_results(text, words, keys, i)
            or self._in_a_list_of_pupils(text, words, keys, i)
        )

    def _parts_played(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "otis as the gruffalo, maisie as matilda, dexter as fantastic mr fox": one of
        several names each before "as" and a part, another of them a pupil's that is no word."""
        if keys[i + 1 : i + 2] != ["as"] or i == 0:
            return False
        if keys[i - 1] not in ctx.AND and not {",", ":", ";"} & set(ctx.gap(text, words, i - 1, i)):
            return False  # "we used clay as the base": a thing used
        return any(
            n != i and keys[n] in self._given and keys[n + 1] == "as"
            for n in range(max(0, i - 12), min(len(keys) - 1, i + 12))
        )

    @staticmethod
    def _a_value_named(text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "Our value of the month is Mercy", "Value of the week: Patience": a value named
        after "value", "virtue" or "theme" in its sentence, with no class or pointer at a child
        ("Value of the week: Mercy (2B)")."""
        if not usage.abstract(keys[i]):
            return False
        start = i
        while (
            start > 0
            and i - start < 5
            and not any(c in ".!?" for c in ctx.gap(text, words, start - 1, start))
        ):
            start -= 1
        return (
            any(k in _VALUE_WORDS for k in keys[start:i])
            and not classes.in_a_class(keys, i, text, words)
            and not classes.class_in_brackets(text, words, keys, i)
            and not cues.points_at_pupil(text, words, keys, i, strong_only=True)
        )

    def _in_a_list_of_pupils(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "thea, maeve, rose, delia, purity + antonia": an item of a list whose other items
        are mostly pupils' names that are no words and no places, so a list of children."""
        others = self._list_of(text, words, keys, i)
        names = sum(keys[n] in self._given and keys[n] not in self._places for n in others)
        return names >= 2 and 2 * names >= len(others)

    def _in_a_list_of_results(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """ "🥇 Bonnie 60m, 🥈 Kai long jump, 🥉 Ezra 600m!": an item of a list set out after a
        colon, a bullet or an emoji, whose other items start with pupils' names that are no
        words."""
        before = ctx.gap(text, words, i - 1, i) if i > 0 else ""
        if i == 0 or any(c in ".!?" for c in before):
            return False
        others = 0
        for n in range(i + 1, min(i + 16, len(words))):
            between = ctx.gap(text, words, n - 1, n)
            if any(c in ".!?" for c in between):
                break  # emoji part sentences here, so the list runs to a full stop
            others += keys[n] in self._given and ctx.capitalised(words[n]) and "," in between
        return others >= 2

    def _possessive_of_a_person(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> bool:
        """ "Martin's horse is called...": a word-name's possessive before a common noun (not a
        month or season's: "Summer's here")."""
        word = words[i]
        j = i + 1
        if (
            j + 1 < len(words)
            and _capitalised(words[j])
            and not self._dictionary.is_ordinary_word(words[j].bare)
            and ctx.joined(text, words, j, j + 1)
        ):
            j += 1  # "Testimony's Gruffalo costume": a name-like word before the common noun
        return (
            word.bare != word.text
            and keys[i] not in self._not_variants
            and j < len(words)
            and (words[j].text.islower() or keys[j] in ctx.KIN_WORDS or keys[j] in ctx.SUBJECTS)
            and not sentences.contracted(keys[j])  # "Hope's a wonderful thing": "Hope is"
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
