"""Review findings on the ninth and tenth batches' rules (issue 12): each rule stays inside what
it was written for, and a child it did not mean is still found."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    ("Ava", "Smith", "", True),
    ("Jack", "Jones", "", True),
    ("Rose", "Hill", "", True),
    ("Summer", "Hughes", "", True),
    ("May", "Lloyd", "", True),
    ("Mercy", "Obi", "", True),
    ("Matilda", "Jones", "", True),
    ("Grace", "Lindqvist", "", True),
    ("Honey", "Green", "", True),
    ("Maisie", "Brown", "", True),
]


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def names(engine: PolicyEngine, text: str) -> list[Finding]:
    verdict = check(
        text, [photo(alt="Children at work")], declared=True, no_pupils=True, using=engine
    )
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # "I would" is a pronoun unless another monarch's number is in the post
        ("Ava I would like to thank you for your help", "Ava Smith"),
        ("Jack and Rose I would like to say well done", "Rose Hill"),
        # a season or month that does what a child does
        ("Summer passed her swimming test", "Summer Hughes"),
        ("Summer came first in the 100m sprint", "Summer Hughes"),
        ("Summer started school today and loved it", "Summer Hughes"),
        ("May returns to school on Monday after her operation", "May Lloyd"),
        # a value's name with a child's class, or in another sentence
        ("Value of the week: Mercy (2B)", "Mercy Obi"),
        ("Our value is respect. Mercy in Year 2 showed it all week", "Mercy Obi"),
    ],
)
def test_the_child_is_still_found(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(engine, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Well done to Matildas and Gruffalos everywhere on World Book Day!",  # plurals, no slip
        "we said grace a second time",  # no placing
        "we put the honey in a second jar",
        "Summer has flown by!",
        "Our value of the month is Mercy.",
    ],
)
def test_the_rule_keeps_to_what_it_was_for(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


def test_a_word_names_swapped_letters_are_asked_wherever_the_swap_falls(
    engine: PolicyEngine,
) -> None:
    for slip in ("Hnoey", "Hoeny", "Honye"):
        found_here = names(engine, f"{slip} painted a lovely picture.")
        assert found_here, slip
        assert all(f.unsure and "Honey Green" in f.message for f in found_here), slip


def test_slips_where_praise_points_keep_to_the_policys_settings() -> None:
    base = policy()
    strict = base.model_copy(update={"names": base.names.model_copy(update={"fuzzy_max_edits": 0})})
    engine = PolicyEngine(strict, register(PUPILS))
    assert names(engine, "Well done to Masie for a brilliant week!") == []
