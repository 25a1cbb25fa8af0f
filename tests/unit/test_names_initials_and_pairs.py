"""Names the twelfth blind batch showed the engine missing or misreading (issue 12): a word-name
before its surname's initial, a name that is a sentence of its own, a child beside another in
lower case, a slip before the surname's initial or beside a classmate, and two kinds of grown-up
or request that are no child."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import names_beside_a_photo as names
from tests.unit.policy_support import policy, register

PUPILS = [
    ("Summer", "Kaur", "", True),
    ("Poppy", "Hesketh", "", True),
    ("Bear", "Roberts", "", True),
    ("Frank", "Moore", "", True),
    ("Nancy", "Moore", "", True),
    ("Megan", "Davies", "", True),
    ("Winnie", "Jones", "", True),
    ("Duke", "Cook", "", True),
    ("Ezra", "Lee", "", True),
    ("Idris", "Miah", "", True),
    ("Mei", "Tang", "", True),
    ("Jun", "Yang", "", True),
    ("Phoebe", "Robinson", "", True),
    ("Tadhg", "Walsh", "", True),
    ("Will", "Scott", "", True),
    ("Faith", "Barker", "", True),
    ("Hope", "Taylor", "", True),
    ("Zakariya", "Warsame", "", True),
    ("Môn", "Davies", "", True),
]


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def named(found_here: list[Finding], pupil: str) -> list[Finding]:
    return [f for f in found_here if pupil in f.message]


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a word-name at a sentence's start, before the initial of a pupil of that name
        ("Summer K won the Y5 sprint 🏅", "Summer Kaur"),
        ("Poppy H laid our class wreath this morning.", "Poppy Hesketh"),
        # ...even where the post also has the phrase the word belongs to
        ("Poppy H laid our wreath. Thank you for supporting the Poppy Appeal.", "Poppy Hesketh"),
        # and a word-name before what the child did, the verb a less common past
        ("Poppy laid our class wreath this morning.", "Poppy Hesketh"),
    ],
)
def test_a_word_name_before_its_initial_or_a_deed_is_a_pupil(
    engine: PolicyEngine, text: str, pupil: str
) -> None:
    assert named(names(engine, text), pupil), text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a sentence of its own, then what the child did with the subject left out
        ("Dress rehearsal done 🌟 Bear. Remembered every single line!", "Bear Roberts"),
        # in lower case beside a classmate's name that is no word
        ("top scorers ezra & duke, 4H want a rematch 😂", "Duke Cook"),
        # in a list of classmates, one of them written with an initial
        ("my tidy-up crew: megan, frank, nancy m & winnie 🙌", "Frank Moore"),
        # "has learnt" is said of a person: no passive of a thing
        ("Rehearsals in Year 3. Hope has learnt all three verses already.", "Hope Taylor"),
        # slips: a letter from a pupil's name, before that pupil's surname initial
        ("Well done to Iris M in 5K for being such a kind friend.", "Idris Miah"),
        # two letters swapped in a three-letter name, beside a classmate before what they did
        ("Jun & Mie showed us how to write happy new year 🏮", "Mei Tang"),
        # a lower-case slip beside another word that is none, before what the two did
        ("pheobe and tadgh read every single word on the wall!!", "Phoebe Robinson"),
        # another spelling at a sentence's start, put in a class
        ("Zakaria in Reception has checked his sunflower every morning 🌻", "Zakariya Warsame"),
    ],
)
def test_a_word_name_or_slip_the_words_single_out_is_asked_about(
    engine: PolicyEngine, text: str, pupil: str
) -> None:
    found_here = named(names(engine, text), pupil)
    assert found_here, text
    assert all(f.unsure for f in found_here), text


@pytest.mark.parametrize(
    "text",
    [
        # a class's families asked, not a child called Will
        "Will Y2 parents pls make sure PE kits are in school every Wednesday 👟",
        "Will Year 4 families please return the trip slips by Friday.",
        # a grown-up from a foodbank or a hospice
        "A huge thank you to Faith from Hunts Cross Foodbank who visited today.",
        "Thank you to Faith from the Woodlands Hospice for her talk.",
        # no initial of any pupil of that name, nor a sentence of its own
        "Summer B-B-Q on Friday!",
        "Bear. Hunt. Picnic. What a day in Reception!",
        # a season, a plural; no classmate beside it
        "Summer arrived early this year.",
        "the harvest: honey & jam for the foodbank",
        # a weekday written short, in a date
        "Happy half term – back Mon 2 Nov.",
    ],
)
def test_nothing_is_found_where_the_words_say_no_child(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


def test_a_pupils_own_three_letter_name_is_no_slip_of_another(engine: PolicyEngine) -> None:
    found_here = names(engine, "Jun & Mei showed us how to write happy new year")
    assert {f.unsure for f in named(found_here, "Mei Tang")} == {False}
    # three letters that are a swap of no pupil's name: only Jun is found
    found_here = names(engine, "Jun & Ian showed us the lanterns.")
    assert [f for f in found_here if "Jun Yang" not in f.message] == []


THINGS_PUPILS = [
    ("Bonnie", "Pupil", "", True),
    ("King", "Pupil", "", True),
    ("Bear", "Pupil", "", True),
]


@pytest.fixture(scope="module")
def things_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(THINGS_PUPILS))


@pytest.mark.parametrize(
    "text",
    [
        # what somebody became
        "Henry VIII only became king because his big brother died young.",
        # a pet, said later, holds for the name's first mention too
        "Meet Bonnie! 🐾 Bonnie is a three-year-old cockapoo and our new reading dog.",
    ],
)
def test_things_and_pets_are_no_pupils(things_engine: PolicyEngine, text: str) -> None:
    assert names(things_engine, text) == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a class given at the first mention: the child, whatever the pet is called
        ("Meet Bonnie in Year 2! Bonnie is a three-year-old cockapoo.", "Bonnie Pupil"),
    ],
)
def test_a_child_beside_a_pet_is_still_found(
    things_engine: PolicyEngine, text: str, pupil: str
) -> None:
    assert named(names(things_engine, text), pupil), text


def test_a_run_of_short_weekdays_is_a_date(engine: PolicyEngine) -> None:
    assert names(engine, "pick-up is 11:45 Mon–Wed and 1:15 Thu–Fri 📞") == []
