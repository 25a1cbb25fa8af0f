"""Loading the policy file and judging drafts against it.

`load_policy` reads and validates a policy TOML (and the lists it names); `PolicyEngine` is built
once per (policy, register, staff) with its indexes, then `check` is cheap per draft.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chatbot.domain.drafts import DraftContent
from chatbot.domain.findings import Verdict
from chatbot.domain.pupils import Register
from chatbot.policy.dictionary import load_dictionary
from chatbot.policy.model import RULE_IDS, Policy, RuleConfig
from chatbot.policy.names import NameMatcher
from chatbot.policy.rules import Post, Rule
from chatbot.policy.rules.empty import EmptyRule
from chatbot.policy.rules.extremism import ExtremismCheck
from chatbot.policy.rules.grammar import GrammarCheck
from chatbot.policy.rules.hashtags import HashtagsCheck
from chatbot.policy.rules.length import LengthCheck
from chatbot.policy.rules.mention import MentionCheck
from chatbot.policy.rules.offensive import OffensiveCheck
from chatbot.policy.rules.photos import (
    AltTextCheck,
    FacesUndeclaredCheck,
    PhotoConsentCheck,
    PhotoCountCheck,
    PhotoFormatCheck,
    PhotoUndeclaredCheck,
)
from chatbot.policy.rules.pupil_names import PupilNameCheck
from chatbot.policy.rules.spelling import SpellingCheck
from chatbot.policy.rules.textspeak import TextspeakCheck
from chatbot.policy.text import split_words
from chatbot.resources import default_policy_file

__all__ = ["Policy", "PolicyEngine", "PolicyError", "load_policy"]


class PolicyError(Exception):
    """The policy file cannot be used; the message names the file, each key and what to fix."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(f"policy file {path}:\n  " + "\n  ".join(problems))


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (default: the school's, in policies/)."""
    path = Path(path) if path is not None else default_policy_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(
            path, ["no such file; check the path (CHATBOT_POLICY_FILE or --policy)"]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(path, [f"cannot read it ({exc}); save it as UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(path, [f"not valid TOML: {exc}; fix that line"]) from None
    try:
        return Policy.model_validate(raw, context={"base": path.parent})
    except ValidationError as exc:
        raise PolicyError(path, [_describe(error) for error in exc.errors()]) from None


def _describe(error: Any) -> str:
    loc = tuple(str(part) for part in error["loc"])
    key = ".".join(loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden" and len(loc) == 2 and loc[0] == "rules":
        return f"rules.{loc[1]}: unknown rule id; the rule ids are {', '.join(RULE_IDS)}"
    if kind == "extra_forbidden":
        return f"{key}: not a setting the bot knows; check its spelling or remove it"
    if kind == "missing":
        if len(loc) == 2 and loc[0] == "rules":
            return (
                f"[rules.{loc[1]}] is missing; every rule needs a table "
                "(set enabled = false in it to switch the rule off)"
            )
        return f"{key} is missing; add it (see the school's default policy for an example)"
    if kind == "enum" and loc[-1:] == ("severity",):
        return f"{key}: {error.get('input')!r} is not a severity; use block, warn or info"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{key}: {message}"


class PolicyEngine:
    """Built once per (policy, register, staff) and reused: indexes are built here."""

    def __init__(self, policy: Policy, register: Register, staff_names: Iterable[str] = ()) -> None:
        self.policy = policy
        self.register = register
        rules = policy.rules
        staff = tuple(staff_names)
        dictionary = load_dictionary(rules.spelling.dictionary)
        school_words = (*policy.words.school_words, *policy.words.school_acronyms)
        self.names = NameMatcher(
            register.pupils,
            staff_names=staff,
            titles=policy.names.titles,
            dictionary=dictionary,
            fuzzy_min_length=policy.names.fuzzy_min_length,
            fuzzy_max_edits=policy.names.fuzzy_max_edits,
            phonetic_min_length=policy.names.phonetic_min_length,
            phonetic_min_similarity=policy.names.phonetic_min_similarity,
            not_variants=policy.names.not_variants,
            not_pupils=policy.names.phrase_lists,
            royal_titles=policy.names.royal_titles,
            places=policy.names.places,
            given_names=policy.names.given_names,
            casts=policy.names.casts,
            one_word_titles=policy.names.one_word_titles,
            pet_names=policy.names.pet_names,
            famous_people=policy.names.famous_people,
            sky_names=policy.names.sky_names,
            lower_case_words=tuple(w for w in policy.words.school_words if w.islower()),
        )
        # Not misspellings: school words, names (staff, famous people, pupils), and text
        # language, which is the textspeak rule's business.
        known = [*school_words, *staff, *policy.names.phrase_lists, *rules.textspeak.words]
        for pupil in register.pupils:
            known.extend((pupil.first_name, pupil.last_name, pupil.preferred_name))
        acronyms = policy.words.school_acronyms
        candidates: list[tuple[RuleConfig, Rule]] = [
            (rules.empty, EmptyRule(rules.empty)),
            (rules.length, LengthCheck(rules.length)),
            (rules.textspeak, TextspeakCheck(rules.textspeak, acronyms)),
            (
                rules.spelling,
                SpellingCheck(rules.spelling, dictionary, _words_of(known), policy.names.titles),
            ),
            (rules.grammar, GrammarCheck(rules.grammar, acronyms)),
            # decides between pupil-name-with-photo and pupil-name per post
            (
                rules.pupil_name,
                PupilNameCheck(rules.pupil_name_with_photo, rules.pupil_name, self.names),
            ),
            (rules.photo_undeclared, PhotoUndeclaredCheck(rules.photo_undeclared)),
            (rules.photo_consent, PhotoConsentCheck(rules.photo_consent, register)),
            (rules.faces_undeclared, FacesUndeclaredCheck(rules.faces_undeclared)),
            (rules.alt_text, AltTextCheck(rules.alt_text)),
            (rules.photo_count, PhotoCountCheck(rules.photo_count)),
            (rules.photo_format, PhotoFormatCheck(rules.photo_format)),
            (rules.mention, MentionCheck(rules.mention)),
            (rules.offensive, OffensiveCheck(rules.offensive)),
            (rules.extremism, ExtremismCheck(rules.extremism)),
            (rules.hashtags, HashtagsCheck(rules.hashtags)),
        ]
        self._rules: tuple[Rule, ...] = tuple(
            rule
            for config, rule in candidates
            # the pupil-name check runs when either of its two rules is on
            if config.enabled or isinstance(rule, PupilNameCheck)
        )

    def check(self, content: DraftContent) -> Verdict:
        post = Post.of(content)
        return Verdict.of(finding for rule in self._rules for finding in rule.check(post))


def _words_of(texts: Iterable[str]) -> list[str]:
    return [word for text in texts if text for word in split_words(text)]
