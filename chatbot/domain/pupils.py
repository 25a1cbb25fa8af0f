"""The register as the rules see it: who is a pupil and who has consented to what."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.folding import fold


class Channel(StrEnum):
    TWITTER = "twitter"
    WEBSITE = "website"


@dataclass(frozen=True, slots=True)
class Pupil:
    first_name: str
    last_name: str
    preferred_name: str = ""
    year_group: str = ""
    id: int | None = None
    upn: str = ""  # the MIS's pupil id, when the register has one

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def label(self) -> str:
        """How a pupil is offered in pickers: "First Last (Year 4)"."""
        group = self.year_group.strip()
        if not group:
            return self.full_name
        if group.upper() == "N":
            return f"{self.full_name} (Nursery)"
        if group.upper() == "R":
            return f"{self.full_name} (Reception)"
        return f"{self.full_name} (Year {group})"


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One pupil in one academic year, with the consent that applies to a post that year."""

    pupil: Pupil
    academic_year: AcademicYear
    twitter_consent: bool
    website_consent: bool = False


@dataclass(frozen=True, slots=True)
class Register:
    """A snapshot of the register for one academic year (what the rules check against)."""

    academic_year: AcademicYear
    entries: tuple[RegisterEntry, ...] = ()

    @property
    def pupils(self) -> tuple[Pupil, ...]:
        return tuple(e.pupil for e in self.entries)

    def find(self, full_name: str) -> RegisterEntry | None:
        """A pupil by full name as typed: accents, apostrophes, case and spacing aside (Zoe
        Smith, Isla O’Connor); the preferred name with the surname counts too."""
        wanted = " ".join(fold(full_name).split())
        for entry in self.entries:
            pupil = entry.pupil
            names = {
                pupil.full_name,
                f"{pupil.preferred_name or pupil.first_name} {pupil.last_name}",
            }
            if wanted in {" ".join(fold(name).split()) for name in names}:
                return entry
        return None


def told_apart(pupils: Sequence[Pupil], labels: Sequence[str]) -> list[str]:
    """Each pupil's label, made unique where two share one (same name, same year group): with
    the UPN the office knows, else the register number."""
    counts = Counter(labels)
    out = []
    for pupil, label in zip(pupils, labels, strict=True):
        if counts[label] < 2:
            out.append(label)
            continue
        which = f"UPN {pupil.upn}" if pupil.upn else f"register no. {pupil.id}"
        stem = label[:-1] + ", " if label.endswith(")") else label + " ("
        out.append(f"{stem}{which})")
    return out
