"""The policy file (policies/*.toml) as a typed, validated model.

List files named in the TOML are read while the model is validated (paths relative to the TOML
file, passed in the validation context as ``base``), so a missing or empty list is an error at
load time rather than a silent gap in the checks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationInfo,
    field_validator,
)

from chatbot.domain.findings import Finding, Severity

RULE_IDS: tuple[str, ...] = (
    "empty",
    "length",
    "textspeak",
    "spelling",
    "grammar",
    "pupil-name-with-photo",
    "pupil-name",
    "photo-undeclared",
    "photo-consent",
    "faces-undeclared",
    "alt-text",
    "photo-count",
    "photo-format",
    "mention",
    "offensive",
    "extremism",
    "hashtags",
)


def _resolve(value: object, info: ValidationInfo) -> Path:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise ValueError("expected the path of a file, relative to the policy file")
    base = (info.context or {}).get("base", Path.cwd())
    path = Path(value)
    return path if path.is_absolute() else Path(base) / path


def _list_lines(value: object, info: ValidationInfo) -> list[str]:
    """A list file: one entry per line; blank lines and ``#`` comments are skipped."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]  # given inline in the TOML (or in tests)
    path = _resolve(value, info)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"list file {path} does not exist; create it or fix the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read list file {path} ({exc}); save it as UTF-8 text") from None
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    entries = [line for line in lines if line]
    if not entries:
        raise ValueError(f"list file {path} has no entries; add one per line")
    return entries


def _read_list(value: object, info: ValidationInfo) -> tuple[str, ...]:
    return tuple(_list_lines(value, info))


