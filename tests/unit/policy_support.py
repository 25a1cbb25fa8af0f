"""Shared helpers for the policy rule tests: the school's real policy file, a small register."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftContent, PhotoCheck
from chatbot.domain.findings import Finding, Verdict
from chatbot.domain.pupils import Pupil, Register, RegisterEntry
from chatbot.policy.engine import PolicyEngine, load_policy
from chatbot.policy.model import Policy

DAY = date(2026, 11, 25)
YEAR = AcademicYear.of(DAY)

# (first, last, preferred, twitter consent)
PUPILS: tuple[tuple[str, str, str, bool], ...] = (
    ("Zoë", "Okafor", "", True),
    ("Summer", "Hughes", "", True),
    ("Grace", "Lindqvist", "", False),
    ("Will", "Brennan", "", True),
    ("Mohammed", "Rahman", "", True),
    ("Olivia", "Nowak", "Liv", True),
    ("Alexander", "Petrov", "Sasha", False),
    ("Siobhan", "Kelly", "", True),
    ("Harvey", "Patel", "", True),
)
STAFF = ("Sarah Whitfield",)


@cache
def policy() -> Policy:
    return load_policy()


def register(
    pupils: Iterable[tuple[str, str, str, bool]] = PUPILS, year: AcademicYear = YEAR
) -> Register:
    return Register(
        year,
        tuple(
            RegisterEntry(Pupil(first, last, preferred), year, twitter_consent=consent)
            for first, last, preferred, consent in pupils
        ),
    )


@cache
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(), STAFF)


def photo(
    alt: str = "Children painting", faces: int | None = 0, problem: str | None = None
) -> PhotoCheck:
    return PhotoCheck(alt_text=alt, face_count=faces, problem=problem, filename="a.jpg")


def check(
    text: str,
    photos: Iterable[PhotoCheck] = (),
    *,
    declared: bool = False,
    no_pupils: bool = False,
    pictured: Iterable[str] = (),
    post_date: date = DAY,
    using: PolicyEngine | None = None,
    off_register: int = 0,
    unregistered: bool = False,
) -> Verdict:
    content = DraftContent(
        text=text,
        photos=tuple(photos),
        declared=declared,
        no_pupils=no_pupils,
        pictured=tuple(pictured),
        post_date=post_date,
        pictured_off_register=off_register,
        unregistered_pictured=unregistered,
    )
    return (using or engine()).check(content)


def found(verdict: Verdict, rule: str) -> list[Finding]:
    return [f for f in verdict.findings if f.rule == rule]


def rules(verdict: Verdict) -> set[str]:
    return {f.rule for f in verdict.findings}


def names_beside_a_photo(
    engine: PolicyEngine, text: str, alt: str = "Children at work"
) -> list[Finding]:
    """The pupil-name findings on `text` posted with one photo (declared, no pupils pictured):
    where a name beside photos blocks."""
    verdict = check(text, [photo(alt=alt)], declared=True, no_pupils=True, using=engine)
    return found(verdict, "pupil-name-with-photo")
