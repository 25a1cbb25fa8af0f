"""The monitors' rules: what makes a follower or a mention worth a person's look.

Each returns `Flag`s: a rule id, short evidence for the card, and (for a name match) the pupil's
id, never the pupil's name (the card looks it up; the database keeps the minimum).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from chatbot.domain.pupils import Register
from chatbot.policy.model import Policy
from chatbot.policy.offensive import OffensiveMatcher
from chatbot.policy.phrases import PhraseMatcher
from chatbot.services.monitoring.child_bio import ChildBioDetector
from chatbot.services.monitoring.pupil_names import PupilNameIndex
from chatbot.services.ports import Account, Mention

TextCheck = Callable[[str], "str | None"]

PUPIL_NAME = "pupil-name"
CHILD_BIO = "child-bio"
OFFENSIVE = "offensive"
EXTREMISM = "extremism"
UNDERMINING = "undermining"
NEW_EMPTY = "new-empty-account"

_FIELD = {"name": "display name", "handle": "handle"}


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    evidence: str
    pupil_id: int | None = None


@dataclass(frozen=True, slots=True)
class TextRules:
    """Checks on any text, each returning the words that matched or None."""

    offensive: TextCheck
    extremism: TextCheck
    undermining: TextCheck

    @classmethod
    def from_policy(cls, policy: Policy) -> TextRules:
        # The same matchers as the post checks: disguises (f*ck, wh1te p0wer) do not hide.
        offensive = OffensiveMatcher(
            policy.rules.offensive.words, policy.rules.offensive.safe_phrases
        )
        extremism = PhraseMatcher(policy.rules.extremism.phrases)
        undermining = PhraseMatcher(policy.undermining)

        def first_word(text: str) -> str | None:
            hits = offensive.find(text)
            return hits[0].matched if hits else None

        def first_phrase(matcher: PhraseMatcher) -> TextCheck:
            def check(text: str) -> str | None:
                hits = matcher.find(text)
                return hits[0].matched if hits else None

            return check

        return cls(first_word, first_phrase(extremism), first_phrase(undermining))


@dataclass(frozen=True, slots=True)
class NewAccountRule:
    enabled: bool = False
    max_age: timedelta = timedelta(days=14)

    @classmethod
    def from_policy(cls, policy: Policy) -> NewAccountRule:
        monitoring = policy.monitoring
        return cls(
            enabled=monitoring.flag_new_empty_accounts,
            max_age=timedelta(days=monitoring.new_account_days),
        )

    def check(self, account: Account, now: datetime) -> Flag | None:
        if not self.enabled or account.created_at is None:
            return None
        age = now - account.created_at
        empty = account.post_count == 0 and not account.description.strip()
        if age <= self.max_age and empty:
            days = max(age.days, 0)
            return Flag(NEW_EMPTY, f"account made {days} day(s) ago, no posts and no bio")
        return None


class AccountRules:
    """Everything a follower is checked for. Built once per run: the name index is the work."""

    def __init__(
        self,
        register: Register,
        text_rules: TextRules,
        child_bio: ChildBioDetector,
        new_accounts: NewAccountRule,
    ) -> None:
        self.names = PupilNameIndex(register)
        self.text = text_rules
        self.child_bio = child_bio
        self.new_accounts = new_accounts

    @classmethod
    def from_policy(cls, policy: Policy, register: Register) -> AccountRules:
        return cls(
            register,
            TextRules.from_policy(policy),
            ChildBioDetector(policy.meta.school, policy.meta.account),
            NewAccountRule.from_policy(policy),
        )

    def pupil_like(self, account: Account) -> list[Flag]:
        """A pupil, or a child: what staff must not be followed by."""
        flags = []
        if hit := self.names.match(account.name, account.username):
            flags.append(
                Flag(
                    PUPIL_NAME, f"{_FIELD[hit.field]} matches a pupil on the register", hit.pupil_id
                )
            )
        if signal := self.child_bio.check(account.description):
            flags.append(Flag(CHILD_BIO, f"bio: “{signal.evidence}”"))
        return flags

    def follower(self, account: Account, now: datetime) -> list[Flag]:
        """A follower of the school: a pupil or child, offensive or extremist, or a new shell."""
        flags = self.pupil_like(account)
        # One pass over name and bio together (the matchers cost per call); the field is
        # worked out only for a hit. The separator breaks spelt-out words (s h i t) across them.
        both = f"{account.name} ~~ {account.description}"
        for rule, check in ((OFFENSIVE, self.text.offensive), (EXTREMISM, self.text.extremism)):
            if words := check(both):
                field = "display name" if check(account.name) else "bio"
                flags.append(Flag(rule, f"{field}: “{words}”"))
        if new := self.new_accounts.check(account, now):
            flags.append(new)
        return flags


def mention_flags(mention: Mention, rules: TextRules) -> list[Flag]:
    flags = []
    for rule, check in (
        (OFFENSIVE, rules.offensive),
        (EXTREMISM, rules.extremism),
        (UNDERMINING, rules.undermining),
    ):
        if words := check(mention.text):
            flags.append(Flag(rule, f"“{words}”"))
    return flags