def _read_mapping(value: object, info: ValidationInfo) -> dict[str, str]:
    """A mapping file: ``word = replacement`` per line."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    mapping: dict[str, str] = {}
    for line in _list_lines(value, info):
        key, sep, replacement = line.partition("=")
        if not sep or not key.strip() or not replacement.strip():
            raise ValueError(
                f"{line!r} in {_resolve(value, info)} is not a 'word = replacement' line"
            )
        mapping[key.strip()] = replacement.strip()
    return mapping


def _dictionary_path(value: object, info: ValidationInfo) -> Path:
    path = _resolve(value, info)
    for suffix in (".aff", ".dic"):
        if not path.with_suffix(suffix).is_file():
            raise ValueError(
                f"Hunspell file {path.with_suffix(suffix)} does not exist; give the path of "
                "the .aff/.dic pair without the extension"
            )
    return path


ListFile = Annotated[tuple[str, ...], BeforeValidator(_read_list)]
MappingFile = Annotated[dict[str, str], BeforeValidator(_read_mapping)]
DictionaryPath = Annotated[Path, BeforeValidator(_dictionary_path)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewDate(_Strict):
    date: dt.date
    source: str


class Meta(_Strict):
    school: str
    account: str
    source: str = ""
    established: dt.date
    ratified: dt.date | None = None
    review_dates: tuple[ReviewDate, ...] = Field(min_length=1)

    @property
    def review_date(self) -> dt.date:
        """The earliest review date the policy gives."""
        return min(r.date for r in self.review_dates)


class Words(_Strict):
    school_words: ListFile
    school_acronyms: ListFile


class Names(_Strict):
    titles: tuple[str, ...] = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
    fuzzy_min_length: PositiveInt = 5
    fuzzy_max_edits: int = Field(default=1, ge=0, le=2)
    phonetic_min_length: PositiveInt = 4
    phonetic_min_similarity: float = Field(default=0.8, ge=0, le=1)
    not_variants: tuple[str, ...] = ()
    # Phrases whose given name is never a pupil (Noah's Ark, Grace Darling); list files: the
    # school's own, and the shipped lists of famous people, titles and characters, phrases.
    not_pupils: ListFile = ()
    famous_people: ListFile = ()
    titles_and_characters: ListFile = ()
    phrases: ListFile = ()
    # Capitalised before a name, a person who is not a pupil: King Henry, St George, Storm Bert.
    royal_titles: ListFile = ()
    # A pupil's name that is also a place (Sydney) is the place after "in", "visit", ...
    places: ListFile = ()
    # Somebody's name, never a typo of a pupil's (Elle is not a slip for Ella).
    given_names: ListFile = ()
    # "cues: characters" lines: where a post names a story, its characters' names are theirs.
    casts: ListFile = ()
    # Titles of one given name (Luca, Moana): the film where its sentence speaks of a film.
    one_word_titles: ListFile = ()
    # "pet form: given names" lines (Izzy: Isabella): asked about for a pupil of those names.
    pet_names: ListFile = ()
    # Constellations and planets that are given names (Leo): the sky's where a sentence says so.
    sky_names: ListFile = ()

    @property
    def phrase_lists(self) -> tuple[str, ...]:
        """Every phrase in which a given name is not a pupil. One word alone from the shipped
        lists ("Matilda", a title) would hide every pupil of that name: only the school's own
        list may hold single words."""
        shipped = (*self.famous_people, *self.titles_and_characters, *self.phrases)
        return (*self.not_pupils, *(p for p in shipped if len(p.split()) > 1))


class Approval(_Strict):
    reminder_after_hours: float = Field(default=4, gt=0)


class Publishing(_Strict):
    """Retries of a post X refused for a passing reason: the n-th wait is between half and all
    of min(backoff_base_seconds * 2^(n-1), backoff_max_seconds)."""

    max_attempts: PositiveInt = 10
    backoff_base_seconds: float = Field(default=2, gt=0)
    backoff_max_seconds: float = Field(default=300, gt=0)


class Retention(_Strict):
    photo_days: int = Field(default=30, ge=0)


class Monitoring(_Strict):
    followers_interval_minutes: PositiveInt = 360
    staff_followers_interval_minutes: PositiveInt = 720
    mentions_interval_minutes: PositiveInt = 60
    following_interval_minutes: PositiveInt = 1440
    monthly_read_budget: PositiveInt = 10000
    undermining: ListFile
    # Followers whose account is this new, with no posts and no bio (often spam): a card each.
    flag_new_empty_accounts: bool = False
    new_account_days: PositiveInt = 14


class RuleConfig(_Strict):
    """What every rule has; rule-specific data is in the subclasses."""

    id: str = ""  # filled in from the table's name
    enabled: bool = True
    severity: Severity
    overridable: bool = False
    clause: str = Field(min_length=1)

    def finding(self, message: str, excerpt: str = "") -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=message,
            clause=self.clause,
            excerpt=excerpt,
            overridable=self.overridable,
        )


class LengthRule(RuleConfig):
    max_weighted_length: PositiveInt = 280


class TextspeakRule(RuleConfig):
    words: MappingFile


class SpellingRule(RuleConfig):
    dictionary: DictionaryPath
    us_spellings: MappingFile
    prefer_ise: bool = True


class GrammarRule(RuleConfig):
    repeated_ok: tuple[str, ...] = ("had", "that")
    shouting_words: int = Field(default=3, ge=2)
    max_marks: int = Field(default=2, ge=1)
    a_before: tuple[str, ...] = ("one", "once", "eu", "uni", "use")
    an_before: tuple[str, ...] = ("hour", "honest", "honour", "heir")


class PhotoCountRule(RuleConfig):
    max_photos: PositiveInt = 4


class MentionRule(RuleConfig):
    allowed_accounts: ListFile

    @field_validator("allowed_accounts")
    @classmethod
    def _handles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.removeprefix("@").casefold() for v in value)


class OffensiveRule(RuleConfig):
    words: ListFile
    safe_phrases: ListFile = ()


class ExtremismRule(RuleConfig):
    phrases: ListFile


class HashtagsRule(RuleConfig):
    max_hashtags: int = Field(default=3, ge=0)


class Rules(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    empty: RuleConfig
    length: LengthRule
    textspeak: TextspeakRule
    spelling: SpellingRule
    grammar: GrammarRule
    pupil_name_with_photo: RuleConfig = Field(alias="pupil-name-with-photo")
    pupil_name: RuleConfig = Field(alias="pupil-name")
    photo_undeclared: RuleConfig = Field(alias="photo-undeclared")
    photo_consent: RuleConfig = Field(alias="photo-consent")
    faces_undeclared: RuleConfig = Field(alias="faces-undeclared")
    alt_text: RuleConfig = Field(alias="alt-text")
    photo_count: PhotoCountRule = Field(alias="photo-count")
    photo_format: RuleConfig = Field(alias="photo-format")
    mention: MentionRule
    offensive: OffensiveRule
    extremism: ExtremismRule
    hashtags: HashtagsRule

    @classmethod
    def _fill_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                key: {**value, "id": key} if isinstance(value, dict) else value
                for key, value in data.items()
            }
        return data

    def by_id(self, rule_id: str) -> RuleConfig:
        if rule_id not in RULE_IDS:
            raise KeyError(f"unknown rule id {rule_id!r}")
        config: RuleConfig = getattr(self, rule_id.replace("-", "_"))
        return config


class Policy(_Strict):
    """The whole policy. Read it with `chatbot.policy.engine.load_policy`."""

    meta: Meta = Field(alias="policy")
    words: Words
    names: Names = Names()
    approval: Approval = Approval()
    publishing: Publishing = Publishing()
    retention: Retention = Retention()
    monitoring: Monitoring
    rules: Annotated[Rules, BeforeValidator(Rules._fill_ids)]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def rule(self, rule_id: str) -> RuleConfig:
        """A rule's settings by its id (``policy.rule("photo-consent").overridable``)."""
        return self.rules.by_id(rule_id)

    # Shortcuts for the settings other parts of the bot read.

    @property
    def established(self) -> dt.date:
        return self.meta.established

    @property
    def review_date(self) -> dt.date:
        return self.meta.review_date

    @property
    def allowed_mentions(self) -> frozenset[str]:
        """Handles (casefolded, without "@") the school may mention or reply to."""
        return frozenset(self.rules.mention.allowed_accounts)

    @property
    def hashtag_limit(self) -> int:
        return self.rules.hashtags.max_hashtags

    @property
    def retention_days(self) -> int:
        return self.retention.photo_days

    @property
    def reminder_after_hours(self) -> float:
        return self.approval.reminder_after_hours

    @property
    def undermining(self) -> tuple[str, ...]:
        return self.monitoring.undermining

    @property
    def monthly_read_budget(self) -> int:
        return self.monitoring.monthly_read_budget
