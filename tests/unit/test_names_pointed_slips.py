"""Slips of a name where the words point at a child (issue 12, from `python -m benchmarks
name_forms`): asked about, never blocked outright, and never where nothing points at a child."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    ("Hamdi", "Osman", "", True),
    ("Michael", "Byrne", "", True),
    ("Autumn", "Bird", "", True),
    ("Summer", "Green", "", True),
    ("Jack", "Carter", "", True),
    ("Will", "Cooper", "", True),
    ("Finn", "Jenkins", "", True),
    ("Ilyas", "Karim", "", True),
    ("Iris", "Jones", "", True),
    ("Mark", "Evans", "", True),
    ("Rose", "Hill", "", True),
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
        # another known name a letter from a pupil's, where a child is singled out: the school
        # has no child of that name, so its own is meant (a slip), or a child not on the register
        ("Well done to Hamid for a brilliant week!", "Hamdi Osman"),
        ("Michale painted a lovely picture today.", "Michael Byrne"),
        ("ty micael for helping in the library", "Michael Byrne"),
        # a month's or season's name is a pupil's like any word-name
        ("Well done to Autmn for a brilliant week!", "Autumn Bird"),
        ("well done autummn 👏", "Autumn Bird"),
        ("Well done to Summr for a brilliant week!", "Summer Green"),
        # a letter left out of a four-letter word-name
        ("Jck painted a lovely picture today.", "Jack Carter"),
        ("Well done to Wll for a brilliant week!", "Will Cooper"),
        # three letters in lower case after praise, or before what the child did
        ("well done fnn 👏", "Finn Jenkins"),
        ("fnn painted a lovely picture today", "Finn Jenkins"),
        ("ty jck for helping in the library", "Jack Carter"),
        # a name ending in s that is no plural of a word
        ("Iyas painted a lovely picture today.", "Ilyas Karim"),
        ("Irs painted a lovely picture today.", "Iris Jones"),
    ],
)
def test_a_slip_pointed_at_is_asked_about(engine: PolicyEngine, text: str, pupil: str) -> None:
    found_here = names(engine, text)
    assert found_here, text
    assert all(f.unsure for f in found_here), text
    assert any(pupil in f.message for f in found_here), text


@pytest.mark.parametrize(
    "text",
    [
        "Autmn is here, with its leaves.",  # no child is pointed at
        "Summr fair on Friday!",
        "Marks improved a lot this term.",  # plurals of words
        "Roses bloomed in the garden.",
        "well done pls bring a coat",  # no slip of a name
        "Michael Morpurgo's War Horse is our class novel.",
    ],
)
def test_nothing_is_asked_where_nothing_points_at_a_child(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


def test_the_pupils_own_name_is_still_a_sure_match(engine: PolicyEngine) -> None:
    found_here = names(engine, "Well done to Hamdi for a brilliant week!")
    assert found_here
    assert not any(f.unsure for f in found_here)


ALT_PUPILS = [("Dexter", "Johnson", "", True), ("Willow", "Adams", "", True)]


@pytest.fixture(scope="module")
def alt_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(ALT_PUPILS))


def alt_names(engine: PolicyEngine, text: str, alt: str) -> list[Finding]:
    verdict = check(text, [photo(alt=alt)], declared=True, no_pupils=True, using=engine)
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    ("alt", "pupil"),
    [
        ("Dexter at the easel, painting a sunflower", "Dexter Johnson"),
        ("Willow on the climbing frame", "Willow Adams"),
        ("Dexter by the window, reading", "Dexter Johnson"),
    ],
)
def test_a_word_name_opening_an_alt_text_where_it_is_shown_is_asked_about(
    alt_engine: PolicyEngine, alt: str, pupil: str
) -> None:
    found_here = alt_names(alt_engine, "A lovely afternoon in Year 2.", alt)
    assert found_here, alt
    assert all(f.unsure and pupil in f.message for f in found_here), alt


@pytest.mark.parametrize(
    "alt",
    [
        "Willow branches woven into a fence",  # no place after it: the tree
        "A basket of willow on the table",  # not the alt text's first word
    ],
)
def test_an_alt_text_about_the_thing_is_left_alone(alt_engine: PolicyEngine, alt: str) -> None:
    assert alt_names(alt_engine, "A lovely afternoon in Year 2.", alt) == [], alt


def test_the_post_text_is_not_read_as_an_alt_text(alt_engine: PolicyEngine) -> None:
    verdict = check("Willow at the pond is in full leaf.", using=alt_engine)
    assert found(verdict, "pupil-name") == []


SPELT_PUPILS = [("Aisha", "Anwar", "", True), ("Muhammad", "Iqbal", "Mo", True)]


@pytest.fixture(scope="module")
def spelt_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(SPELT_PUPILS))


def test_another_spelling_before_the_pupils_own_surname_is_asked_about(
    spelt_engine: PolicyEngine,
) -> None:
    found_here = names(spelt_engine, "Ayesha Anwar has already read 50 books this term.")
    assert found_here
    assert all(f.unsure and "Aisha Anwar" in f.message for f in found_here)


def test_a_two_letter_name_with_its_surname_in_lower_case_is_the_pupil(
    spelt_engine: PolicyEngine,
) -> None:
    found_here = names(spelt_engine, "year 4's mo iqbal raised £45 doing keepy-uppies")
    assert any("Muhammad Iqbal" in f.message and not f.unsure for f in found_here)


ROUND_PUPILS = [
    ("Austin", "Baker", "", True),
    ("Ronan", "Walsh", "", True),
    ("Autumn", "Clark", "", True),
    ("Iris", "Jones", "", True),
    ("Hope", "Addo", "", True),
    ("Paris", "Knight", "", True),
]


@pytest.fixture(scope="module")
def round_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(ROUND_PUPILS))


@pytest.mark.parametrize(
    ("text", "pupil", "unsure"),
    [
        # an award, then a class: a child, not the city
        (
            "Our kindness award goes to Austin in Year 5, who helped a friend.",
            "Austin Baker",
            False,
        ),
        # a word a letter from a pupil's name, before the initial of that pupil's surname
        ("Huge congratulations to Roman W in Year 5 on his piano exam!", "Ronan Walsh", True),
        # praise in a hashtag is no date ("the end of autumn")
        ("our y5 girl came 3rd!!! #proudofautumn", "Autumn Clark", False),
        # what a child does, run together after a word-name
        ("Look at this handwriting #irisjoinsup", "Iris Jones", False),
    ],
)
def test_found_in_the_eleventh_batch(
    round_engine: PolicyEngine, text: str, pupil: str, unsure: bool
) -> None:
    found_here = names(round_engine, text)
    assert any(pupil in f.message and f.unsure is unsure for f in found_here), text


@pytest.mark.parametrize(
    "text",
    [
        "By the end of autumn we will know the results.",
        "The Roman Empire was huge.",
        "Postcards from Paris in Year 2 today.",
        "#summerarrives at last",
        "#hopeshines",
    ],
)
def test_and_left_alone(round_engine: PolicyEngine, text: str) -> None:
    assert names(round_engine, text) == [], text
