"""The roster's columns and values: field names, the MIS presets that map an export's headers
onto them, and how names, year groups and consent answers are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from chatbot.domain.academic_year import AcademicYear

FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "preferred_name",
    "year_group",
    "academic_year",
    "twitter_consent",
    "website_consent",
)
# Optional columns beyond the seven of the standard format: the pupil's id in the MIS (UPN or
# admission number), which tells two pupils of the same name apart across imports.
EXTRA_FIELDS: tuple[str, ...] = ("upn",)
ALL_FIELDS = FIELDS + EXTRA_FIELDS
OPTIONAL_FIELDS = frozenset({"preferred_name", "upn"})
# Standard headers also read as the id, for an export that names it after the admission number.
ID_HEADERS = ("upn", "admission_number", "adno")

# Lengths of the database columns (chatbot/adapters/db/models.py): checked here so a long value is a
# clear message about a line, not a database error halfway through an import.
MAX_LENGTH = {
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "year_group": 16,
    "upn": 32,
}

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})
CONSENT_HINT = "write yes or no (Y/N and true/false are accepted too, in any case)"

_YEAR_PREFIX = re.compile(r"^(?:year|yr|y)\s*(\d{1,2})$", re.IGNORECASE)
_NAMED_GROUPS = {"nursery": "N", "nur": "N", "reception": "R", "rec": "R"}


class RosterInvalid(Exception):
    """The file cannot be imported; `problems` lists every reason, each with line and column."""

    def __init__(self, source: str, problems: Sequence[RosterProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n  ".join(str(p) for p in self.problems)
        plural = "s" if count != 1 else ""
        super().__init__(f"{source}: {count} problem{plural}, nothing was imported:\n  {lines}")


@dataclass(frozen=True, slots=True)
class RosterProblem:
    message: str
    line: int | None = None
    column: str | None = None  # the column's header as it is in the file

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One pupil in one academic year, as checked from the file."""

    line: int
    first_name: str
    last_name: str
    preferred_name: str
    year_group: str
    academic_year: AcademicYear
    twitter_consent: bool
    website_consent: bool
    upn: str = ""  # the MIS id, "" when the file has no such column

    @property
    def match_key(self) -> str:
        return match_key(self.first_name, self.last_name)

    @property
    def identity(self) -> str:
        """What an import merges on: the MIS id when there is one, else the name."""
        return f"upn:{self.upn}" if self.upn else f"name:{self.match_key}"


def normalise_name(text: str) -> str:
    """One spelling of a name: NFC (files from Macs can be NFD) with single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def match_key(first_name: str, last_name: str) -> str:
    """A pupil's identity across imports (`PupilRow.match_key`): casefolded "first last"."""
    return normalise_name(f"{first_name} {last_name}").casefold()


def normalise_year_group(text: str) -> str:
    """ "Year 4", "Y4" -> "4"; "Reception" -> "R"; "Nursery" -> "N"; anything else as given."""
    cleaned = " ".join(text.split())
    if match := _YEAR_PREFIX.match(cleaned):
        return str(int(match.group(1)))
    return _NAMED_GROUPS.get(cleaned.casefold(), cleaned.upper() if len(cleaned) == 1 else cleaned)


def parse_consent(text: str) -> bool | None:
    """yes/no (and Y/N, true/false, any case) -> bool; None for anything else."""
    value = text.strip().casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def header_key(text: str) -> str:
    # "First Name", "first-name" and "FIRST_NAME " all name the same column.
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which header in the file holds each of our fields; fields not named keep their own name.

    The MIS presets (`PRESETS`) are reasonable guesses at each system's export headers, not
    copies of them: check them against the school's real export (and the consent columns, which
    each school names itself) and use ``--map field="Header"`` for any that differ.
    """

    name: str = "standard"
    headers: Mapping[str, str] = field(default_factory=dict)

    def header_for(self, field_name: str) -> str:
        return self.headers.get(field_name, field_name)

    def headers_for(self, field_name: str) -> tuple[str, ...]:
        """The headers that may hold a field: the mapped one, or the standard name(s)."""
        wanted = self.headers.get(field_name, field_name)
        # An export may carry the admission number under its usual names instead of the UPN.
        return (wanted, *ID_HEADERS) if field_name == "upn" else (wanted,)

    def with_overrides(self, overrides: Mapping[str, str]) -> ColumnMapping:
        return ColumnMapping(f"{self.name} (adjusted)", {**self.headers, **overrides})


PRESETS: dict[str, ColumnMapping] = {
    "arbor": ColumnMapping(
        "arbor",
        {
            "first_name": "Legal First Name",
            "last_name": "Legal Last Name",
            "preferred_name": "Preferred First Name",
            "year_group": "Year Group",
            "academic_year": "Academic Year",
            "twitter_consent": "Consent: Twitter",
            "website_consent": "Consent: School Website",
            "upn": "UPN",
        },
    ),
    "sims": ColumnMapping(
        "sims",
        {
            "first_name": "Forename",
            "last_name": "Surname",
            "preferred_name": "Preferred Forename",
            "year_group": "Year",
            "academic_year": "Academic Year",
            "twitter_consent": "Twitter Consent",
            "website_consent": "Website Consent",
            "upn": "UPN",
        },
    ),
    "bromcom": ColumnMapping(
        "bromcom",
        {
            "first_name": "Legal Forename",
            "last_name": "Legal Surname",
            "preferred_name": "Preferred Forename",
            "year_group": "NC Year",
            "academic_year": "Academic Year",
            "twitter_consent": "Photo Consent Twitter",
            "website_consent": "Photo Consent Website",
            "upn": "UPN",
        },
    ),
}


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """``field=Header`` strings (the CLI's ``--map``) -> {field: header}; ValueError if wrong."""
    result: dict[str, str] = {}
    for option in options:
        name, sep, header = option.partition("=")
        name, header = name.strip(), header.strip().strip('"').strip()
        if not sep or not name or not header:
            raise ValueError(
                f'--map {option!r}: write it as FIELD="Header in the file", '
                'for example --map first_name="Legal Forename"'
            )
        if name not in ALL_FIELDS:
            raise ValueError(f"--map {option!r}: {name!r} is not a field; use one of {ALL_FIELDS}")
        result[name] = header
    return result


def build_mapping(preset: str | None = None, overrides: Sequence[str] = ()) -> ColumnMapping:
    """A preset by name (or the standard columns) adjusted by ``--map`` options."""
    if preset is None:
        base = ColumnMapping()
    else:
        try:
            base = PRESETS[preset.casefold()]
        except KeyError:
            raise ValueError(
                f"unknown mapping {preset!r}; choose one of {', '.join(PRESETS)}"
            ) from None
    extra = parse_map_options(overrides)
    return base.with_overrides(extra) if extra else base
