"""Slips of a pupil's name that are asked about, not blocked: a word or another known name a
letter from a pupil's, where the words single out a child ("well done to Scarlet", "Iris M in
5K", "Jun & Mie showed us"), and slips typed in lower case on a phone ("rosei's one", "pheobe
and tadgh read"); then possessives without their apostrophe and pet forms."""

from __future__ import annotations

from dataclasses import replace

from chatbot.policy import name_classes as classes
from chatbot.policy import name_context as ctx
from chatbot.policy import name_cues as cues
from chatbot.policy import name_sentences as sentences
from chatbot.policy import name_usage as usage
from chatbot.policy.name_index import NameMatch
from chatbot.policy.name_words import WordNameIndex
from chatbot.policy.text import Word

# What follows a child's name in a phone-typed post
_SLIP_VERBS = frozenset(
    {"did", "came", "got", "made", "was", "is", "has", "had", "said", "won", "loves", "likes"}
    | {"scored", "finished", "wrote", "drew", "helped", "read", "sang", "ran", "played"}
)


class SlipIndex(WordNameIndex):
    """The register's indexes, with the slips of a name that are asked about."""

    def _slips_to_ask(
        self, text: str, words: list[Word], keys: list[str], i: int
    ) -> list[NameMatch]:
        """Slips read only where the words point at a child, asked about rather than blocked;
        then possessives without their apostrophe and pet forms."""
        # (a pupil's own name used as a word is no slip of another's: "Joy filled the hall"
        # asks about no Joe)
        if keys[i] not in self._by_first_key:
            # "well done to Scarlet": a word, or a slip of Scarlett's name? Ask. Another known
            # name too ("Michale painted"): no child of the school has it, so one is misspelt
            near = (
                self._near(words[i], keys[i], text, words_too=True, known_too=True)
                if self._singled_out(text, words, keys, i)
                else []
            )
            # "Iris M in 5K" for Idris Miah: the surname's initial singles out the child
            near = near or self._slip_with_an_initial(text, words, keys, i)
            if near:
                return [replace(m, unsure=True) for m in near]
        if self._a_lower_case_slip(text, words, keys, i):
            # "rosei's one had mrs hirst in tears": typed on a phone. Ask.
            near = self._near(
                words[i], keys[i], text, lower_too=True, words_too=True, known_too=True
            )
            if near:
                return [replace(m, unsure=True) for m in near]
        return self._apostrophe_left_out(text, words, keys, i) or self._pet_form(
            words[i], keys[i], text
        )

    def _singled_out(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A capitalised word inside a sentence that praise or a class points at, or one that
        starts a sentence and did something ("Scarlet painted a sunset")."""
        word = words[i]
        if not ctx.capitalised(word) or word.in_hashtag:
            return False
        if classes.class_in_brackets(text, words, keys, i):
            return True  # "... Mathilda (1T)!"
        if classes.in_a_class(keys, i, text, words):
            return True  # "Zakaria in Reception has checked his sunflower"
        if word.sentence_start:  # not a plural: "Marks improved", "Roses bloomed"
            # ...or a possessive before what is the child's: "Pheobe's group went for..."
            if word.bare != word.text and cues.before_a_noun(text, words, keys, i):
                return True
            plural = keys[i].endswith("s") and (
                self._dictionary.knows(word.bare[:-1].lower()) or keys[i][:-1] in self._known_names
            )  # (no plural: "Iyas painted", a slip of Ilyas)
            return not plural and (
                sentences.action_follows(text, words, keys, i, adverb=False)
                # "Jamsine was the best raindrop narrator"
                or usage.person_predicate(text, words, keys, i)
            )
        return (
            usage.pointed_at(keys, i)
            # "..., Angle scored 6 goals": a capitalised word inside a sentence, then a deed
            or sentences.action_follows(text, words, keys, i, adverb=False, doing=False)
            # "Jun & Mie showed us": beside a pupil's name, before what the two did
            or any(
                keys[n] in self._given and sentences.action_follows(text, words, keys, max(i, n))
                for n in ctx.list_neighbours(text, words, keys, i)
            )
        )

    def _a_lower_case_slip(self, text: str, words: list[Word], keys: list[str], i: int) -> bool:
        """A lower-case word that is no word and reads as a child: what it did, its possessive,
        praise or a class pointing at it."""
        word = words[i]
        return (
            word.text.islower()
            and not word.in_hashtag
            # (a short one only where praise points at it or a verb follows: "well done
            # frey", "wlil painted", "well done fnn")
            and (
                len(keys[i]) >= self._fuzzy_min
                or (
                    len(keys[i]) >= 3
                    and (
                        usage.pointed_at(keys, i)
                        or (i + 1 < len(keys) and sentences.a_past(keys[i + 1]))
                    )
                )
            )
            and not self._dictionary.knows(word.bare)
            and (
                cues.lower_case_person(text, words, keys, i)
                or usage.pointed_at(keys, i)
                or classes.in_a_class(keys, i, text, words)
                # no word, so no thing: any verb after it is the child's ("hazle did the
                # toucan", "darrah came 4th")
                or (i + 1 < len(keys) and keys[i + 1] in _SLIP_VERBS)
                # "led by lincon n austin": beside a pupil's name; "pheobe and tadgh read":
                # beside another word that is none, before what the two did
                or any(
                    keys[n] in self._given
                    or (
                        not self._dictionary.knows(words[n].bare)
                        and sentences.action_follows(text, words, keys, max(i, n))
                    )
                    for n in ctx.list_neighbours(text, words, keys, i)
                )
            )
        )
